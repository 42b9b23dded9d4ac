/*
 * cancelSchedules: batch writes take no condition, so a batch cannot cancel safely (a blind put
 * of CANCELLED may land after the dispatcher's claim and hide a delivery under way). Each id is
 * therefore cancelled by the same single conditional UpdateItem as cancelSchedule, issued by the
 * resolvers of CancelScheduleResult's fields, which AppSync runs once per list element. Every
 * selected field settles its id itself with this request's `cancelledAt`: the write succeeds while
 * the schedule is live or already cancelled by this request, so the fields agree on the outcome
 * and a success always means a live-to-CANCELLED write the dispatcher's claim cannot pass.
 */
import { runtime, util, type Context, type DynamoDBGetItemRequest } from '@aws-appsync/utils';
import type { DynamoDBUpdateItemRequest } from '@aws-appsync/utils';
import {
  ErrorType,
  Status,
  statusesLeadingTo,
  type ScheduleItem,
  type ScheduleKey,
} from '../../src/domain/index.js';
import { isConditionFailure, type DataSourceError } from './common.js';
import type { ItemError } from './bulk-create.js';

/** One id of `cancelSchedules`, as the list's element (the source of its field resolvers). */
export interface BulkCancelElement {
  readonly id: string;
  readonly owner: string;
  /** This request's cancel time: finding it on a CANCELLED item means this request cancelled it. */
  readonly cancelledAt: string;
  readonly ttl: number;
  /** Absent when the id is not one of ours (then `error` is set). */
  readonly key?: ScheduleKey;
  /** Decided by the batch read: a final state no write can change. */
  error?: ItemError;
}

/** What one field resolver learns about its id. */
export interface BulkCancelStash {
  schedule?: ScheduleItem;
  error?: ItemError;
  /** Set when the conditional update failed; the next step reads the item to explain why. */
  refused?: boolean;
}

/**
 * The outcome for an item read after (or instead of) the cancel: null when this request
 * cancelled it (or it is still live), else the error cancelSchedule would give.
 */
export function refusal(
  item: ScheduleItem | null | undefined,
  element: BulkCancelElement,
): ItemError | null {
  const id = element.id;
  if (item === undefined || item === null || item.owner !== element.owner) {
    return { errorType: ErrorType.notFound, message: `No schedule with id ${id}` };
  }
  // A FIRING schedule is claimed and being delivered: a channel may already have it.
  if (item.status === Status.fired || item.status === Status.firing) {
    return {
      errorType: ErrorType.alreadyFired,
      message: `Schedule ${id} has already fired at ${String(item.firedAt)}`,
    };
  }
  if (item.status === Status.cancelled && item.cancelledAt !== element.cancelledAt) {
    return {
      errorType: ErrorType.alreadyCancelled,
      message: `Schedule ${id} was already cancelled at ${String(item.cancelledAt)}`,
    };
  }
  if (item.status === Status.rescheduled) {
    return {
      errorType: ErrorType.conflict,
      message: `Schedule ${id} was rescheduled to ${String(item.rescheduledTo)}; retry with the key or the new id`,
    };
  }
  return null;
}

/** The conditional cancel of one id; skipped when the batch read already decided it. */
export function cancelRequest(
  ctx: Context<unknown, BulkCancelStash, BulkCancelElement>,
): DynamoDBUpdateItemRequest {
  const element = ctx.source;
  if (element.error || !element.key) {
    ctx.stash.error = element.error;
    return runtime.earlyReturn(null);
  }
  const values: Record<string, unknown> = {
    ':owner': element.owner,
    ':cancelled': Status.cancelled,
    ':now': element.cancelledAt,
    ':ttl': element.ttl,
  };
  const placeholders: string[] = [];
  for (const status of statusesLeadingTo(Status.cancelled)) {
    const placeholder = `:from${placeholders.length}`;
    values[placeholder] = status;
    placeholders.push(placeholder);
  }
  return {
    operation: 'UpdateItem',
    key: util.dynamodb.toMapValues({ pk: element.key.pk, sk: element.key.sk }),
    update: {
      expression: 'SET #status = :cancelled, cancelledAt = :now, #ttl = :ttl REMOVE pendingOwner',
      expressionNames: { '#status': 'status', '#ttl': 'ttl' },
      expressionValues: util.dynamodb.toMapValues(values),
    },
    // Live, or already cancelled by this request (a sibling field or a retried call got there first).
    condition: {
      expression: `#owner = :owner AND (#status IN (${placeholders.join(', ')}) OR (#status = :cancelled AND cancelledAt = :now))`,
      expressionNames: { '#owner': 'owner', '#status': 'status' },
    },
  };
}

function failure(error: DataSourceError): ItemError {
  return { errorType: error.type, message: error.message };
}

/** Keeps the cancelled item, or notes the refusal for the explaining read. */
export function cancelResponse(ctx: Context<unknown, BulkCancelStash, BulkCancelElement>): null {
  if (isConditionFailure(ctx.error)) {
    ctx.stash.refused = true;
  } else if (ctx.error) {
    ctx.stash.error = failure(ctx.error);
  } else if (ctx.result) {
    ctx.stash.schedule = ctx.result as ScheduleItem;
  }
  return null;
}

/** Reads the item the update could not cancel; skipped otherwise. */
export function explainRequest(
  ctx: Context<unknown, BulkCancelStash, BulkCancelElement>,
): DynamoDBGetItemRequest {
  const key = ctx.source.key;
  if (!ctx.stash.refused || !key) {
    return runtime.earlyReturn(null);
  }
  return {
    operation: 'GetItem',
    key: util.dynamodb.toMapValues({ pk: key.pk, sk: key.sk }),
    consistentRead: true,
  };
}

/** Turns the current item into the id's error (the update's condition failed, so it is one). */
export function explainResponse(ctx: Context<unknown, BulkCancelStash, BulkCancelElement>): null {
  if (!ctx.stash.refused) {
    return null;
  }
  if (ctx.error) {
    ctx.stash.error = failure(ctx.error);
    return null;
  }
  ctx.stash.error = refusal(ctx.result as ScheduleItem | null, ctx.source) ?? {
    errorType: ErrorType.conflict,
    message: `Schedule ${ctx.source.id} changed while cancelling; retry`,
  };
  return null;
}
