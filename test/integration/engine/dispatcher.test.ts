import { SendMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { FeederStateStore } from '../../../src/aws/feeder-state-store.js';
import { bucketStartMs } from '../../../src/domain/keys.js';
import { createFeeder } from '../../../src/engine/feeder.js';
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
    harness = await startEngineHarness({
      maxReceiveCount: 2,
      visibilityTimeoutSeconds: 1,
      env: { MAX_DELIVERY_ATTEMPTS: '4' },
    });
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

  it('keeps the claim after a failed channel, and the redelivery sends only that channel', async () => {
    // Prepare
    const item = await createSchedule(harness.target, { dueAtMs: Date.now() });
    harness.failNextOutput(1);
    const [first] = await receiveAtLeast(harness, 1);

    // Act
    const failed = await harness.dispatchMessages([first!]);
    const claimed = await readSchedule(harness.target, item);
    const [again] = await receiveAtLeast(harness, 1, 4000);
    const retried = await harness.dispatchMessages([again!]);

    // Assess
    expect(failed.batchItemFailures).toEqual([{ itemIdentifier: first!.MessageId }]);
    expect(claimed).toMatchObject({
      status: Status.firing,
      claimedBy: first!.MessageId,
      deliveryFailures: 1,
      deliveredTo: new Set(['appsync']),
    });
    expect(claimed).not.toHaveProperty('pendingOwner');
    expect(claimed).not.toHaveProperty('ttl');
    expect(again?.MessageId).toBe(first!.MessageId);
    expect(retried.batchItemFailures).toEqual([]);
    const fired = await drainFired(harness);
    expect(fired.map((e) => e.id)).toEqual([item.id]);
    expect(harness.recorder.calls.filter((c) => c.input.id === item.id)).toHaveLength(1);
    const done = await readSchedule(harness.target, item);
    expect(done).toMatchObject({
      status: Status.fired,
      deliveredTo: new Set(['appsync', 'outputQueue']),
    });
    expect(done?.ttl).toBeGreaterThan(Date.now() / 1000);
    expect(harness.metrics.total(MetricName.deliveryFailed)).toBe(1);
  });

  it('lets the message that holds a claim deliver after a crash left it FIRING, with the first firedAt', async () => {
    // Prepare: a crash between claim and delivery leaves the item FIRING, claimed by the message.
    const item = await createSchedule(harness.target, { dueAtMs: Date.now() });
    const [message] = await receiveAtLeast(harness, 1);
    const store = new ScheduleStore(harness.dynamo, harness.services.tableName);
    const key = scheduleKey(item.id, harness.settings.bucketWidthSeconds)!;
    const claimedAtMs = Date.now() - 500;
    const claim = { key, nowMs: claimedAtMs, staleBeforeMs: claimedAtMs - 3000 };
    expect(await store.claim({ ...claim, messageId: message!.MessageId! })).not.toBeNull();

    // Act
    const other = await store.claim({ ...claim, messageId: 'another-message' });
    const response = await harness.dispatchMessages([message!]);

    // Assess
    expect(other).toBeNull();
    expect(response.batchItemFailures).toEqual([]);
    const fired = await drainFired(harness);
    expect(fired.map((e) => e.id)).toEqual([item.id]);
    expect(Date.parse(fired[0]!.firedAt)).toBe(claimedAtMs);
    expect((await readSchedule(harness.target, item))?.status).toBe(Status.fired);
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
  it('a channel that keeps failing: the other gets it once, the DLQ gets the message with a log line and a metric, the feeder gives up, a redrive delivers', async () => {
    // Prepare: MAX_DELIVERY_ATTEMPTS 4 is two messages of 2 receives each.
    await harness.drain(harness.services.delayQueueUrl);
    await harness.drain(harness.services.delayDlqUrl);
    const item = await createSchedule(harness.target, { dueAtMs: Date.now() });
    harness.failNextOutput(Number.POSITIVE_INFINITY);
    const dlqDepth = () => harness.depth(harness.services.delayDlqUrl);

    // Act: the dispatcher and a feeder every 500 ms, until both messages are dead-lettered, then 5 s more
    await harness.pump({
      done: async () => (await dlqDepth()) >= 2,
      timeoutMs: 30_000,
      pollers: 2,
      feederEveryMs: 500,
    });
    const dlqAfterGivingUp = await dlqDepth();
    await harness.pump({ done: () => false, timeoutMs: 5000, pollers: 2, feederEveryMs: 500 });
    const stuck = await readSchedule(harness.target, item);

    // Assess: delivery stopped, bounded, reported
    expect(dlqAfterGivingUp).toBe(2);
    expect(await dlqDepth()).toBe(2);
    expect(harness.recorder.calls.filter((c) => c.input.id === item.id)).toHaveLength(1);
    expect(stuck).toMatchObject({
      status: Status.firing,
      deliveryFailures: 4,
      deliveredTo: new Set(['appsync']),
    });
    expect(harness.metrics.total(MetricName.deliveryDeadLettered)).toBe(2);
    expect(harness.metrics.total(MetricName.redelivered)).toBe(1);
    expect(harness.metrics.total(MetricName.claimsDeadLettered)).toBeGreaterThan(0);
    const deadLines = harness.logs.filter((line) => line.attributes['id'] === item.id);
    expect(deadLines.filter((line) => line.level === 'error')).toContainEqual(
      expect.objectContaining({
        message: expect.stringContaining('DLQ'),
        attributes: expect.objectContaining({ failedChannels: ['outputQueue'] }),
      }),
    );

    // Act: a dead-lettered claim does not hold the watermark back once its bucket is past
    const later = createFeeder({ ...harness.feederDeps, clock: () => Date.now() + 180_000 });
    const reports = await later.runAllShards();
    const shard = Number(item.pk.split('#')[2]);
    const watermark = await new FeederStateStore(
      harness.dynamo,
      harness.services.tableName,
    ).readWatermark(shard);

    // Act: an operator redrives the DLQ (new message ids) once the channel works again
    harness.failNextOutput(0);
    const dead = await harness.drain(harness.services.delayDlqUrl);
    for (const message of dead) {
      await harness.sqs.send(
        new SendMessageCommand({
          QueueUrl: harness.services.delayQueueUrl,
          MessageBody: message.Body ?? '',
        }),
      );
    }
    await harness.pump({
      done: async () => (await readSchedule(harness.target, item))?.status === Status.fired,
      timeoutMs: 10_000,
      pollers: 2,
    });

    // Assess
    expect(reports.every((report) => !report.skipped)).toBe(true);
    expect(watermark).toBeGreaterThan(bucketStartMs(Date.parse(item.dueAt), 60));
    const fired = await drainFired(harness);
    expect(fired.map((e) => e.id)).toEqual([item.id]);
    expect(fired[0]?.firedAt).toBe(stuck?.firedAt);
    expect(harness.recorder.calls.filter((c) => c.input.id === item.id)).toHaveLength(1);
    expect((await readSchedule(harness.target, item))?.status).toBe(Status.fired);
  });
});
