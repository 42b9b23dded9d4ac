/* rescheduleSchedule step 7: confirms N once O is retired, or deletes N when O could not be. */
import type {
  Context,
  DynamoDBDeleteItemRequest,
  DynamoDBUpdateItemRequest,
} from '@aws-appsync/utils';
import type { ScheduleItem } from '../../src/domain/index.js';
import { failOnError, isConditionFailure } from '../lib/common.js';
import type { RescheduleStash } from '../lib/reschedule-stash.js';
import { confirmRequest, discardRequest } from '../lib/supersede.js';

/** Confirm (`pendingOwner`, no `supersedes`) or delete, both only while N is unconfirmed. */
export function request(
  ctx: Context<unknown, RescheduleStash>,
): DynamoDBUpdateItemRequest | DynamoDBDeleteItemRequest {
  const item = ctx.stash.item as ScheduleItem;
  const oldId = (ctx.stash.old as ScheduleItem).id;
  return ctx.stash.retired ? confirmRequest(item, oldId) : discardRequest(item, oldId);
}

/** A failed condition means the dispatcher confirmed (or voided) N first: nothing left to do. */
export function response(ctx: Context<unknown, RescheduleStash>): null {
  if (!isConditionFailure(ctx.error)) {
    failOnError(ctx.error);
  }
  return null;
}
