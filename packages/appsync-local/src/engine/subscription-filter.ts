/*
 * Evaluates AppSync enhanced subscription filters (what extensions.setSubscriptionFilter
 * receives): groups are OR'ed, the filters inside a group AND'ed.
 */

/** One rule: `fieldName` (dots reach nested fields) `operator` `value`. */
export interface SubscriptionFilterRule {
  readonly fieldName: string;
  readonly operator: string;
  readonly value?: unknown;
}

/** The `{ filterGroup: [{ filters: [...] }] }` object built by util.transform.toSubscriptionFilter. */
export interface SubscriptionFilterSpec {
  readonly filterGroup: readonly { readonly filters: readonly SubscriptionFilterRule[] }[];
}

function fieldValue(event: unknown, fieldName: string): unknown {
  let value: unknown = event;
  for (const part of fieldName.split('.')) {
    value =
      value !== null && typeof value === 'object'
        ? (value as Record<string, unknown>)[part]
        : undefined;
  }
  return value;
}

function compare(a: unknown, b: unknown): number | null {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return null;
}

function contains(actual: unknown, expected: unknown): boolean {
  if (typeof actual === 'string' && typeof expected === 'string') return actual.includes(expected);
  return Array.isArray(actual) && actual.includes(expected);
}

function ordered(test: (difference: number) => boolean) {
  return (a: unknown, b: unknown): boolean => {
    const difference = compare(a, b);
    return difference !== null && test(difference);
  };
}

const OPERATORS: Readonly<Record<string, (actual: unknown, expected: unknown) => boolean>> = {
  eq: (a, b) => a === b,
  ne: (a, b) => a !== b,
  lt: ordered((d) => d < 0),
  le: ordered((d) => d <= 0),
  gt: ordered((d) => d > 0),
  ge: ordered((d) => d >= 0),
  contains,
  notContains: (a, b) => !contains(a, b),
  beginsWith: (a, b) => typeof a === 'string' && typeof b === 'string' && a.startsWith(b),
  in: (a, b) => Array.isArray(b) && b.includes(a),
  notIn: (a, b) => Array.isArray(b) && !b.includes(a),
  between: (a, b) =>
    Array.isArray(b) && ordered((d) => d >= 0)(a, b[0]) && ordered((d) => d <= 0)(a, b[1]),
  containsAny: (a, b) => Array.isArray(a) && Array.isArray(b) && b.some((x) => a.includes(x)),
};

/**
 * The value types AppSync documents per operator, where they are narrower than "any": `contains`
 * and `notContains` take one integer, float or string (a list field matches when one element
 * equals it, a string field when it holds it as a substring); `beginsWith` takes a string.
 */
const SCALAR_VALUE: Readonly<Record<string, (value: unknown) => boolean>> = {
  contains: (v) => typeof v === 'string' || typeof v === 'number',
  notContains: (v) => typeof v === 'string' || typeof v === 'number',
  beginsWith: (v) => typeof v === 'string',
};

/** Throws when the filter uses an operator AppSync does not define, or a value it does not take. */
export function checkSubscriptionFilter(filter: SubscriptionFilterSpec): void {
  for (const group of filter.filterGroup) {
    for (const rule of group.filters) {
      if (OPERATORS[rule.operator] === undefined) {
        throw new Error(
          `Unknown subscription filter operator "${rule.operator}" on ${rule.fieldName}`,
        );
      }
      const accepts = SCALAR_VALUE[rule.operator];
      if (accepts !== undefined && !accepts(rule.value)) {
        throw new Error(
          `Subscription filter operator "${rule.operator}" on ${rule.fieldName} takes ${rule.operator === 'beginsWith' ? 'a string' : 'one integer, float or string'}; received ${JSON.stringify(rule.value)}`,
        );
      }
    }
  }
}

/** Whether an event passes the filter; no filter lets everything through. */
export function matchesSubscriptionFilter(
  filter: SubscriptionFilterSpec | null | undefined,
  event: unknown,
): boolean {
  if (filter === null || filter === undefined || filter.filterGroup.length === 0) return true;
  return filter.filterGroup.some((group) =>
    group.filters.every((rule) =>
      (OPERATORS[rule.operator] ?? (() => false))(fieldValue(event, rule.fieldName), rule.value),
    ),
  );
}
