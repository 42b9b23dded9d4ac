import { LocalRuntimeError, describeValue } from '../errors.js';

/** errorType AppSync gives a request object it cannot use. */
export const MAPPING_TEMPLATE_ERROR_TYPE = 'MappingTemplate';

/** A request handler returned an object its data source cannot execute. */
export class RequestShapeError extends LocalRuntimeError {
  public constructor(dataSource: string, problem: string, received: unknown) {
    super(`${dataSource} request: ${problem}. Received: ${describeValue(received)}`);
    this.name = 'RequestShapeError';
  }
}
