/*
 * Reading AppSync real-time frames from clients: every frame is checked for shape before anything
 * uses it, and every refusal names what was wrong and what was received.
 */
import { describeValue } from './connection-limits.js';

/** A frame that is a JSON object with a string `type`. */
export interface RealtimeFrame {
  readonly type: string;
  readonly id: unknown;
  readonly payload: unknown;
}

/** Why a frame was refused, and the id to echo when one can be echoed safely. */
export interface FrameProblem {
  readonly problem: true;
  readonly id: string | number | undefined;
  readonly errorType: string;
  readonly message: string;
}

/** errorType of a frame that is not a JSON object. */
export const MESSAGE_PARSE_ERROR = 'MessageParseError';
/** errorType of a frame of no known type, as AppSync names it. */
export const UNSUPPORTED_OPERATION = 'UnsupportedOperation';
/** errorType of a frame whose members have the wrong type. */
export const BAD_REQUEST = 'BadRequestException';

/** Frame types a client may send. */
const CLIENT_TYPES = ['connection_init', 'start', 'stop'];

/**
 * The id of a frame if it can go back to the client as it came: a string within the length cap
 * or a finite number. Anything else (an object, an overlong string) is not echoed.
 */
export function echoableId(id: unknown, maxLength: number): string | number | undefined {
  if (typeof id === 'string' && id.length <= maxLength) return id;
  if (typeof id === 'number' && Number.isFinite(id)) return id;
  return undefined;
}

function problem(errorType: string, message: string, id?: string | number): FrameProblem {
  return { problem: true, id, errorType, message };
}

/** Parses and checks one client frame. JSON.parse does not recurse, so any nesting is safe. */
export function readFrame(text: string, maxIdLength: number): RealtimeFrame | FrameProblem {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return problem(MESSAGE_PARSE_ERROR, `A message must be JSON; received ${describeValue(text)}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    const received = describeValue(parsed);
    return problem(MESSAGE_PARSE_ERROR, `A message must be a JSON object; received ${received}`);
  }
  const { type, id, payload } = parsed as Record<string, unknown>;
  const echo = echoableId(id, maxIdLength);
  if (typeof type !== 'string' || !CLIENT_TYPES.includes(type)) {
    const message = `"type" must be one of ${CLIENT_TYPES.join(', ')}; received ${describeValue(type)}`;
    return problem(UNSUPPORTED_OPERATION, message, echo);
  }
  return { type, id, payload };
}

/** The operation id of a `start` or `stop`, or the refusal (echoing the id where it is safe). */
export function operationId(frame: RealtimeFrame, maxLength: number): string | FrameProblem {
  const { id } = frame;
  if (typeof id === 'string' && id.length > 0 && id.length <= maxLength) return id;
  const message = `"id" of a ${frame.type} must be a non-empty string of at most ${maxLength} characters; received ${describeValue(id)}`;
  return problem(BAD_REQUEST, message, echoableId(id, maxLength));
}

/** What a `start` carries once checked: the request JSON and the per-start auth, if any. */
export interface StartPayload {
  /** `payload.data` as sent: per-start SigV4 signs exactly these bytes. */
  readonly data: string;
  readonly request: unknown;
  readonly authorization: Readonly<Record<string, unknown>> | undefined;
}

/** Reads `payload.data` (a JSON string of {query, variables}) and `payload.extensions`. */
export function readStartPayload(payload: unknown, id: string): StartPayload | FrameProblem {
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    const message = `"payload" must be a JSON object with a string "data"; received ${describeValue(payload)}`;
    return problem(BAD_REQUEST, message, id);
  }
  const { data, extensions } = payload as Record<string, unknown>;
  if (typeof data !== 'string') {
    const message = `"payload.data" must be a JSON string of {query, variables}; received ${describeValue(data)}`;
    return problem(BAD_REQUEST, message, id);
  }
  let request: unknown;
  try {
    request = JSON.parse(data);
  } catch {
    return problem(BAD_REQUEST, `"payload.data" is not JSON; received ${describeValue(data)}`, id);
  }
  const authorization = (extensions as { authorization?: unknown } | null | undefined)
    ?.authorization;
  if (authorization === undefined) return { data, request, authorization: undefined };
  if (authorization === null || typeof authorization !== 'object' || Array.isArray(authorization)) {
    const message = `"payload.extensions.authorization" must be a JSON object of headers; received ${describeValue(authorization)}`;
    return problem(BAD_REQUEST, message, id);
  }
  return { data, request, authorization: authorization as Record<string, unknown> };
}

/** Whether a read produced a refusal. */
export function isProblem(value: unknown): value is FrameProblem {
  return typeof value === 'object' && value !== null && (value as FrameProblem).problem === true;
}
