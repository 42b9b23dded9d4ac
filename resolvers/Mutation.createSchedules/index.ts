/*
 * createSchedules: up to 25 schedules in one request, with batch operations only (no conditional
 * writes). Each input is validated alone; a bad one gets an item error and the rest go on. With a
 * clientToken the id is derived from (owner, clientToken), so a retry or a concurrent duplicate
 * rebuilds the same id and writes the same item instead of a second schedule.
 */
import { util, type Context } from '@aws-appsync/utils';
import {
  ErrorType,
  clientTokenKey,
  makeScheduleId,
  scheduleKey,
  ulidFromBase64Seed,
  validateCreateSchedule,
  scheduleView,
  type SchedulerSettings,
} from '../../src/domain/index.js';
import type {
  CreateScheduleInput,
  MutationCreateSchedulesArgs,
} from '../../src/generated/graphql.js';
import { callerOwner, settingsFrom } from '../lib/common.js';
import {
  checkBulkCount,
  type BulkCreateEntry,
  type BulkCreateStash,
  type ItemError,
} from '../lib/bulk-create.js';
import { tableNameFrom } from '../lib/batch-read.js';
import { newScheduleItem } from '../lib/new-schedule.js';

const DAY_SECONDS = 86_400;

interface Planning {
  readonly owner: string;
  readonly nowMs: number;
  readonly settings: SchedulerSettings;
  /** The first valid input of each clientToken, by token. */
  readonly firstByToken: Record<string, BulkCreateEntry>;
}

function itemError(errorType: string, message: string): ItemError {
  return { errorType, message };
}

/** Validates one input and plans its item; the error names `inputs[<index>].<field>`. */
function planEntry(input: CreateScheduleInput, index: number, p: Planning): BulkCreateEntry {
  const field = `inputs[${index}].`;
  if (input.key !== undefined && input.key !== null) {
    return {
      index,
      error: itemError(
        ErrorType.validation,
        `${field}key is not accepted here: use createSchedule for keyed schedules (taking a key needs a conditional write); received ${input.key}`,
      ),
    };
  }
  const dueAtText = input.dueAt ?? null;
  const parsed = validateCreateSchedule(
    {
      dueAt: dueAtText,
      delaySeconds: input.delaySeconds ?? null,
      payload: input.payload as unknown,
      clientToken: input.clientToken ?? null,
      onConflict: input.onConflict ?? null,
      labels: input.labels ?? null,
      deliver: input.deliver ?? null,
    },
    p.nowMs,
    p.settings,
  );
  if (!parsed.ok) {
    // The domain names fields as `input.<field>`; here each belongs to one of the inputs.
    return {
      index,
      error: itemError(parsed.error.type, parsed.error.message.split('input.').join(field)),
    };
  }
  const accepted = parsed.value;
  const token = accepted.clientToken;
  const ulid =
    token === null
      ? util.autoUlid()
      : ulidFromBase64Seed(util.base64Encode(JSON.stringify([p.owner, token])));
  const id = makeScheduleId(accepted.dueAtMs, ulid, p.settings.shardCount);
  const key = scheduleKey(id, p.settings.bucketWidthSeconds);
  if (key === null) {
    return util.error(`Could not derive a key from id ${id}`, 'InternalError');
  }
  const entry: BulkCreateEntry = {
    index,
    item: newScheduleItem({ accepted, owner: p.owner, id, key, nowMs: p.nowMs }),
    requestDue:
      dueAtText === null ? `delaySeconds:${input.delaySeconds}` : `dueAt:${accepted.dueAt}`,
    tokenTtl: Math.floor(accepted.dueAtMs / 1000) + p.settings.finishedRetentionDays * DAY_SECONDS,
    dueAtMs: accepted.dueAtMs,
  };
  if (token === null) {
    return entry;
  }
  entry.tokenKey = clientTokenKey(p.owner, token);
  const first = p.firstByToken[token];
  if (first === undefined) {
    p.firstByToken[token] = entry;
    return entry;
  }
  // The same token twice in one call: one schedule, unless the two requests differ.
  if (first.requestDue !== entry.requestDue || first.item?.payload !== entry.item?.payload) {
    return {
      index,
      error: itemError(
        ErrorType.idempotencyConflict,
        `${field}clientToken ${token} is used by inputs[${first.index}] of this call for a different request`,
      ),
    };
  }
  entry.sameAs = first.index;
  return entry;
}

/** Validates the inputs and plans the items; the pipeline functions read, write and send. */
export function request(
  ctx: Context<MutationCreateSchedulesArgs, BulkCreateStash>,
): Record<string, never> {
  const inputs = ctx.args.inputs ?? [];
  checkBulkCount('inputs', inputs.length);
  const settings = settingsFrom(ctx.env);
  const planning: Planning = {
    owner: callerOwner(ctx.identity),
    nowMs: util.time.nowEpochMilliSeconds(),
    settings,
    firstByToken: {},
  };
  const entries = inputs.map((input, index) => planEntry(input, index, planning));
  for (const entry of entries) {
    if (entry.item && entry.item.status === 'QUEUED' && !ctx.env['DELAY_QUEUE_URL']) {
      util.error('DELAY_QUEUE_URL is not set; received an empty value', ErrorType.configuration);
    }
  }
  ctx.stash.tableName = tableNameFrom(ctx.env);
  ctx.stash.owner = planning.owner;
  ctx.stash.nowMs = planning.nowMs;
  ctx.stash.finishedRetentionDays = settings.finishedRetentionDays;
  ctx.stash.entries = entries;
  return {};
}

/** One result per input, in input order: the schedule, or why that input failed. */
export function response(
  ctx: Context<MutationCreateSchedulesArgs, BulkCreateStash>,
): { schedule: unknown; error: ItemError | null }[] {
  const entries = ctx.stash.entries;
  return entries.map((entry) => {
    const outcome = entry.sameAs === undefined ? entry : (entries[entry.sameAs] ?? entry);
    if (outcome.error) {
      return { schedule: null, error: outcome.error };
    }
    if (outcome.schedule) {
      return { schedule: scheduleView(outcome.schedule), error: null };
    }
    return {
      schedule: null,
      error: itemError('InternalError', `inputs[${entry.index}] was left undecided`),
    };
  });
}
