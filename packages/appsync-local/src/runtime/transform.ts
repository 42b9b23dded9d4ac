/*
 * util.transform: filter objects to DynamoDB filter/condition expressions (returned as JSON text,
 * as AppSync does) and to enhanced subscription filters ({ filterGroup: [{ filters: [...] }] }).
 */
import { HelperArgumentError } from './errors.js';
import { buildFilterExpression } from './expression.js';

/** One rule of an enhanced subscription filter. */
export interface SubscriptionFilterEntry {
  fieldName: string;
  operator: string;
  value: unknown;
}

const SUBSCRIPTION_OPERATORS = new Set([
  'eq',
  'ne',
  'le',
  'lt',
  'ge',
  'gt',
  'contains',
  'notContains',
  'beginsWith',
  'in',
  'notIn',
  'between',
  'containsAny',
]);
const MAX_IN_VALUES = 5;
const HELPER = 'util.transform.toSubscriptionFilter';

function cartesian(
  left: SubscriptionFilterEntry[][],
  right: SubscriptionFilterEntry[][],
): SubscriptionFilterEntry[][] {
  return left.flatMap((a) => right.map((b) => [...a, ...b]));
}

function fieldFilters(field: string, spec: unknown): SubscriptionFilterEntry[] {
  if (spec === null || typeof spec !== 'object' || Array.isArray(spec)) {
    throw new HelperArgumentError(HELPER, `"${field}" must map operators to values`, spec);
  }
  return Object.entries(spec as Record<string, unknown>).map(([operator, value]) => {
    if (!SUBSCRIPTION_OPERATORS.has(operator)) {
      throw new HelperArgumentError(
        HELPER,
        `operator "${operator}" on "${field}" is not supported`,
        spec,
      );
    }
    if (
      (operator === 'in' || operator === 'notIn') &&
      (!Array.isArray(value) || value.length > MAX_IN_VALUES)
    ) {
      throw new HelperArgumentError(
        HELPER,
        `${field}.${operator} takes a list of at most ${MAX_IN_VALUES} values`,
        value,
      );
    }
    return { fieldName: field, operator, value };
  });
}

function filterGroups(
  filter: Record<string, unknown>,
  ignored: ReadonlySet<string>,
): SubscriptionFilterEntry[][] {
  let groups: SubscriptionFilterEntry[][] = [[]];
  for (const [key, spec] of Object.entries(filter)) {
    if (spec === undefined || ignored.has(key)) continue;
    if (key === 'and') {
      for (const part of Array.isArray(spec) ? spec : [spec]) {
        groups = cartesian(groups, filterGroups(part as Record<string, unknown>, ignored));
      }
    } else if (key === 'or') {
      const branches = (Array.isArray(spec) ? spec : [spec]).flatMap((part) =>
        filterGroups(part as Record<string, unknown>, ignored),
      );
      groups = cartesian(groups, branches);
    } else {
      groups = cartesian(groups, [fieldFilters(key, spec)]);
    }
  }
  return groups;
}

/** util.transform.toSubscriptionFilter(filter, ignoredFields?, rules?). */
export function toSubscriptionFilter(
  filter: Record<string, unknown>,
  ignoredFields?: readonly string[] | null,
  rules?: Record<string, unknown> | null,
): { filterGroup: { filters: SubscriptionFilterEntry[] }[] } {
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) {
    throw new HelperArgumentError(HELPER, 'expected a filter object', filter);
  }
  let groups = filterGroups(filter, new Set(ignoredFields ?? []));
  if (rules !== undefined && rules !== null) {
    const ruleGroups = Object.entries(rules).flatMap(([field, spec]) =>
      fieldFilters(field, spec).map((rule) => [rule]),
    );
    if (ruleGroups.length > 0) groups = cartesian(groups, ruleGroups);
  }
  return {
    filterGroup: groups.filter((filters) => filters.length > 0).map((filters) => ({ filters })),
  };
}

/** Builds the util.transform namespace. */
export function createTransformUtils() {
  return {
    toDynamoDBFilterExpression: (filter: Record<string, unknown>): string =>
      JSON.stringify(buildFilterExpression(filter, 'util.transform.toDynamoDBFilterExpression')),
    toDynamoDBConditionExpression: (condition: Record<string, unknown>): string =>
      JSON.stringify(
        buildFilterExpression(condition, 'util.transform.toDynamoDBConditionExpression'),
      ),
    toSubscriptionFilter,
  };
}
