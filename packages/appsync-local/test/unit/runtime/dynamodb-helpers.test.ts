import type { Util } from '@aws-appsync/utils';
import { describe, expect, it } from 'vitest';
import { dynamodbModule as ddb } from '../../../src/runtime/dynamodb-helpers.js';
import { createAppSyncGlobals } from '../../../src/runtime/util.js';

const { util } = createAppSyncGlobals(() => 0) as unknown as { util: Util };

describe('util.dynamodb (local APPSYNC_JS runtime)', () => {
  it('convert values to DynamoDB JSON, lists as L and never as sets', () => {
    expect(
      util.dynamodb.toDynamoDB({ foo: 'bar', baz: 1234, beep: ['boop'], ok: true, none: null }),
    ).toEqual({
      M: {
        foo: { S: 'bar' },
        baz: { N: '1234' },
        beep: { L: [{ S: 'boop' }] },
        ok: { BOOL: true },
        none: { NULL: null },
      },
    });
    expect(util.dynamodb.toMapValues({ a: 'x', b: 2 })).toEqual({ a: { S: 'x' }, b: { N: '2' } });
    expect(util.dynamodb.toString('s')).toEqual({ S: 's' });
    expect(util.dynamodb.toString(null)).toBeNull();
    expect(util.dynamodb.toNumber(1.5)).toEqual({ N: '1.5' });
    expect(util.dynamodb.toBoolean(false)).toEqual({ BOOL: false });
    expect(util.dynamodb.toNull()).toEqual({ NULL: null });
    expect(util.dynamodb.toStringSet(['a', 'b'])).toEqual({ SS: ['a', 'b'] });
    expect(util.dynamodb.toNumberSet([1, 2])).toEqual({ NS: ['1', '2'] });
    expect(util.dynamodb.toList([1, 'a'])).toEqual({ L: [{ N: '1' }, { S: 'a' }] });
    expect(util.dynamodb.toMap({ a: 1 })).toEqual({ M: { a: { N: '1' } } });
  });
});

describe('util.transform (local APPSYNC_JS runtime)', () => {
  it('build the documented filter expression', () => {
    expect(
      JSON.parse(util.transform.toDynamoDBFilterExpression({ title: { contains: 'Hello World' } })),
    ).toEqual({
      expression: 'contains(#title, :title_contains)',
      expressionNames: { '#title': 'title' },
      expressionValues: { ':title_contains': { S: 'Hello World' } },
    });
  });

  it('join fields with AND, nest or/not and give repeated operators distinct placeholders', () => {
    const filter = {
      status: { eq: 'PENDING' },
      or: [{ n: { gt: 1 } }, { n: { gt: 5 }, done: { attributeExists: false } }],
      not: { owner: { beginsWith: 'x' } },
    };
    expect(JSON.parse(util.transform.toDynamoDBConditionExpression(filter))).toEqual({
      expression:
        '(#status = :status_eq) AND ((#n > :n_gt) OR ((#n > :n_gt_1) AND (attribute_not_exists(#done)))) AND (NOT (begins_with(#owner, :owner_beginsWith)))',
      expressionNames: { '#status': 'status', '#n': 'n', '#done': 'done', '#owner': 'owner' },
      expressionValues: {
        ':status_eq': { S: 'PENDING' },
        ':n_gt': { N: '1' },
        ':n_gt_1': { N: '5' },
        ':owner_beginsWith': { S: 'x' },
      },
    });
  });

  it('render between, in and attributeType', () => {
    const { expression, expressionValues } = JSON.parse(
      util.transform.toDynamoDBFilterExpression({
        age: { between: [1, 9] },
        kind: { in: ['a', 'b'], attributeType: 'string' },
      }),
    ) as { expression: string; expressionValues: Record<string, unknown> };
    expect(expression).toBe(
      '(#age BETWEEN :age_between_0 AND :age_between_1) AND ((#kind IN (:kind_in_0, :kind_in_1)) AND (attribute_type(#kind, :kind_attributeType)))',
    );
    expect(expressionValues[':kind_attributeType']).toEqual({ S: 'S' });
  });

  it('make subscription filter groups, one per or-branch, with rules and ignored fields', () => {
    expect(
      util.transform.toSubscriptionFilter({
        owner: { eq: 'a' },
        or: [{ kind: { eq: 'x' } }, { n: { gt: 2 } }],
      }),
    ).toEqual({
      filterGroup: [
        {
          filters: [
            { fieldName: 'owner', operator: 'eq', value: 'a' },
            { fieldName: 'kind', operator: 'eq', value: 'x' },
          ],
        },
        {
          filters: [
            { fieldName: 'owner', operator: 'eq', value: 'a' },
            { fieldName: 'n', operator: 'gt', value: 2 },
          ],
        },
      ],
    });
    expect(
      util.transform.toSubscriptionFilter({ owner: { eq: 'a' }, secret: { eq: 1 } }, ['secret'], {
        level: { ge: 3 },
      }),
    ).toEqual({
      filterGroup: [
        {
          filters: [
            { fieldName: 'owner', operator: 'eq', value: 'a' },
            { fieldName: 'level', operator: 'ge', value: 3 },
          ],
        },
      ],
    });
    expect(() =>
      util.transform.toSubscriptionFilter({ owner: { in: ['1', '2', '3', '4', '5', '6'] } }),
    ).toThrow(/at most 5/);
  });
});

