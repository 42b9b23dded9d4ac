/*
 * Helpers shared by the resolvers. They run in APPSYNC_JS, so they report failures with
 * util.error (which stops evaluation) rather than by throwing.
 */
import { util, type Identity } from '@aws-appsync/utils';
import {
  ownerOf,
  readSettings,
  type CallerIdentity,
  type Result,
  type SchedulerSettings,
} from '../../src/domain/index.js';

/** The error AppSync puts on `ctx.error` after a data source call failed. */
export interface DataSourceError {
  readonly message: string;
  readonly type: string;
}

/** The value of a domain result, or a GraphQL error with the domain's errorType. */
export function valueOrFail<T>(result: Result<T>): T {
  if (!result.ok) {
    return util.error(result.error.message, result.error.type);
  }
  return result.value;
}

/** The scheduler settings from `ctx.env`; a ConfigurationError when one is malformed. */
export function settingsFrom(env: Record<string, string>): SchedulerSettings {
  return valueOrFail(readSettings(env));
}

/** Whether a DynamoDB call failed because its condition expression was false. */
export function isConditionFailure(error: DataSourceError | undefined | null): boolean {
  return (
    error !== undefined &&
    error !== null &&
    String(error.type).indexOf('ConditionalCheckFailed') >= 0
  );
}

/** Re-raises a data source error as a GraphQL error, keeping AppSync's type. */
export function failOnError(error: DataSourceError | undefined | null): void {
  if (error !== undefined && error !== null) {
    util.error(error.message, error.type);
  }
}

/** The owner the caller acts as (`ownerOf` over AppSync's identity union). */
export function callerOwner(identity: Identity): string {
  return ownerOf(identity as CallerIdentity | null | undefined);
}
