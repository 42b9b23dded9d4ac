/*
 * BatchGetItem / BatchPutItem / BatchDeleteItem request objects, which name their tables. Results
 * follow AppSync: { data: { <table>: [...] }, unprocessedKeys | unprocessedItems: { <table>: [...] } }.
 */
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  type AttributeValue,
  type DynamoDBClient,
  type WriteRequest,
} from '@aws-sdk/client-dynamodb';
import { fromSdkItem, toSdkMap } from './attribute-values.js';
import { mergeExpressions } from './dynamodb-expressions.js';
import { RequestShapeError } from './request-error.js';

type Request = Record<string, unknown>;
type Item = Record<string, AttributeValue>;

function tablesOf(request: Request): Record<string, unknown> {
  const tables = request['tables'];
  if (tables === null || typeof tables !== 'object') {
    throw new RequestShapeError(
      'AMAZON_DYNAMODB',
      `${String(request['operation'])} needs "tables"`,
      request,
    );
  }
  return tables as Record<string, unknown>;
}

function sameKey(item: Item, key: Item): boolean {
  return Object.entries(key).every(
    ([name, value]) => JSON.stringify(item[name]) === JSON.stringify(value),
  );
}

/** BatchGetItem: items in the order of the keys asked for, null where missing. */
export async function batchGetItem(client: DynamoDBClient, request: Request): Promise<unknown> {
  const asked: Record<string, Item[]> = {};
  const input: Record<
    string,
    {
      Keys: Item[];
      ConsistentRead?: boolean;
      ProjectionExpression?: string;
      ExpressionAttributeNames?: Record<string, string>;
    }
  > = {};
  for (const [table, spec] of Object.entries(tablesOf(request))) {
    const { keys, consistentRead, projection } = spec as {
      keys: unknown[];
      consistentRead?: boolean;
      projection?: unknown;
    };
    asked[table] = keys.map((key, index) => toSdkMap(key, `tables.${table}.keys[${index}]`));
    const x = mergeExpressions({ projection });
    input[table] = {
      Keys: asked[table],
      ConsistentRead: consistentRead,
      ProjectionExpression: x.text('projection'),
      ExpressionAttributeNames: x.names,
    };
  }
  const out = await client.send(new BatchGetItemCommand({ RequestItems: input }));
  const data: Record<string, unknown[]> = {};
  const unprocessedKeys: Record<string, unknown[]> = {};
  for (const [table, keys] of Object.entries(asked)) {
    const found = out.Responses?.[table] ?? [];
    const pending = out.UnprocessedKeys?.[table]?.Keys ?? [];
    data[table] = keys.map((key) => {
      const item = found.find((candidate) => sameKey(candidate, key));
      return item === undefined ? null : fromSdkItem(item);
    });
    unprocessedKeys[table] = pending.map(fromSdkItem);
  }
  return { data, unprocessedKeys };
}

async function batchWrite(client: DynamoDBClient, request: Request, kind: 'put' | 'delete') {
  const written: Record<string, Item[]> = {};
  const input: Record<string, WriteRequest[]> = {};
  for (const [table, entries] of Object.entries(tablesOf(request))) {
    written[table] = (entries as unknown[]).map((entry, index) =>
      toSdkMap(entry, `tables.${table}[${index}]`),
    );
    input[table] = written[table].map((item) =>
      kind === 'put' ? { PutRequest: { Item: item } } : { DeleteRequest: { Key: item } },
    );
  }
  const out = await client.send(new BatchWriteItemCommand({ RequestItems: input }));
  const data: Record<string, unknown[]> = {};
  const unprocessed: Record<string, unknown[]> = {};
  for (const [table, items] of Object.entries(written)) {
    const pending = (out.UnprocessedItems?.[table] ?? []).map(
      (write) => write.PutRequest?.Item ?? write.DeleteRequest?.Key ?? {},
    );
    data[table] = items
      .filter((item) => !pending.some((left) => sameKey(left, item)))
      .map(fromSdkItem);
    unprocessed[table] = pending.map(fromSdkItem);
  }
  return { data, unprocessed };
}

/** BatchPutItem: the items written, and those DynamoDB left unprocessed. */
export async function batchPutItem(client: DynamoDBClient, request: Request): Promise<unknown> {
  const { data, unprocessed } = await batchWrite(client, request, 'put');
  return { data, unprocessedItems: unprocessed };
}

/** BatchDeleteItem: the keys deleted, and those DynamoDB left unprocessed. */
export async function batchDeleteItem(client: DynamoDBClient, request: Request): Promise<unknown> {
  const { data, unprocessed } = await batchWrite(client, request, 'delete');
  return { data, unprocessedKeys: unprocessed };
}
