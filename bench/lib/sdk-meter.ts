import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { InitializeHandlerArguments, InitializeMiddleware } from '@smithy/types';
import { SDK_CALL_CHANNEL, type SdkCallRecord } from '../../src/local/lambda/dispatcher-thread.js';

/** Totals of one kind of AWS SDK call, e.g. "dynamodb Query" or "dynamodb Query@byOwner". */
export interface SdkTotals {
  calls: number;
  /** Items DynamoDB read (Query/Scan), before any filter. */
  scanned: number;
  /** Capacity units DynamoDB reported as consumed. */
  capacityUnits: number;
  /** Messages SQS returned (ReceiveMessage). */
  messages: number;
  /** ReceiveMessage calls that returned at least one message (one Lambda invocation each). */
  nonEmpty: number;
}

/** Totals by call kind. */
export type SdkCounts = Record<string, SdkTotals>;

/** Collects the calls of every metered SDK client in this process. */
export interface SdkMeter {
  /** A copy of the totals so far. */
  snapshot(): SdkCounts;
  /** Stops metering clients that were not metered yet; already metered ones keep recording. */
  close(): void;
  /** Excludes a client (e.g. the bench's own) from metering. */
  exclude(client: object): void;
}

/** Totals in `after` minus those in `before`, dropping kinds with no calls between them. */
export function diffSdkCounts(before: SdkCounts, after: SdkCounts): SdkCounts {
  const diff: SdkCounts = {};
  for (const [kind, total] of Object.entries(after)) {
    const base = before[kind] ?? {
      calls: 0,
      scanned: 0,
      capacityUnits: 0,
      messages: 0,
      nonEmpty: 0,
    };
    if (total.calls === base.calls) continue;
    diff[kind] = {
      calls: total.calls - base.calls,
      scanned: total.scanned - base.scanned,
      capacityUnits: Math.round((total.capacityUnits - base.capacityUnits) * 10) / 10,
      messages: total.messages - base.messages,
      nonEmpty: total.nonEmpty - base.nonEmpty,
    };
  }
  return diff;
}

const READS = new Set(['Query', 'Scan', 'GetItem', 'BatchGetItem']);

interface Meterable {
  middlewareStack: { add(middleware: InitializeMiddleware<object, object>, options: object): void };
}

type CallFigures = Pick<SdkCallRecord, 'scannedCount' | 'capacityUnits' | 'messages'>;

function record(totals: SdkCounts, kind: string, call: CallFigures): void {
  const total = (totals[kind] ??= {
    calls: 0,
    scanned: 0,
    capacityUnits: 0,
    messages: 0,
    nonEmpty: 0,
  });
  total.calls += 1;
  total.scanned += call.scannedCount;
  total.capacityUnits += call.capacityUnits;
  total.messages += call.messages;
  if (call.messages > 0) total.nonEmpty += 1;
}

/** What a command's output counted. */
function figuresOf(output: Record<string, unknown>): CallFigures {
  const consumed = output['ConsumedCapacity'] as { CapacityUnits?: number } | undefined;
  return {
    scannedCount: (output['ScannedCount'] as number | undefined) ?? 0,
    capacityUnits: Array.isArray(consumed) ? 0 : (consumed?.CapacityUnits ?? 0),
    messages: ((output['Messages'] as unknown[] | undefined) ?? []).length,
  };
}

function meterMiddleware(service: string, totals: SdkCounts): InitializeMiddleware<object, object> {
  return (next, context) => async (args: InitializeHandlerArguments<object>) => {
    const command = String((context as { commandName?: string }).commandName).replace(
      /Command$/,
      '',
    );
    const input = args.input as Record<string, unknown>;
    // Ask DynamoDB to report the capacity each read consumed; it changes nothing else.
    const withCapacity =
      service === 'dynamodb' && READS.has(command) && input['ReturnConsumedCapacity'] === undefined
        ? { ...args, input: { ...input, ReturnConsumedCapacity: 'TOTAL' } }
        : args;
    const result = await next(withCapacity);
    const index = typeof input['IndexName'] === 'string' ? `@${input['IndexName']}` : '';
    record(
      totals,
      `${service} ${command}${index}`,
      figuresOf(result.output as Record<string, unknown>),
    );
    return result;
  };
}

/**
 * Meters every DynamoDB and SQS SDK v3 client of this thread that sends a command after this
 * call, by adding a middleware to each client on its first `send`. This reaches the clients
 * the local stack creates internally without changing its code. The dispatcher's clients live
 * in its own worker thread, out of reach of a patch here: their calls arrive on
 * `SDK_CALL_CHANNEL`, which the dispatcher thread relays when it had subscribers as it started
 * (so the meter must start before the stack).
 */
export function startSdkMeter(): SdkMeter {
  const totals: SdkCounts = {};
  const seen = new WeakSet<object>();
  const restore: (() => void)[] = [];
  let open = true;
  const patch = (prototype: { send: (...args: unknown[]) => unknown }, service: string) => {
    const original = prototype.send;
    prototype.send = function send(this: Meterable, ...args: unknown[]) {
      if (open && !seen.has(this)) {
        seen.add(this);
        this.middlewareStack.add(meterMiddleware(service, totals), {
          step: 'initialize',
          name: 'benchSdkMeter',
        });
      }
      return original.apply(this, args);
    };
    restore.push(() => {
      prototype.send = original;
    });
  };
  patch(DynamoDBClient.prototype as never, 'dynamodb');
  patch(SQSClient.prototype as never, 'sqs');
  const relayed = (message: unknown) => {
    const call = message as SdkCallRecord;
    const index = call.indexName === undefined ? '' : `@${call.indexName}`;
    record(totals, `${call.service} ${call.command}${index}`, call);
  };
  subscribe(SDK_CALL_CHANNEL, relayed);
  return {
    snapshot: () => structuredClone(totals),
    exclude: (client) => seen.add(client),
    close: () => {
      open = false;
      for (const undo of restore) undo();
      unsubscribe(SDK_CALL_CHANNEL, relayed);
    },
  };
}
