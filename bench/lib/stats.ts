/** Percentiles of a set of lateness samples, in milliseconds. */
export interface LatenessSummary {
  readonly count: number;
  readonly min: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly max: number;
  readonly mean: number;
}

/** Value at quantile `q` (0..1) of ascending `sorted`, nearest-rank; NaN when empty. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] as number;
}

/** Summarises lateness samples (ms); every figure is NaN when there are none. */
export function summarize(samples: readonly number[]): LatenessSummary {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((total, value) => total + value, 0);
  return {
    count: sorted.length,
    min: sorted[0] ?? Number.NaN,
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    p99: quantile(sorted, 0.99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length,
  };
}

/** Evenly spaced picks of ascending samples, so a chart or JSON file stays small. */
export function downsample(sorted: readonly number[], limit: number): number[] {
  if (sorted.length <= limit) return [...sorted];
  const picks: number[] = [];
  for (let index = 0; index < limit; index += 1) {
    picks.push(sorted[Math.round((index * (sorted.length - 1)) / (limit - 1))] as number);
  }
  return picks;
}

/** Delivery accounting for one channel: what was expected, what arrived, what went wrong. */
export interface DeliveryCount {
  readonly expected: number;
  readonly received: number;
  readonly lost: number;
  readonly duplicated: number;
  /** Deliveries of ids that were never created in this run. */
  readonly unexpected: number;
}

/** Counts lost, duplicated and unexpected deliveries of `expected` ids from their receive counts. */
export function countDeliveries(
  expected: Iterable<string>,
  received: ReadonlyMap<string, number>,
): DeliveryCount {
  const wanted = new Set(expected);
  let lost = 0;
  let duplicated = 0;
  let total = 0;
  for (const id of wanted) {
    const times = received.get(id) ?? 0;
    if (times === 0) lost += 1;
    if (times > 1) duplicated += times - 1;
  }
  let unexpected = 0;
  for (const [id, times] of received) {
    total += times;
    if (!wanted.has(id)) unexpected += times;
  }
  return { expected: wanted.size, received: total, lost, duplicated, unexpected };
}
