/*
 * createSchedule step 3: writes the schedule item. On a replay the same put heals a crash
 * between the token record and the item; a condition failure then means the item exists.
 */
import { util, type Context, type DynamoDBPutItemRequest } from '@aws-appsync/utils';
import { type ScheduleItem } from '../../src/domain/index.js';
import { failOnError, isConditionFailure } from '../lib/common.js';
import type { CreateScheduleStash } from '../lib/create-stash.js';

/** Puts the planned (or replayed) item unless one with its key exists. */
export function request(ctx: Context<unknown, CreateScheduleStash>): DynamoDBPutItemRequest {
  const item = ctx.stash.replay ?? ctx.stash.item;
  const { pk, sk, ...attributes } = item;
  return {
    operation: 'PutItem',
    key: util.dynamodb.toMapValues({ pk, sk }),
    attributeValues: util.dynamodb.toMapValues(attributes),
    condition: { expression: 'attribute_not_exists(pk)' },
  };
}

/**
 * Records whether this request created the item, which decides the SQS hand-over. Outside a
 * replay the id was minted by this request, so an existing item can only be this request's own
 * put whose answer was lost and whose retry then failed the condition: it counts as created, and
 * the fast path still hands it to the delay queue instead of leaving it to the stranded sweep.
 */
export function response(ctx: Context<unknown, CreateScheduleStash>): ScheduleItem | null {
  if (isConditionFailure(ctx.error) && ctx.stash.replay) {
    ctx.stash.created = false;
    return null;
  }
  if (!isConditionFailure(ctx.error)) {
    failOnError(ctx.error);
  }
  ctx.stash.created = true;
  ctx.stash.schedule = ctx.stash.replay ?? ctx.stash.item;
  return ctx.stash.schedule;
}
