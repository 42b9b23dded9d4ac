/*
 * The `@aws-appsync/utils/dynamodb` module: input objects to DynamoDB request objects for the
 * AMAZON_DYNAMODB data source. Transactions and Sync are absent (dynalite has neither) and fail
 * loudly when used.
 */
import { toMapValues, type AttributeValueJson } from './dynamodb-util.js';
import {
  ExpressionBuilder,
  buildFilterExpression,
  renderFilter,
  type DynamoDBExpressionJson,
} from './expression.js';
import { buildUpdateExpression, operations } from './dynamodb-update.js';
import { HelperArgumentError, UnsupportedHelperError } from './errors.js';

type Input = Record<string, unknown>;

function defined(entries: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(entries).filter(([, value]) => value !== undefined && value !== null),
  );
}

function key(helper: string, input: Input): Record<string, AttributeValueJson> {
  if (
    input === null ||
    typeof input !== 'object' ||
    typeof input['key'] !== 'object' ||
    input['key'] === null
  ) {
    throw new HelperArgumentError(helper, 'a "key" object is required', input);
  }
  return toMapValues(input['key'] as Record<string, unknown>);
}

function condition(input: Input, helper: string): DynamoDBExpressionJson | undefined {
  const value = input['condition'];
  return value === undefined || value === null
    ? undefined
    : buildFilterExpression(value as Input, helper);
}

/** Projection list (`['id', 'nested.items[1]']`) to a projection expression. */
export function projection(
  list: unknown,
): { expression: string; expressionNames: Record<string, string> } | undefined {
  if (!Array.isArray(list) || list.length === 0) return undefined;
  const b = new ExpressionBuilder('projection');
  const paths = list.map((path: unknown) =>
    String(path)
      .split('.')
      .map((segment) => {
        const match = /^([^[\]]+)((?:\[\d+\])*)$/.exec(segment);
        if (match === null) return b.fail('not an attribute path', path);
        return `${b.name(match[1] ?? '')}${match[2] ?? ''}`;
      })
      .join('.'),
  );
  return { expression: paths.join(', '), expressionNames: b.names };
}

function keyCondition(query: unknown): DynamoDBExpressionJson {
  if (query === null || typeof query !== 'object') {
    throw new HelperArgumentError('query', 'a "query" key condition object is required', query);
  }
  const b = new ExpressionBuilder('query');
  const clauses = Object.entries(query as Input).map(([field, spec]) =>
    renderFilter(b, { [field]: spec }),
  );
  return b.finish(clauses.join(' AND '));
}

function listOptions(input: Input, helper: string): Record<string, unknown> {
  const filter = input['filter'];
  return defined({
    index: input['index'],
    nextToken: input['nextToken'],
    limit: input['limit'],
    consistentRead: input['consistentRead'],
    select: input['select'],
    filter:
      filter === undefined || filter === null
        ? undefined
        : buildFilterExpression(filter as Input, helper),
    projection: projection(input['projection']),
  });
}

/* dynalite has no transactions and no Sync (delta tables), so these fail by name when called. */
function notSupported(name: string): () => never {
  return () => {
    throw new UnsupportedHelperError(`@aws-appsync/utils/dynamodb ${name}`);
  };
}

/** The module's exports, as resolver bundles import them. */
export const dynamodbModule = {
  get: (input: Input) =>
    defined({
      operation: 'GetItem',
      key: key('get', input),
      consistentRead: input['consistentRead'],
      projection: projection(input['projection']),
    }),
  put: (input: Input) =>
    defined({
      operation: 'PutItem',
      key: key('put', input),
      attributeValues: toMapValues((input['item'] ?? {}) as Input),
      condition: condition(input, 'put'),
    }),
  remove: (input: Input) =>
    defined({
      operation: 'DeleteItem',
      key: key('remove', input),
      condition: condition(input, 'remove'),
    }),
  update: (input: Input) =>
    defined({
      operation: 'UpdateItem',
      key: key('update', input),
      update: buildUpdateExpression(input['update'] as Input),
      condition: condition(input, 'update'),
    }),
  query: (input: Input) =>
    defined({
      operation: 'Query',
      query: keyCondition(input['query']),
      scanIndexForward: input['scanIndexForward'],
      ...listOptions(input, 'query'),
    }),
  scan: (input: Input) =>
    defined({
      operation: 'Scan',
      segment: input['segment'],
      totalSegments: input['totalSegments'],
      ...listOptions(input, 'scan'),
    }),
  batchGet: (input: { tables: Record<string, Input> }) => ({
    operation: 'BatchGetItem',
    tables: Object.fromEntries(
      Object.entries(input.tables).map(([table, spec]) => [
        table,
        defined({
          keys: (spec['keys'] as Input[]).map((entry) => toMapValues(entry)),
          consistentRead: spec['consistentRead'],
          projection: projection(spec['projection']),
        }),
      ]),
    ),
  }),
  batchPut: (input: { tables: Record<string, Input[]> }) => ({
    operation: 'BatchPutItem',
    tables: Object.fromEntries(
      Object.entries(input.tables).map(([table, items]) => [
        table,
        items.map((item) => toMapValues(item)),
      ]),
    ),
  }),
  batchDelete: (input: { tables: Record<string, Input[]> }) => ({
    operation: 'BatchDeleteItem',
    tables: Object.fromEntries(
      Object.entries(input.tables).map(([table, keys]) => [
        table,
        keys.map((entry) => toMapValues(entry)),
      ]),
    ),
  }),
  transactGet: notSupported('transactGet'),
  transactWrite: notSupported('transactWrite'),
  sync: notSupported('sync'),
  toStringSet: (list: string[]) => ({ SS: list.map(String) }),
  toNumberSet: (list: number[]) => ({ NS: list.map(String) }),
  toBinarySet: (list: string[]) => ({ BS: list.map(String) }),
  operations,
};
