/*
 * Errors of the local APPSYNC_JS runtime. Handler code stops through "signals" (util.error,
 * runtime.earlyReturn, util.unauthorized): host-realm objects thrown through the sandboxed code
 * and caught by the pipeline, which turns them into AppSync outcomes.
 */

/** An AppSync-shaped GraphQL error, as a resolver outcome carries it. */
export interface AppSyncError {
  message: string;
  errorType: string | null;
  data?: unknown;
  errorInfo?: unknown;
}

/** errorType of a failure inside handler code (a TypeError, an unsupported helper, a timeout). */
export const CODE_ERROR_TYPE = 'Code';

/** Base class of everything the local runtime throws on its own account. */
export class LocalRuntimeError extends Error {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LocalRuntimeError';
  }
}

/** The runtime was set up wrongly (bad env, unknown data source, missing bundle or handler). */
export class RuntimeConfigurationError extends LocalRuntimeError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RuntimeConfigurationError';
  }
}

/** A util/runtime/extensions member that AppSync has but this runtime does not implement. */
export class UnsupportedHelperError extends LocalRuntimeError {
  public constructor(public readonly helper: string) {
    super(`${helper} is not supported by the local AppSync runtime`);
    this.name = 'UnsupportedHelperError';
  }
}

/**
 * Handler code used a JavaScript built-in that AWS does not list for APPSYNC_JS (a method, a
 * global, or a supported method called in a way the runtime refuses).
 */
export class UnsupportedBuiltInError extends LocalRuntimeError {
  public constructor(
    public readonly builtIn: string,
    detail: string,
    alternative: string | undefined,
    supportedFeaturesUrl: string,
  ) {
    super(
      `APPSYNC_JS does not support ${builtIn}${detail === '' ? '' : ` ${detail}`}${alternative === undefined ? '' : `; ${alternative}`} (supported built-ins: ${supportedFeaturesUrl})`,
    );
    this.name = 'UnsupportedBuiltInError';
  }
}

/** A helper received an argument AppSync would refuse. */
export class HelperArgumentError extends LocalRuntimeError {
  public constructor(helper: string, problem: string, received: unknown) {
    super(`${helper}: ${problem}. Received: ${describeValue(received)}`);
    this.name = 'HelperArgumentError';
  }
}

/** Thrown by util.error and util.unauthorized: the handler stops and the field resolves to null. */
export class UtilErrorSignal {
  public constructor(public readonly error: AppSyncError) {}
}

/** Thrown by runtime.earlyReturn. */
export class EarlyReturnSignal {
  public constructor(
    public readonly value: unknown,
    public readonly skipTo: 'END' | 'NEXT' | null,
  ) {}
}

/** Formats a received value for an error message, short enough to read. */
export function describeValue(value: unknown): string {
  if (value === undefined) {
    return 'undefined';
  }
  let text: string;
  try {
    text =
      typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 200)}...` : text;
}

/**
 * Turns anything thrown by handler code into an AppSync error with errorType "Code". Errors from
 * the sandbox come from another realm, so they are recognised by shape, not by `instanceof`.
 */
export function codeError(thrown: unknown, where: string): AppSyncError {
  const message =
    typeof thrown === 'object' && thrown !== null && 'message' in thrown
      ? String((thrown as { message: unknown }).message)
      : describeValue(thrown);
  const name =
    typeof thrown === 'object' && thrown !== null && 'name' in thrown
      ? String((thrown as { name: unknown }).name)
      : 'Error';
  return {
    message: `${where}: ${name}: ${message}`,
    errorType: CODE_ERROR_TYPE,
    data: null,
    errorInfo: null,
  };
}
