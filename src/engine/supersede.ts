/*
 * The dispatcher's side of the supersede protocol (a reschedule, or a create that REPLACEs by
 * key): a replacement item carries `supersedes` until the old schedule is RESCHEDULED to it and
 * the write confirming it lands. The claim refuses it meanwhile; this decides what happens next.
 */
import type { ScheduleStore } from '../aws/schedule-store.js';
import { scheduleKey, type ScheduleKey } from '../domain/keys.js';
import type { ScheduleItem } from '../domain/schedule-item.js';
import { planSupersede } from './dispatch-plan.js';
import { MetricName, type EngineLogger, type EngineMetrics } from './observability.js';

/** What settling a replacement needs from the dispatcher. */
export interface SupersedeContext {
  readonly store: ScheduleStore;
  readonly logger: EngineLogger;
  readonly metrics: EngineMetrics;
  readonly clock: () => number;
  readonly bucketWidthSeconds: number;
  readonly finishedRetentionDays: number;
}

/**
 * What became of an unconfirmed replacement: confirmed (or changed meanwhile), so claim again;
 * voided, so drop the message; or its reschedule may still be running, so look again later.
 */
export type SettleStep =
  | { readonly kind: 'claim-again' }
  | { readonly kind: 'voided' }
  | { readonly kind: 'retry'; readonly delaySeconds: number };

const DAY_SECONDS = 86_400;

/** Reads the schedule a replacement supersedes; null when its id names no item. */
async function readOld(ctx: SupersedeContext, oldId: string): Promise<ScheduleItem | null> {
  const key = scheduleKey(oldId, ctx.bucketWidthSeconds);
  return key === null ? null : ctx.store.get(key);
}

/**
 * Reads the old schedule of `item` (which still has `supersedes`) and acts as
 * {@link planSupersede} says: confirms the replacement when the old one is RESCHEDULED to it,
 * voids it (CANCELLED, never delivered) once it is too old to be confirmed, else asks to look
 * again later. A conditional write that loses means someone else settled it: claim again.
 */
export async function settleReplacement(
  ctx: SupersedeContext,
  item: ScheduleItem & { readonly supersedes: string },
  key: ScheduleKey,
): Promise<SettleStep> {
  const oldId = item.supersedes;
  const old = await readOld(ctx, oldId);
  const nowMs = ctx.clock();
  const plan = planSupersede(item, old, nowMs);
  if (plan.kind === 'retry') {
    return plan;
  }
  if (plan.kind === 'confirm') {
    if (await ctx.store.confirmReplacement(key, oldId, item.owner)) {
      ctx.metrics.count(MetricName.replacementConfirmed);
      ctx.logger.info('replacement confirmed by the dispatcher', {
        id: item.id,
        supersedes: oldId,
      });
    }
    return { kind: 'claim-again' };
  }
  const ttlSeconds = Math.floor(nowMs / 1000) + ctx.finishedRetentionDays * DAY_SECONDS;
  if (!(await ctx.store.voidReplacement(key, oldId, nowMs, ttlSeconds))) {
    return { kind: 'claim-again' };
  }
  ctx.metrics.count(MetricName.dropped);
  ctx.metrics.count(MetricName.replacementVoided);
  ctx.logger.warn('unconfirmed replacement voided; message dropped without delivery', {
    id: item.id,
    supersedes: oldId,
    createdAt: item.createdAt,
    oldStatus: old?.status ?? 'missing',
    oldRescheduledTo: old?.rescheduledTo,
  });
  return { kind: 'voided' };
}
