/** Where the smoke writes its lines (stdout in the command, a buffer in tests). */
export interface SmokeOutput {
  line(text: string): void;
}

/** A check that did not hold: what was expected, what was seen, what it likely means. */
export interface CheckFailure {
  readonly expected: string;
  readonly seen: string;
  readonly likely: string;
}

/** Thrown by a step whose check failed; the run stops there when later steps depend on it. */
export class CheckFailedError extends Error {
  override readonly name = 'CheckFailedError';

  constructor(
    readonly check: string,
    readonly failure: CheckFailure,
  ) {
    super(`${check}: expected ${failure.expected}; seen ${failure.seen}`);
  }
}

/** The endpoint could not be reached at all; exit code 3. */
export class UnreachableError extends Error {
  override readonly name = 'UnreachableError';
}

const NAME_WIDTH = 12;

/** Prints checks as they complete and remembers which failed. */
export class SmokeReport {
  readonly failed: string[] = [];
  passed = 0;

  constructor(private readonly out: SmokeOutput) {}

  /** A line of context, not a check. */
  info(text: string): void {
    this.out.line(`  ${text}`);
  }

  pass(check: string, detail: string): void {
    this.passed += 1;
    this.out.line(`  ok    ${check.padEnd(NAME_WIDTH)} ${detail}`);
  }

  fail(check: string, failure: CheckFailure): void {
    this.failed.push(check);
    this.out.line(`  FAIL  ${check.padEnd(NAME_WIDTH)} expected: ${failure.expected}`);
    const indent = ' '.repeat(NAME_WIDTH + 9);
    this.out.line(`${indent}seen:     ${failure.seen}`);
    this.out.line(`${indent}likely:   ${failure.likely}`);
  }

  /** Records `failure` when present, otherwise a pass with `detail`. */
  check(check: string, failure: CheckFailure | undefined, detail: string): boolean {
    if (failure === undefined) this.pass(check, detail);
    else this.fail(check, failure);
    return failure === undefined;
  }
}

/** The nearest-rank percentile of `values` (0 < p <= 100); undefined when empty. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** "p50 12 ms, max 30 ms", or "none" when nothing was measured. */
export function describeLateness(values: readonly number[]): string {
  if (values.length === 0) return 'none measured';
  return `p50 ${percentile(values, 50)} ms, max ${Math.max(...values)} ms`;
}
