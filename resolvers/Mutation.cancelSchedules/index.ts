/*
 * cancelSchedules: validates up to 25 ids and reads them in one batch; ids in a final state get
 * their error here. Live ones are cancelled by the resolvers of CancelScheduleResult's fields,
 * one conditional update per id (see lib/bulk-cancel.ts for why a batch write cannot do it).
 */
import { util, type Context } from '@aws-appsync/utils';
import {
  ErrorType,
  isoFromEpochMs,
  scheduleKey,
  validateIdArgument,
} from '../../src/domain/index.js';
import type { MutationCancelSchedulesArgs } from '../../src/generated/graphql.js';
import { tableNameFrom } from '../lib/batch-read.js';
import { checkBulkCount } from '../lib/bulk-create.js';
import type { BulkCancelElement } from '../lib/bulk-cancel.js';
import { callerOwner, settingsFrom } from '../lib/common.js';

const DAY_SECONDS = 86_400;

/** What the pipeline's steps share. */
export interface CancelSchedulesStash {
  tableName: string;
  elements: BulkCancelElement[];
}

/** Plans one element per id; the cancel time is the request's, shared by every id. */
export function request(
  ctx: Context<MutationCancelSchedulesArgs, CancelSchedulesStash>,
): Record<string, never> {
  const ids = ctx.args.ids ?? [];
  checkBulkCount('ids', ids.length);
  // The cancels run in the result's field resolvers: a selection with none of them cancels nothing.
  if (ctx.info.selectionSetList.length === 0) {
    util.error(
      'cancelSchedules needs a selection of id, schedule or error; received none',
      ErrorType.validation,
    );
  }
  const settings = settingsFrom(ctx.env);
  const owner = callerOwner(ctx.identity);
  const nowMs = util.time.nowEpochMilliSeconds();
  const cancelledAt = isoFromEpochMs(nowMs);
  const ttl = Math.floor(nowMs / 1000) + settings.finishedRetentionDays * DAY_SECONDS;
  ctx.stash.tableName = tableNameFrom(ctx.env);
  ctx.stash.elements = ids.map((id, index) => {
    const base = { id, owner, cancelledAt, ttl };
    const checked = validateIdArgument(`ids[${index}]`, id);
    if (!checked.ok) {
      return { ...base, error: { errorType: checked.error.type, message: checked.error.message } };
    }
    const key = scheduleKey(id, settings.bucketWidthSeconds);
    if (key === null) {
      return {
        ...base,
        error: { errorType: ErrorType.notFound, message: `No schedule with id ${id}` },
      };
    }
    return { ...base, key };
  });
  return {};
}

/** The list's elements, in id order; their fields settle each id. */
export function response(
  ctx: Context<MutationCancelSchedulesArgs, CancelSchedulesStash>,
): BulkCancelElement[] {
  return ctx.stash.elements;
}