describe('@aws-appsync/utils/dynamodb (local APPSYNC_JS runtime)', () => {
  it('build GetItem, PutItem with a condition and DeleteItem requests', () => {
    expect(
      ddb.get({
        key: { pk: 'a', sk: 1 },
        consistentRead: true,
        projection: ['pk', 'nested.list[1]'],
      }),
    ).toEqual({
      operation: 'GetItem',
      key: { pk: { S: 'a' }, sk: { N: '1' } },
      consistentRead: true,
      projection: {
        expression: '#pk, #nested.#list[1]',
        expressionNames: { '#pk': 'pk', '#nested': 'nested', '#list': 'list' },
      },
    });
    expect(
      ddb.put({ key: { pk: 'a' }, item: { v: 1 }, condition: { pk: { attributeExists: false } } }),
    ).toEqual({
      operation: 'PutItem',
      key: { pk: { S: 'a' } },
      attributeValues: { v: { N: '1' } },
      condition: { expression: 'attribute_not_exists(#pk)', expressionNames: { '#pk': 'pk' } },
    });
    expect(ddb.remove({ key: { pk: 'a' } })).toEqual({
      operation: 'DeleteItem',
      key: { pk: { S: 'a' } },
    });
  });

  it('build an UpdateItem with SET, REMOVE, ADD and list operations', () => {
    const { operations } = ddb;
    const request = ddb.update({
      key: { pk: 'a' },
      update: {
        status: 'FIRED',
        gone: operations.remove(),
        count: operations.increment(2),
        log: operations.append(['x']),
        address: { city: 'Oslo' },
        tags: operations.updateListItem('t', 0),
      },
      condition: { status: { eq: 'QUEUED' } },
    });
    expect(request).toEqual({
      operation: 'UpdateItem',
      key: { pk: { S: 'a' } },
      update: {
        expression:
          'SET #status = :status_set, #log = list_append(#log, :log_append), #address.#city = :address_city_set, #tags[0] = :tags_0_updateListItem REMOVE #gone ADD #count :count_increment',
        expressionNames: {
          '#status': 'status',
          '#gone': 'gone',
          '#count': 'count',
          '#log': 'log',
          '#address': 'address',
          '#city': 'city',
          '#tags': 'tags',
        },
        expressionValues: {
          ':status_set': { S: 'FIRED' },
          ':count_increment': { N: '2' },
          ':log_append': { L: [{ S: 'x' }] },
          ':address_city_set': { S: 'Oslo' },
          ':tags_0_updateListItem': { S: 't' },
        },
      },
      condition: {
        expression: '#status = :status_eq',
        expressionNames: { '#status': 'status' },
        expressionValues: { ':status_eq': { S: 'QUEUED' } },
      },
    });
  });

  it('build Query and Scan requests with key condition, filter, index and paging', () => {
    expect(
      ddb.query({
        query: { pk: { eq: 'p' }, sk: { beginsWith: '2027' } },
        filter: { status: { ne: 'FIRED' } },
        index: 'byOwner',
        limit: 10,
        nextToken: 't',
        scanIndexForward: false,
      }),
    ).toEqual({
      operation: 'Query',
      query: {
        expression: '#pk = :pk_eq AND begins_with(#sk, :sk_beginsWith)',
        expressionNames: { '#pk': 'pk', '#sk': 'sk' },
        expressionValues: { ':pk_eq': { S: 'p' }, ':sk_beginsWith': { S: '2027' } },
      },
      scanIndexForward: false,
      index: 'byOwner',
      nextToken: 't',
      limit: 10,
      filter: {
        expression: '#status <> :status_ne',
        expressionNames: { '#status': 'status' },
        expressionValues: { ':status_ne': { S: 'FIRED' } },
      },
    });
    expect(ddb.scan({ limit: 5 })).toEqual({ operation: 'Scan', limit: 5 });
  });

  it('refuse transactions and Sync by name', () => {
    expect(() => ddb.transactWrite()).toThrow(
      '@aws-appsync/utils/dynamodb transactWrite is not supported by the local AppSync runtime',
    );
    expect(() => ddb.sync()).toThrow(/sync is not supported/);
  });
});
