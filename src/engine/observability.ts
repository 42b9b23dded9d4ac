import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** Names of the engine's CloudWatch metrics (EMF). */
export const MetricName = {
  fired: 'Fired',
  dropped: 'Dropped',
  droppedCancelled: 'DroppedCancelled',
  droppedDuplicate: 'DroppedDuplicate',
  droppedRescheduled: 'DroppedRescheduled',
  replacementConfirmed: 'ReplacementConfirmed',
  replacementWaiting: 'ReplacementWaiting',
  replacementVoided: 'ReplacementVoided',
  latenessMs: 'LatenessMs',
  holdMs: 'HoldMs',
  redelayed: 'Redelayed',
  swept: 'Swept',
  sent: 'Sent',
  resent: 'Resent',
  sendFailed: 'SendFailed',
  deliveryFailed: 'DeliveryFailed',
  deliveryDeadLettered: 'DeliveryDeadLettered',
  redelivered: 'Redelivered',
  claimsDeadLettered: 'ClaimsDeadLettered',
  malformedMessage: 'MalformedMessage',
  unknownSchedule: 'UnknownSchedule',
  feederErrors: 'FeederErrors',
  feederIncomplete: 'FeederIncomplete',
  feederLeaseBusy: 'FeederLeaseBusy',
  watermarkLagSeconds: 'WatermarkLagSeconds',
  triggerErrors: 'TriggerErrors',
} as const;

export type MetricNameValue = (typeof MetricName)[keyof typeof MetricName];

/** The structured logger the engine writes to; Powertools' Logger satisfies it. */
export type EngineLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

/** Where the engine records its metrics. */
export interface EngineMetrics {
  /** Adds `value` (default 1) to a counter. */
  count(name: MetricNameValue, value?: number): void;
  /** Records one sample of a duration, e.g. a schedule's lateness. */
  milliseconds(name: MetricNameValue, value: number): void;
  /** Records one sample of a duration in seconds. */
  seconds(name: MetricNameValue, value: number): void;
  /** Writes what was recorded since the last flush (EMF to stdout in the cloud). */
  flush(): void;
}

/** The service name in logs and the metrics namespace. */
export const SERVICE_NAME = 'precise-scheduler';
export const METRICS_NAMESPACE = 'PreciseScheduler';

/** The service and namespace a deployment sets (POWERTOOLS_*), else the defaults above. */
export function observabilityNames(env: Readonly<Record<string, string | undefined>>): {
  serviceName: string;
  namespace: string;
} {
  const set = (value: string | undefined) => (value === '' ? undefined : value);
  return {
    serviceName: set(env['POWERTOOLS_SERVICE_NAME']) ?? SERVICE_NAME,
    namespace: set(env['POWERTOOLS_METRICS_NAMESPACE']) ?? METRICS_NAMESPACE,
  };
}

/**
 * The one dimension set every engine metric carries. CloudWatch matches an alarm's dimensions
 * exactly, so an alarm on an engine metric must name all of these and nothing else.
 */
export function metricDimensions(serviceName: string, handler: string): Record<string, string> {
  return { service: serviceName, handler };
}

/** Engine metrics written as CloudWatch EMF by Powertools. */
export function powertoolsMetrics(metrics: Metrics): EngineMetrics {
  let pending = false;
  const add = (name: string, unit: (typeof MetricUnit)[keyof typeof MetricUnit], value: number) => {
    metrics.addMetric(name, unit, value);
    pending = true;
  };
  return {
    count: (name, value = 1) => add(name, MetricUnit.Count, value),
    milliseconds: (name, value) => add(name, MetricUnit.Milliseconds, value),
    seconds: (name, value) => add(name, MetricUnit.Seconds, value),
    flush: () => {
      // Powertools warns on an empty flush; an idle run has nothing to report.
      if (pending) {
        metrics.publishStoredMetrics();
        pending = false;
      }
    },
  };
}

/** Engine metrics kept in memory: for the local stack and tests, which read them back. */
export class MemoryMetrics implements EngineMetrics {
  readonly #counts = new Map<string, number>();
  readonly #samples = new Map<string, number[]>();

  count(name: MetricNameValue, value = 1): void {
    this.#counts.set(name, (this.#counts.get(name) ?? 0) + value);
  }

  milliseconds(name: MetricNameValue, value: number): void {
    this.#samples.set(name, [...(this.#samples.get(name) ?? []), value]);
  }

  seconds(name: MetricNameValue, value: number): void {
    this.milliseconds(name, value);
  }

  flush(): void {}

  /** Sum of a counter (0 when never counted). */
  total(name: MetricNameValue): number {
    return this.#counts.get(name) ?? 0;
  }

  /** Every sample recorded for a duration metric, in order. */
  samples(name: MetricNameValue): readonly number[] {
    return this.#samples.get(name) ?? [];
  }
}

/** Logger and metrics for one handler. */
export interface EngineObservability {
  readonly logger: EngineLogger;
  readonly metrics: EngineMetrics;
}

/**
 * Powertools logger and EMF metrics for a cloud handler, or with `silent` a logger that writes
 * nothing and in-memory metrics (the local stack and tests).
 */
export function createObservability(
  options: {
    handler: string;
    silent?: boolean;
    env?: Readonly<Record<string, string | undefined>>;
  } = { handler: 'engine' },
): EngineObservability {
  // Explicit names win over POWERTOOLS_* in Powertools, so the environment is read here.
  const { serviceName, namespace } = observabilityNames(options.env ?? process.env);
  const logger = new Logger({
    serviceName,
    ...(options.silent === true ? { logLevel: 'SILENT' as const } : {}),
    persistentKeys: { handler: options.handler },
  });
  if (options.silent === true) {
    return { logger, metrics: new MemoryMetrics() };
  }
  const metrics = new Metrics({
    namespace,
    serviceName,
    defaultDimensions: metricDimensions(serviceName, options.handler),
  });
  return { logger, metrics: powertoolsMetrics(metrics) };
}

/** What a log line says about an error: its name and message, never a payload. */
export function describeError(error: unknown): Record<string, unknown> {
  if (error instanceof Error) {
    return { name: error.name, message: error.message };
  }
  return { name: 'NonError', message: String(error) };
}

/** The deps' own logger and metrics, with Powertools defaults for whichever is missing. */
export function observabilityOf(
  deps: { readonly logger?: EngineLogger; readonly metrics?: EngineMetrics },
  handler: string,
): EngineObservability {
  if (deps.logger !== undefined && deps.metrics !== undefined) {
    return { logger: deps.logger, metrics: deps.metrics };
  }
  const fallback = createObservability({ handler });
  return { logger: deps.logger ?? fallback.logger, metrics: deps.metrics ?? fallback.metrics };
}
