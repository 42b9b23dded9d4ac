/*
 * AMAZON_DYNAMODB data source: executes AppSync request objects with the SDK client and maps the
 * results as AppSync does. DynamoDB errors become ctx.error { type: "DynamoDB:<Name>", message }.
 */
import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { fromSdkItem, toSdkMap } from './attribute-values.js';
import { batchDeleteItem, batchGetItem, batchPutItem } from './dynamodb-batch.js';
import { mergeExpressions } from './dynamodb-expressions.js';
import type { NextTokenCodec } from './next-token.js';
import { RequestShapeError } from './request-error.js';
import type { DataSourceResult } from './types.js';

type Request = Record<string, unknown>;

/** What the DynamoDB data source needs besides the request. */
export interface DynamoTarget {
  readonly tableName: string;
  readonly client: DynamoDBClient;
  readonly tokens: NextTokenCodec;
}

/** Refused nextTokens surface like DynamoDB's own refusal of a bad ExclusiveStartKey. */
class InvalidNextTokenError extends Error {
  public constructor() {
    super('Invalid nextToken: it was not issued for this query by this API');
    this.name = 'ValidationException';
  }
}

function plainOrNull(
  item: Record<string, AttributeValue> | undefined,
): Record<string, unknown> | null {
  return item === undefined ? null : fromSdkItem(item);
}

async function getItem(t: DynamoTarget, r: Request): Promise<unknown> {
  const x = mergeExpressions({ projection: r['projection'] });
  const out = await t.client.send(
    new GetItemCommand({
      TableName: t.tableName,
      Key: toSdkMap(r['key'], 'key'),
      ConsistentRead: r['consistentRead'] === true,
      ProjectionExpression: x.text('projection'),
      ExpressionAttributeNames: x.names,
    }),
  );
  return plainOrNull(out.Item);
}

async function putItem(t: DynamoTarget, r: Request): Promise<unknown> {
  const item = {
    ...toSdkMap(r['attributeValues'] ?? {}, 'attributeValues'),
    ...toSdkMap(r['key'], 'key'),
  };
  const x = mergeExpressions({ condition: r['condition'] });
  await t.client.send(
    new PutItemCommand({
      TableName: t.tableName,
      Item: item,
      ConditionExpression: x.text('condition'),
      ExpressionAttributeNames: x.names,
      ExpressionAttributeValues: x.values,
    }),
  );
  return fromSdkItem(item);
}

async function updateItem(t: DynamoTarget, r: Request): Promise<unknown> {
  const x = mergeExpressions({ update: r['update'], condition: r['condition'] });
  if (x.text('update') === undefined)
    throw new RequestShapeError('AMAZON_DYNAMODB', 'UpdateItem needs "update"', r);
  const out = await t.client.send(
    new UpdateItemCommand({
      TableName: t.tableName,
      Key: toSdkMap(r['key'], 'key'),
      UpdateExpression: x.text('update'),
      ConditionExpression: x.text('condition'),
      ExpressionAttributeNames: x.names,
      ExpressionAttributeValues: x.values,
      ReturnValues: 'ALL_NEW',
    }),
  );
  return plainOrNull(out.Attributes);
}

async function deleteItem(t: DynamoTarget, r: Request): Promise<unknown> {
  const x = mergeExpressions({ condition: r['condition'] });
  const out = await t.client.send(
    new DeleteItemCommand({
      TableName: t.tableName,
      Key: toSdkMap(r['key'], 'key'),
      ConditionExpression: x.text('condition'),
      ExpressionAttributeNames: x.names,
      ExpressionAttributeValues: x.values,
      ReturnValues: 'ALL_OLD',
    }),
  );
  return plainOrNull(out.Attributes);
}

function listScope(t: DynamoTarget, r: Request): string {
  return JSON.stringify([
    t.tableName,
    r['operation'],
    r['index'] ?? null,
    r['query'] ?? null,
    r['segment'] ?? null,
  ]);
}

