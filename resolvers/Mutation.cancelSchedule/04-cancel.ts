/*
 * cancelSchedule step 4: the single conditional write. It succeeds only for the owner and
 * only while the schedule is live, so a success guarantees the dispatcher's claim will fail. By
 * key, it acts on the live holder the lookup found; without one it explains why.
 */
import { util, type Context, type DynamoDBUpdateItemRequest } from '@aws-appsync/utils';
import {
  ErrorType,
  Status,
  isoFromEpochMs,
  statusesLeadingTo,
  type ScheduleItem,
} from '../../src/domain/index.js';
import { failOnError, isConditionFailure, settingsFrom } from '../lib/common.js';
import type { CancelScheduleStash } from '../lib/cancel-stash.js';
import { liveHolder, type KeyLookup } from '../lib/key-lookup.js';

const DAY_SECONDS = 86_400;

/** By key: the holder's key, or the error for a key no live schedule holds. */
function holderKey(lookup: KeyLookup): { pk: string; sk: string } {
  const holder = liveHolder(lookup);
  if (holder !== null) {
    return { pk: holder.pk, sk: holder.sk };
  }
  const last = lookup.schedule;
  if (last === undefined) {
    return util.error(`No live schedule holds key ${lookup.key}`, ErrorType.notFound);
  }
  if (last.status === Status.fired || last.status === Status.firing) {
    util.error(
      `The schedule with key ${lookup.key} (${last.id}) has already fired at ${String(last.firedAt)}`,
      ErrorType.alreadyFired,
    );
  }
  if (last.status === Status.cancelled) {
    util.error(
      `The schedule with key ${lookup.key} (${last.id}) was already cancelled at ${String(last.cancelledAt)}`,
      ErrorType.alreadyCancelled,
    );
  }
  return util.error(
    `No live schedule holds key ${lookup.key}; the last one was ${last.id} (${last.status})`,
    ErrorType.notFound,
  );
}

/** Sets CANCELLED, the cancel time and the TTL, and leaves the owner index. */
export function request(ctx: Context<unknown, CancelScheduleStash>): DynamoDBUpdateItemRequest {
  if (ctx.stash.lookup !== undefined) {
    ctx.stash.key = holderKey(ctx.stash.lookup);
  }
  const retentionDays = settingsFrom(ctx.env).finishedRetentionDays;
  const nowMs = util.time.nowEpochMilliSeconds();
  ctx.stash.cancelledAt = isoFromEpochMs(nowMs);
  const values: Record<string, unknown> = {
    ':owner': ctx.stash.owner,
    ':cancelled': Status.cancelled,
    ':now': ctx.stash.cancelledAt,
    ':ttl': Math.floor(nowMs / 1000) + retentionDays * DAY_SECONDS,
  };
  const placeholders: string[] = [];
  for (const status of statusesLeadingTo(Status.cancelled)) {
    const placeholder = `:from${placeholders.length}`;
    values[placeholder] = status;
    placeholders.push(placeholder);
  }
  return {
    operation: 'UpdateItem',
    key: util.dynamodb.toMapValues({ pk: ctx.stash.key.pk, sk: ctx.stash.key.sk }),
    update: {
      expression: 'SET #status = :cancelled, cancelledAt = :now, #ttl = :ttl REMOVE pendingOwner',
      expressionNames: { '#status': 'status', '#ttl': 'ttl' },
      expressionValues: util.dynamodb.toMapValues(values),
    },
    condition: {
      expression: `#owner = :owner AND #status IN (${placeholders.join(', ')})`,
      expressionNames: { '#owner': 'owner', '#status': 'status' },
    },
  };
}

/** Keeps the cancelled item; a failed condition is left for the next step to explain. */
export function response(ctx: Context<unknown, CancelScheduleStash>): ScheduleItem | null {
  if (isConditionFailure(ctx.error)) {
    return null;
  }
  failOnError(ctx.error);
  ctx.stash.schedule = ctx.result as ScheduleItem;
  return ctx.stash.schedule;
}
