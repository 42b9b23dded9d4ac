import { randomUUID } from 'node:crypto';
import { SendMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScheduleStore } from '../../../src/aws/schedule-store.js';
import { makeScheduleId } from '../../../src/domain/ids.js';
import { scheduleKey } from '../../../src/domain/keys.js';
import { Status } from '../../../src/domain/status.js';
import { MetricName } from '../../../src/engine/observability.js';
import {
  drainFired,
  startEngineHarness,
  type EngineHarness,
} from '../../helpers/engine-harness.js';
import { cancelSchedule, createSchedule, readSchedule } from '../../helpers/engine-schedules.js';
import { randomUlid } from '../../helpers/ulid.js';

/** Receives until `count` messages arrived or `timeoutMs` passed. */
async function receiveAtLeast(harness: EngineHarness, count: number, timeoutMs = 5000) {
  const messages: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  while (messages.length < count && Date.now() < deadline) {
    messages.push(...(await harness.receive(1)));
  }
  return messages;
}

describe('dispatcher over dynalite and fauxqs (AppSync replaced by a local SigV4-verifying recorder)', () => {
  let harness: EngineHarness;
  beforeAll(async () => {
    harness = await startEngineHarness({ maxReceiveCount: 2, visibilityTimeoutSeconds: 1 });
  });
  afterAll(async () => {
    await harness.stop();
  });

  it('drops a schedule cancelled after its hand-over, delivering nothing', async () => {
    // Prepare
    const item = await createSchedule(harness.target, { dueAtMs: Date.now() + 1200 });
    expect(item.status).toBe(Status.queued);
    expect(await cancelSchedule(harness.target, item)).toBe(true);
    const before = harness.recorder.calls.length;

    // Act
    const messages = await receiveAtLeast(harness, 1);
    const response = await harness.dispatchMessages(messages);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(harness.metrics.total(MetricName.droppedCancelled)).toBe(1);
    expect(harness.recorder.calls.length).toBe(before);
    expect(await drainFired(harness)).toEqual([]);
    expect((await readSchedule(harness.target, item))?.status).toBe(Status.cancelled);
  });

  it('delivers once when the same schedule arrives in two messages', async () => {
    // Prepare
    const item = await createSchedule(harness.target, { dueAtMs: Date.now() + 300 });
    await harness.sqs.send(
      new SendMessageCommand({
        QueueUrl: harness.services.delayQueueUrl,
        MessageBody: JSON.stringify({ id: item.id }),
      }),
    );
    const messages = await receiveAtLeast(harness, 2);

    // Act: one batch each, at the same time, as two Lambda invocations would.
    const responses = await Promise.all(messages.map((m) => harness.dispatchMessages([m])));

    // Assess
    expect(responses.flatMap((r) => r.batchItemFailures)).toEqual([]);
    const fired = await drainFired(harness);
    expect(fired.map((e) => e.id)).toEqual([item.id]);
    expect(harness.recorder.calls.filter((c) => c.input.id === item.id)).toHaveLength(1);
    expect(harness.metrics.total(MetricName.droppedDuplicate)).toBe(1);
    expect(fired[0]?.latenessMs).toBeGreaterThanOrEqual(0);
  });

  it('gives the claim back after a failed delivery, and the redelivery fires it once', async () => {
    // Prepare
    const item = await createSchedule(harness.target, { dueAtMs: Date.now() });
    harness.failNextOutput(1);
    const [first] = await receiveAtLeast(harness, 1);

    // Act
    const failed = await harness.dispatchMessages([first!]);
    const released = await readSchedule(harness.target, item);
    const [again] = await receiveAtLeast(harness, 1, 4000);
    const retried = await harness.dispatchMessages([again!]);

    // Assess
    expect(failed.batchItemFailures).toEqual([{ itemIdentifier: first!.MessageId }]);
    expect(released).toMatchObject({ status: Status.queued, pendingOwner: item.owner });
    expect(released?.claimedBy).toBeUndefined();
    expect(again?.MessageId).toBe(first!.MessageId);
    expect(retried.batchItemFailures).toEqual([]);
    const fired = await drainFired(harness);
    expect(fired.map((e) => e.id)).toEqual([item.id]);
    expect(harness.metrics.total(MetricName.deliveryFailed)).toBe(1);
  });

  it('fires a schedule from a copy redriven from the DLQ (new message id) after failed deliveries', async () => {
    // Prepare: the original message fails its delivery, as it would on every receive before the DLQ.
    const item = await createSchedule(harness.target, { dueAtMs: Date.now() });
    harness.failNextOutput(1);
    const [original] = await receiveAtLeast(harness, 1);
    await harness.dispatchMessages([original!]);

    // Act: a redrive delivers the same body under a new message id (its deletion removes the original).
    const redriven = { ...original!, MessageId: randomUUID() };
    const response = await harness.dispatchMessages([redriven]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect((await readSchedule(harness.target, item))?.claimedBy).toBe(redriven.MessageId);
    const fired = await drainFired(harness);
    expect(fired.map((e) => e.id)).toEqual([item.id]);
  });

  it('lets the message that holds a claim deliver again after a crash left it FIRED', async () => {
    // Prepare: a crash between claim and delivery leaves the item FIRED and claimed by the message.
    const item = await createSchedule(harness.target, { dueAtMs: Date.now() });
    const [message] = await receiveAtLeast(harness, 1);
    const store = new ScheduleStore(harness.dynamo, harness.services.tableName);
    const key = scheduleKey(item.id, harness.settings.bucketWidthSeconds)!;
    const firedAtMs = Date.now();
    expect(
      await store.claim({ key, messageId: message!.MessageId!, firedAtMs, ttlSeconds: 1 }),
    ).not.toBeNull();

    // Act
    const response = await harness.dispatchMessages([message!]);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    const fired = await drainFired(harness);
    expect(fired.map((e) => e.id)).toEqual([item.id]);
    expect(Date.parse(fired[0]!.firedAt)).toBe(firedAtMs);
  });

  it('re-sends a message that arrives far too early and holds a slightly early one', async () => {
    // Prepare
    // The fast path already queued `far` with a 30 s delay; this extra copy arrives at once.
    const far = await createSchedule(harness.target, { dueAtMs: Date.now() + 30_000 });
    await harness.sqs.send(
      new SendMessageCommand({
        QueueUrl: harness.services.delayQueueUrl,
        MessageBody: JSON.stringify({ id: far.id }),
      }),
    );
    const near = await createSchedule(harness.target, { dueAtMs: Date.now() + 1500 });
    await harness.sqs.send(
      new SendMessageCommand({
        QueueUrl: harness.services.delayQueueUrl,
        MessageBody: JSON.stringify({ id: near.id }),
      }),
    );

    // Act
    const early = await receiveAtLeast(harness, 2);
    const response = await harness.dispatchMessages(early);

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(harness.metrics.total(MetricName.redelayed)).toBe(1);
    expect((await readSchedule(harness.target, far))?.status).toBe(Status.queued);
    const fired = await drainFired(harness);
    expect(fired.map((e) => e.id)).toEqual([near.id]);
    expect(fired[0]?.latenessMs).toBeGreaterThanOrEqual(0);
    expect(fired[0]?.latenessMs).toBeLessThan(500);
    expect(await cancelSchedule(harness.target, far)).toBe(true);
  });

  it('moves poison messages to the dead-letter queue without blocking the batch', async () => {
    // Prepare
    await harness.drain(harness.services.delayQueueUrl);
    const unknownId = makeScheduleId(Date.now(), randomUlid(), harness.settings.shardCount);
    const bodies = ['not json', JSON.stringify({ id: 'nope' }), JSON.stringify({ id: unknownId })];
    for (const body of bodies) {
      await harness.sqs.send(
        new SendMessageCommand({ QueueUrl: harness.services.delayQueueUrl, MessageBody: body }),
      );
    }
    const good = await createSchedule(harness.target, { dueAtMs: Date.now() });

    // Act
    const dlqDepth = () => harness.depth(harness.services.delayDlqUrl);
    await harness.pump({
      done: async () => (await dlqDepth()) >= 3,
      timeoutMs: 12_000,
      pollers: 2,
    });

    // Assess
    const dead = await harness.drain(harness.services.delayDlqUrl);
    expect(dead.map((m) => m.Body).sort()).toEqual([...bodies].sort());
    expect((await drainFired(harness)).map((e) => e.id)).toEqual([good.id]);
    expect(harness.metrics.total(MetricName.malformedMessage)).toBeGreaterThanOrEqual(4);
    expect(harness.metrics.total(MetricName.unknownSchedule)).toBeGreaterThanOrEqual(2);
  });
});
