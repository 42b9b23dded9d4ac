/*
 * Delivery channels per schedule (`deliver`), over dynalite and fauxqs; AppSync is replaced by
 * the local SigV4-verifying recorder. The dispatcher sends only to the channels a schedule asked
 * for, and a schedule is FIRED once every one of those has it.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ScheduleItem } from '../../../src/domain/schedule-item.js';
import { Status } from '../../../src/domain/status.js';
import type { DeliveryChannel } from '../../../src/generated/graphql.js';
import {
  drainFired,
  startEngineHarness,
  type EngineHarness,
} from '../../helpers/engine-harness.js';
import { readSchedule, scheduleItemFor } from '../../helpers/engine-schedules.js';

let harness: EngineHarness;

/** Receives until `count` messages arrived or `timeoutMs` passed. */
async function receiveAtLeast(count: number, timeoutMs = 5000): Promise<Message[]> {
  const messages: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  while (messages.length < count && Date.now() < deadline) {
    messages.push(...(await harness.receive(1)));
  }
  return messages;
}

/** A schedule due now that asks for `deliver`, stored as createSchedule stores it, and its message. */
async function scheduleDelivering(deliver: DeliveryChannel[]): Promise<ScheduleItem> {
  const item: ScheduleItem = {
    ...scheduleItemFor({ dueAtMs: Date.now() }, harness.settings),
    deliver,
    labels: [],
  };
  await harness.dynamo.send(
    new PutItemCommand({ TableName: harness.services.tableName, Item: marshall(item) }),
  );
  await harness.sqs.send(
    new SendMessageCommand({
      QueueUrl: harness.services.delayQueueUrl,
      MessageBody: JSON.stringify({ id: item.id }),
    }),
  );
  return item;
}

function publishedTimes(id: string): number {
  return harness.recorder.calls.filter((call) => call.input.id === id).length;
}

describe('delivery channels (AppSync replaced by a local SigV4-verifying recorder)', () => {
  beforeAll(async () => {
    harness = await startEngineHarness({ visibilityTimeoutSeconds: 1 });
  });
  afterAll(async () => {
    await harness.stop();
  });
  beforeEach(async () => {
    await harness.drain(harness.services.delayQueueUrl);
    await drainFired(harness);
  });
  afterEach(() => {
    harness.failNextOutput(0);
    harness.recorder.failNext(0);
  });

  it('a queue-only schedule goes to the output queue and never to AppSync', async () => {
    // Prepare
    const item = await scheduleDelivering(['QUEUE']);

    // Act
    const response = await harness.dispatchMessages(await receiveAtLeast(1));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect((await drainFired(harness)).map((e) => e.id)).toEqual([item.id]);
    expect(publishedTimes(item.id)).toBe(0);
    expect(await readSchedule(harness.target, item)).toMatchObject({
      status: Status.fired,
      deliveredTo: new Set(['outputQueue']),
    });
  });

  it('a subscription-only schedule goes to AppSync and never to the output queue', async () => {
    // Prepare
    const item = await scheduleDelivering(['SUBSCRIPTION']);

    // Act
    const response = await harness.dispatchMessages(await receiveAtLeast(1));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await drainFired(harness)).toEqual([]);
    expect(publishedTimes(item.id)).toBe(1);
    expect(await readSchedule(harness.target, item)).toMatchObject({
      status: Status.fired,
      deliveredTo: new Set(['appsync']),
    });
  });

  it('a failing output queue does not hold up a subscription-only schedule', async () => {
    // Prepare
    const item = await scheduleDelivering(['SUBSCRIPTION']);
    harness.failNextOutput(Number.POSITIVE_INFINITY);

    // Act
    const response = await harness.dispatchMessages(await receiveAtLeast(1));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(publishedTimes(item.id)).toBe(1);
    const done = await readSchedule(harness.target, item);
    expect(done).toMatchObject({ status: Status.fired, deliveredTo: new Set(['appsync']) });
    expect(done).not.toHaveProperty('deliveryFailures');
    expect(harness.logs.filter((line) => line.level === 'error')).toEqual([]);
  });

  it('after a failed attempt the redelivery sends only what is missing of what was asked for', async () => {
    // Prepare: AppSync refuses the first attempt of a subscription-only schedule.
    const item = await scheduleDelivering(['SUBSCRIPTION']);
    harness.recorder.failNext(1);
    const [first] = await receiveAtLeast(1);

    // Act
    const failed = await harness.dispatchMessages([first!]);
    const claimed = await readSchedule(harness.target, item);
    const [again] = await receiveAtLeast(1, 5000);
    const retried = await harness.dispatchMessages([again!]);

    // Assess
    expect(failed.batchItemFailures).toEqual([{ itemIdentifier: first!.MessageId }]);
    expect(claimed).toMatchObject({ status: Status.firing, deliveryFailures: 1 });
    expect(claimed).not.toHaveProperty('deliveredTo');
    expect(retried.batchItemFailures).toEqual([]);
    expect(await drainFired(harness)).toEqual([]);
    expect(publishedTimes(item.id)).toBe(1);
    expect(await readSchedule(harness.target, item)).toMatchObject({
      status: Status.fired,
      deliveredTo: new Set(['appsync']),
    });
  });

  it('a schedule without `deliver` (written before the choice existed) goes to both', async () => {
    // Prepare
    const { deliver: _none, ...item } = await scheduleDelivering(['QUEUE']);
    await harness.dynamo.send(
      new PutItemCommand({ TableName: harness.services.tableName, Item: marshall(item) }),
    );

    // Act
    const response = await harness.dispatchMessages(await receiveAtLeast(1));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect((await drainFired(harness)).map((e) => e.id)).toEqual([item.id]);
    expect(publishedTimes(item.id)).toBe(1);
    expect(await readSchedule(harness.target, item)).toMatchObject({
      status: Status.fired,
      deliveredTo: new Set(['appsync', 'outputQueue']),
    });
  });
});
