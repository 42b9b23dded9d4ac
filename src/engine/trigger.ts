import type { TriggerDeps } from './deps.js';
import { EngineError } from './errors.js';
import { describeError, MetricName, observabilityOf } from './observability.js';

/** What one trigger invocation started. */
export interface TriggerReport {
  readonly started: readonly number[];
  readonly failed: readonly number[];
}

/**
 * The fan-out trigger (EventBridge, every minute): starts one feeder run per shard, all at once.
 * Throws after trying every shard when any start failed, so the failure shows in Lambda's
 * error metrics; a retry is harmless because each shard's lease admits one run at a time.
 */
export function makeTriggerHandler(deps: TriggerDeps): (event?: unknown) => Promise<TriggerReport> {
  const { logger, metrics } = observabilityOf(deps, 'trigger');
  return async () => {
    const shards = Array.from({ length: deps.settings.shardCount }, (_, shard) => shard);
    const results = await Promise.allSettled(shards.map((shard) => deps.startFeeder(shard)));
    const failed: number[] = [];
    results.forEach((result, shard) => {
      if (result.status === 'rejected') {
        failed.push(shard);
        logger.error('starting a feeder run failed', {
          shard,
          error: describeError(result.reason),
        });
      }
    });
    const report = { started: shards.filter((shard) => !failed.includes(shard)), failed };
    logger.info('feeder runs started', { started: report.started.length, failed });
    if (failed.length > 0) metrics.count(MetricName.triggerErrors, failed.length);
    metrics.flush();
    if (failed.length > 0) {
      throw new EngineError(`Starting feeder runs failed for shards ${failed.join(', ')}`);
    }
    return report;
  };
}