function listInput(t: DynamoTarget, r: Request, parts: Record<string, unknown>) {
  const x = mergeExpressions(parts);
  const token = r['nextToken'];
  let start: Record<string, AttributeValue> | undefined;
  if (token !== undefined && token !== null && token !== '') {
    start = t.tokens.decode(String(token), listScope(t, r)) ?? undefined;
    if (start === undefined) throw new InvalidNextTokenError();
  }
  return {
    TableName: t.tableName,
    IndexName: r['index'] as string | undefined,
    Limit: r['limit'] === undefined || r['limit'] === null ? undefined : Number(r['limit']),
    ExclusiveStartKey: start,
    ConsistentRead: r['consistentRead'] === true ? true : undefined,
    Select: r['select'] as 'ALL_ATTRIBUTES' | undefined,
    FilterExpression: x.text('filter'),
    ProjectionExpression: x.text('projection'),
    ExpressionAttributeNames: x.names,
    ExpressionAttributeValues: x.values,
    expressions: x,
  };
}

function listResult(
  t: DynamoTarget,
  r: Request,
  out: {
    Items?: Record<string, AttributeValue>[];
    LastEvaluatedKey?: Record<string, AttributeValue>;
    ScannedCount?: number;
  },
) {
  return {
    items: (out.Items ?? []).map(fromSdkItem),
    nextToken:
      out.LastEvaluatedKey === undefined
        ? null
        : t.tokens.encode(out.LastEvaluatedKey, listScope(t, r)),
    scannedCount: out.ScannedCount ?? 0,
  };
}

async function query(t: DynamoTarget, r: Request): Promise<unknown> {
  const { expressions, ...input } = listInput(t, r, {
    query: r['query'],
    filter: r['filter'],
    projection: r['projection'],
  });
  if (expressions.text('query') === undefined)
    throw new RequestShapeError('AMAZON_DYNAMODB', 'Query needs "query"', r);
  const out = await t.client.send(
    new QueryCommand({
      ...input,
      KeyConditionExpression: expressions.text('query'),
      ScanIndexForward: r['scanIndexForward'] === false ? false : undefined,
    }),
  );
  return listResult(t, r, out);
}

async function scan(t: DynamoTarget, r: Request): Promise<unknown> {
  const { expressions: _unused, ...input } = listInput(t, r, {
    filter: r['filter'],
    projection: r['projection'],
  });
  const out = await t.client.send(
    new ScanCommand({
      ...input,
      Segment: r['segment'] as number | undefined,
      TotalSegments: r['totalSegments'] as number | undefined,
    }),
  );
  return listResult(t, r, out);
}

const OPERATIONS: Record<string, (t: DynamoTarget, r: Request) => Promise<unknown>> = {
  GetItem: getItem,
  PutItem: putItem,
  UpdateItem: updateItem,
  DeleteItem: deleteItem,
  Query: query,
  Scan: scan,
  BatchGetItem: (t, r) => batchGetItem(t.client, r),
  BatchPutItem: (t, r) => batchPutItem(t.client, r),
  BatchDeleteItem: (t, r) => batchDeleteItem(t.client, r),
};

/** Executes one request object against the table. */
export async function invokeDynamo(
  target: DynamoTarget,
  request: unknown,
): Promise<DataSourceResult> {
  if (request === null || typeof request !== 'object') {
    throw new RequestShapeError(
      'AMAZON_DYNAMODB',
      'the request handler must return a request object',
      request,
    );
  }
  const r = request as Request;
  const operation = OPERATIONS[String(r['operation'])];
  if (operation === undefined) {
    throw new RequestShapeError(
      'AMAZON_DYNAMODB',
      `operation must be one of ${Object.keys(OPERATIONS).join(', ')}`,
      r['operation'],
    );
  }
  try {
    return { result: await operation(target, r), error: null };
  } catch (error) {
    if (error instanceof RequestShapeError) throw error;
    const { name, message } = error as Error;
    return { result: null, error: { type: `DynamoDB:${name}`, message } };
  }
}
