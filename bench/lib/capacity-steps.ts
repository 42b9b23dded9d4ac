/** The p99 lateness a capacity step may reach and still pass, in ms. */
export const CAPACITY_P99_LIMIT_MS = 200;

/** The firing rates a capacity run tries, in order: `first` doubled up to `max` (inclusive). */
export function capacityRates(first: number, max: number): number[] {
  if (!Number.isFinite(first) || first <= 0) {
    throw new Error(`the first capacity rate must be positive; received ${first}`);
  }
  const rates: number[] = [];
  for (let rate = first; rate <= max; rate *= 2) rates.push(rate);
  return rates;
}

/** What one capacity step measured. */
export interface CapacityStep {
  /** Firings per second. */
  readonly rate: number;
  readonly count: number;
  /** Subscription (ours) or worker (peer) lateness p99, ms; NaN when nothing arrived. */
  readonly p99: number;
  /** Schedules not delivered on some channel. */
  readonly lost: number;
  /** Schedules created after their due time (the load generator fell behind). */
  readonly createdAfterDue: number;
}

/** A step passes when its p99 is within the limit and nothing was lost or created late. */
export function stepPasses(step: CapacityStep, limitMs = CAPACITY_P99_LIMIT_MS): boolean {
  return (
    Number.isFinite(step.p99) &&
    step.p99 <= limitMs &&
    step.lost === 0 &&
    step.createdAfterDue === 0
  );
}

/**
 * The highest rate of the steps that passed before the first failure (steps in rate order);
 * 0 when the first step failed.
 */
export function highestPassingRate(
  steps: readonly CapacityStep[],
  limitMs = CAPACITY_P99_LIMIT_MS,
): number {
  let highest = 0;
  for (const step of steps) {
    if (!stepPasses(step, limitMs)) break;
    highest = step.rate;
  }
  return highest;
}

/**
 * Runs `measure` for each rate in order and stops after the first step that fails; returns the
 * steps measured.
 */
export async function stepUntilFailure<Step extends CapacityStep>(
  rates: readonly number[],
  measure: (rate: number) => Promise<Step>,
): Promise<Step[]> {
  const steps: Step[] = [];
  for (const rate of rates) {
    const step = await measure(rate);
    steps.push(step);
    if (!stepPasses(step)) break;
  }
  return steps;
}
