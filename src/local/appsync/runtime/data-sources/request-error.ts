import { LocalRuntimeError } from '../errors.js';

/** errorType AppSync gives a request object it cannot use. */
export const MAPPING_TEMPLATE_ERROR_TYPE = 'MappingTemplate';

/** A request handler returned an object its data source cannot execute. */
export class RequestShapeError extends LocalRuntimeError {
  public constructor(dataSource: string, problem: string, received: unknown) {
    let text: string;
    try {
      text = JSON.stringify(received) ?? 'undefined';
    } catch {
      text = String(received);
    }
    super(
      `${dataSource} request: ${problem}. Received: ${text.length > 300 ? `${text.slice(0, 300)}...` : text}`,
    );
    this.name = 'RequestShapeError';
  }
}
