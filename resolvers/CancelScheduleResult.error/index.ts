/* CancelScheduleResult.error: why this id was not cancelled, or null when it was. */
import type { Context } from '@aws-appsync/utils';
import { ErrorType } from '../../src/domain/index.js';
import type { BulkCancelElement, BulkCancelStash } from '../lib/bulk-cancel.js';
import type { ItemError } from '../lib/bulk-create.js';

/** Nothing to prepare: the functions settle the id. */
export function request(
  _ctx: Context<unknown, BulkCancelStash, BulkCancelElement>,
): Record<string, never> {
  return {};
}

/** The refusal, or null after a successful cancel. */
export function response(
  ctx: Context<unknown, BulkCancelStash, BulkCancelElement>,
): ItemError | null {
  if (ctx.stash.error) {
    return ctx.stash.error;
  }
  return ctx.stash.schedule
    ? null
    : {
        errorType: ErrorType.conflict,
        message: `Schedule ${ctx.source.id} was left undecided; retry`,
      };
}
