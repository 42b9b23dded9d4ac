import { describe, expect, it } from 'vitest';
import {
  addUnits,
  costPerMillion,
  firingFor,
  lineItems,
  modelledBulkCreate,
  shardsForPeak,
  subtractUnits,
  unitsPerSchedule,
} from '../../bench/lib/cost-model.js';

// Prepare: 10 schedules on the fast path, as a run counts them.
const HTTP = {
  'graphql (api key)': 10,
  'graphql (iam)': 10,
  'DynamoDB_20120810.PutItem': 10,
  'DynamoDB_20120810.UpdateItem': 20,
  'AmazonSQS.SendMessage': 20,
};
const SDK = {
  'sqs ReceiveMessage': { calls: 4, scanned: 0, capacityUnits: 0, messages: 10, nonEmpty: 2 },
};
const SHARES = {
  publishRequestsPerFiring: 1,
  realtimeUpdatesPerFiring: 1,
  outputRequestsPerFiring: 0.5,
};

describe('bench cost model', () => {
  it('turns counted calls and modelled index writes into units and dollars per million', () => {
    const units = unitsPerSchedule(10, HTTP, SDK, 10, 3);
    const cost = costPerMillion(units);
    expect(units).toEqual({
      appsyncRequests: 2,
      realtimeUpdates: 1,
      dynamoWriteUnits: 6,
      dynamoIndexWriteUnits: 3,
      dynamoReadUnits: 0,
      sqsRequests: 2,
      lambdaInvocations: 0.2,
    });
    expect(cost.appsync).toBe(10);
    expect(cost.dynamodb).toBe(3.75);
    expect(cost.sqs).toBe(0.8);
    // 0.2 invocations x ($0.20 per million + 0.5 GB x 1 s x $0.0000133334) per million.
    expect(cost.lambda).toBeCloseTo(1.373, 3);
    expect(lineItems(units).total).toBeCloseTo(cost.total, 2);
  });

  it('bills each item of a BatchWriteItem, not the call', () => {
    const units = unitsPerSchedule(25, { 'DynamoDB_20120810.BatchWriteItem': 1 }, {}, 0, 0, 25);
    expect(units.dynamoWriteUnits).toBe(1);
  });

  it('models bulk creation as one AppSync request per 25 and one SQS request per 10 on the fast path', () => {
    const fast = modelledBulkCreate('fast');
    expect(fast.appsyncRequests).toBeCloseTo(0.04, 6);
    expect(fast.sqsRequests).toBeCloseTo(0.1, 6);
    expect(fast.dynamoWriteUnits).toBe(3);
    expect(modelledBulkCreate('far').sqsRequests).toBe(0);
    expect(modelledBulkCreate('far', true).dynamoWriteUnits).toBe(4);
  });

  it('drops the publish and real-time update for queue-only and the output send for subscription-only', () => {
    const whole = unitsPerSchedule(10, HTTP, SDK, 10, 3);
    const create = unitsPerSchedule(
      10,
      { 'graphql (api key)': 10, 'DynamoDB_20120810.PutItem': 10, 'AmazonSQS.SendMessage': 10 },
      {},
      0,
      2,
    );
    const firing = subtractUnits(whole, create);
    expect(firing.appsyncRequests).toBe(1);
    const queueOnly = firingFor(firing, 'queue', SHARES);
    expect([queueOnly.appsyncRequests, queueOnly.realtimeUpdates]).toEqual([0, 0]);
    expect(queueOnly.dynamoWriteUnits).toBe(firing.dynamoWriteUnits);
    expect(firingFor(firing, 'subscription', SHARES).sqsRequests).toBe(firing.sqsRequests - 0.5);
    expect(addUnits(create, firingFor(firing, 'both', SHARES))).toEqual(whole);
  });

  it('needs one shard per 500 firings a second (claim and recorded delivery)', () => {
    expect([
      shardsForPeak(1),
      shardsForPeak(500),
      shardsForPeak(501),
      shardsForPeak(25_000),
      shardsForPeak(25_000, 1),
    ]).toEqual([1, 1, 2, 50, 25]);
  });
});
