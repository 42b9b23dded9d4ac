/*
 * util, runtime and extensions as resolver bundles import them from '@aws-appsync/utils'. They
 * are built once per runtime; what a handler records (appended errors, subscription filters) goes
 * to the invocation that is running, which the pipeline sets before each synchronous handler call.
 */
import { EarlyReturnSignal, UtilErrorSignal, type AppSyncError } from './errors.js';
import { createDynamodbUtils } from './dynamodb-util.js';
import { autoId, autoKsuid, autoUlid } from './ids.js';
import { strictNamespace } from './strict.js';
import {
  base64Decode,
  base64Encode,
  escapeJavaScript,
  typeOf,
  urlDecode,
  urlEncode,
} from './text-utils.js';
import { createTimeUtils } from './time.js';
import { createTransformUtils } from './transform.js';

/** What handlers of one resolver invocation record. */
export interface InvocationRecord {
  readonly typeName: string;
  readonly fieldName: string;
  readonly errors: AppSyncError[];
  subscriptionFilter?: unknown;
  subscriptionInvalidationFilter?: unknown;
  invalidation?: unknown;
}

/** The `@aws-appsync/utils` exports plus the hook that points them at the running invocation. */
export interface AppSyncGlobals {
  readonly util: object;
  readonly runtime: object;
  readonly extensions: object;
  /** Runs `call` with `record` as the current invocation. */
  withInvocation<T>(record: InvocationRecord, call: () => T): T;
}

function toError(
  message: unknown,
  errorType?: unknown,
  data?: unknown,
  errorInfo?: unknown,
): AppSyncError {
  return {
    message: String(message),
    errorType: errorType === undefined || errorType === null ? null : String(errorType),
    data: data ?? null,
    errorInfo: errorInfo ?? null,
  };
}

const isNull = (value: unknown): boolean => value === null || value === undefined;
const isNullOrEmpty = (value: unknown): boolean => isNull(value) || value === '';
const isNullOrBlank = (value: unknown): boolean =>
  isNull(value) || (typeof value === 'string' && value.trim() === '');

function typeHelpers() {
  return {
    isNull,
    isNullOrEmpty,
    isNullOrBlank,
    defaultIfNull: (value: unknown, fallback: unknown) => (isNull(value) ? fallback : value),
    defaultIfNullOrEmpty: (value: unknown, fallback: unknown) =>
      isNullOrEmpty(value) ? fallback : value,
    defaultIfNullOrBlank: (value: unknown, fallback: unknown) =>
      isNullOrBlank(value) ? fallback : value,
    isString: (value: unknown) => typeof value === 'string',
    isNumber: (value: unknown) => typeof value === 'number',
    isBoolean: (value: unknown) => typeof value === 'boolean',
    isList: (value: unknown) => Array.isArray(value),
    isMap: (value: unknown) => typeOf(value) === 'Map',
    typeOf,
    matches: (pattern: string, value: string) => new RegExp(`^(?:${pattern})$`).test(String(value)),
  };
}

function mathHelpers() {
  return {
    roundNum: (input: number) => Math.round(input),
    minVal: (a: number, b: number) => Math.min(a, b),
    maxVal: (a: number, b: number) => Math.max(a, b),
    randomDouble: () => Math.random(),
    randomWithinRange: (start: number, end: number) =>
      start + Math.floor(Math.random() * (end - start + 1)),
  };
}

function buildUtil(now: () => number, current: () => InvocationRecord): object {
  return strictNamespace('util', {
    error: (message: unknown, errorType?: unknown, data?: unknown, errorInfo?: unknown): never => {
      throw new UtilErrorSignal(toError(message, errorType, data, errorInfo));
    },
    appendError: (
      message: unknown,
      errorType?: unknown,
      data?: unknown,
      errorInfo?: unknown,
    ): void => {
      current().errors.push(toError(message, errorType, data, errorInfo));
    },
    unauthorized: (): never => {
      const { typeName, fieldName } = current();
      throw new UtilErrorSignal(
        toError(`Not Authorized to access ${fieldName} on type ${typeName}`, 'Unauthorized'),
      );
    },
    autoId,
    autoUlid: () => autoUlid(now()),
    autoKsuid: () => autoKsuid(now()),
    escapeJavaScript,
    urlEncode,
    urlDecode,
    base64Encode,
    base64Decode,
    ...typeHelpers(),
    time: strictNamespace('util.time', createTimeUtils(now)),
    dynamodb: strictNamespace('util.dynamodb', createDynamodbUtils()),
    transform: strictNamespace('util.transform', createTransformUtils()),
    str: strictNamespace('util.str', {
      normalize: (value: string, form: string) => String(value).normalize(form.toUpperCase()),
    }),
    math: strictNamespace('util.math', mathHelpers()),
    xml: strictNamespace('util.xml', {}),
    rds: strictNamespace('util.rds', {}),
    http: strictNamespace('util.http', {}),
  });
}

/** Builds the APPSYNC_JS globals for one runtime. */
export function createAppSyncGlobals(now: () => number): AppSyncGlobals {
  let active: InvocationRecord | null = null;
  const current = (): InvocationRecord => {
    if (active === null) throw new Error('An AppSync helper was called outside a resolver handler');
    return active;
  };
  return {
    util: buildUtil(now, current),
    runtime: strictNamespace('runtime', {
      earlyReturn: (value?: unknown, options?: { skipTo?: 'END' | 'NEXT' }): never => {
        throw new EarlyReturnSignal(value ?? null, options?.skipTo ?? null);
      },
    }),
    extensions: strictNamespace('extensions', {
      setSubscriptionFilter: (filter: unknown) => {
        current().subscriptionFilter = filter;
      },
      setSubscriptionInvalidationFilter: (filter: unknown) => {
        current().subscriptionInvalidationFilter = filter;
      },
      invalidateSubscriptions: (payload: unknown) => {
        current().invalidation = payload;
      },
    }),
    withInvocation<T>(record: InvocationRecord, call: () => T): T {
      const previous = active;
      active = record;
      try {
        return call();
      } finally {
        active = previous;
      }
    },
  };
}
