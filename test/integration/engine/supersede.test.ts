/*
 * The dispatcher's side of the supersede protocol (reschedule, REPLACE by key), over dynalite and
 * fauxqs; AppSync is replaced by the local SigV4-verifying recorder. Items are written the way
 * the resolvers write them: the replacement N with `supersedes` and without `pendingOwner`, the
 * old schedule O retired to RESCHEDULED by one conditional write.
 */
import { PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, type Message } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ScheduleItem } from '../../../src/domain/schedule-item.js';
import { Status } from '../../../src/domain/status.js';
import { isoFromEpochMs } from '../../../src/domain/time.js';
import { MetricName } from '../../../src/engine/observability.js';
import { ScheduleStore } from '../../../src/aws/schedule-store.js';
import {
  drainFired,
  startEngineHarness,
  type EngineHarness,
} from '../../helpers/engine-harness.js';
import {
  createSchedule,
  readSchedule,
  scheduleItemFor,
  type ScheduleSpec,
} from '../../helpers/engine-schedules.js';

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

async function put(item: ScheduleItem): Promise<void> {
  await harness.dynamo.send(
    new PutItemCommand({ TableName: harness.services.tableName, Item: marshall(item) }),
  );
}

/** The old schedule O, live (PENDING far ahead, as a reschedule would find it). */
async function putOld(): Promise<ScheduleItem> {
  const old = scheduleItemFor({ dueAtMs: Date.now() + 3_600_000 }, harness.settings);
  await put(old);
  return old;
}

/**
 * Step 1 of a reschedule: the replacement N, QUEUED with `supersedes` and no `pendingOwner`, and
 * its delay-queue message (due now, so it arrives at once).
 */
async function putReplacement(oldId: string, spec: Partial<ScheduleSpec> = {}) {
  const { pendingOwner: _dropped, ...item } = scheduleItemFor(
    { dueAtMs: Date.now(), ...spec },
    harness.settings,
  );
  const replacement: ScheduleItem = { ...item, status: Status.queued, supersedes: oldId };
  await put(replacement);
  await harness.sqs.send(
    new SendMessageCommand({
      QueueUrl: harness.services.delayQueueUrl,
      MessageBody: JSON.stringify({ id: replacement.id }),
    }),
  );
  return replacement;
}

/** Step 2 of a reschedule: O retired to RESCHEDULED, naming its replacement. */
async function retire(old: ScheduleItem, rescheduledTo: string): Promise<void> {
  await harness.dynamo.send(
    new UpdateItemCommand({
      TableName: harness.services.tableName,
      Key: marshall({ pk: old.pk, sk: old.sk }),
      ConditionExpression: '#status IN (:pending, :queued)',
      UpdateExpression:
        'SET #status = :rescheduled, rescheduledTo = :to, rescheduledAt = :now REMOVE pendingOwner',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: marshall({
        ':pending': Status.pending,
        ':queued': Status.queued,
        ':rescheduled': Status.rescheduled,
        ':to': rescheduledTo,
        ':now': isoFromEpochMs(Date.now()),
      }),
    }),
  );
}

function publishedIds(): string[] {
  return harness.recorder.calls.map((call) => call.input.id);
}

describe('supersede protocol in the dispatcher (AppSync replaced by a local SigV4-verifying recorder)', () => {
  beforeAll(async () => {
    harness = await startEngineHarness();
  });
  afterAll(async () => {
    await harness.stop();
  });
  beforeEach(async () => {
    await harness.drain(harness.services.delayQueueUrl);
    await drainFired(harness);
  });

  it('holds back a replacement while its old schedule is live, and fires it once the old one is RESCHEDULED to it', async () => {
    // Prepare
    const old = await putOld();
    const replacement = await putReplacement(old.id);

    // Act: its message arrives before the reschedule retired the old schedule.
    const first = await harness.dispatchMessages(await receiveAtLeast(1));
    const held = await readSchedule(harness.target, replacement);
    const firedEarly = await drainFired(harness);
    const publishedEarly = publishedIds().filter((id) => id === replacement.id);
    await retire(old, replacement.id);
    const again = await receiveAtLeast(1, 8000);
    const second = await harness.dispatchMessages(again);

    // Assess
    expect(first.batchItemFailures).toEqual([]);
    expect(firedEarly).toEqual([]);
    expect(publishedEarly).toEqual([]);
    expect(held).toMatchObject({ status: Status.queued, supersedes: old.id });
    expect(harness.metrics.total(MetricName.replacementWaiting)).toBe(1);
    expect(again.map((m) => JSON.parse(m.Body ?? '{}') as { id: string })).toEqual([
      { id: replacement.id },
    ]);
    expect(second.batchItemFailures).toEqual([]);
    expect((await drainFired(harness)).map((e) => e.id)).toEqual([replacement.id]);
    expect(publishedIds().filter((id) => id === replacement.id)).toHaveLength(1);
    const done = await readSchedule(harness.target, replacement);
    expect(done?.status).toBe(Status.fired);
    expect(done).not.toHaveProperty('supersedes');
    expect(harness.metrics.total(MetricName.replacementConfirmed)).toBe(1);
    expect((await readSchedule(harness.target, old))?.status).toBe(Status.rescheduled);
  });

  it('voids a replacement older than the settle time whose old schedule was not RESCHEDULED to it, and delivers nothing', async () => {
    // Prepare: one whose old schedule is still live (its resolver died after step 1), one whose
    // old schedule went to another replacement (a concurrent reschedule won).
    const createdAtMs = Date.now() - 61_000;
    const liveOld = await putOld();
    const orphan = await putReplacement(liveOld.id, { createdAtMs });
    const takenOld = await putOld();
    const loser = await putReplacement(takenOld.id, { createdAtMs });
    await retire(takenOld, 'someone-else');
    const voidedBefore = harness.metrics.total(MetricName.replacementVoided);

    // Act
    const response = await harness.dispatchMessages(await receiveAtLeast(2));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await drainFired(harness)).toEqual([]);
    expect(publishedIds().filter((id) => id === orphan.id || id === loser.id)).toEqual([]);
    for (const item of [orphan, loser]) {
      const voided = await readSchedule(harness.target, item);
      expect(voided?.status).toBe(Status.cancelled);
      expect(voided?.cancelledAt).toBeDefined();
      expect(voided?.ttl).toBeGreaterThan(Date.now() / 1000);
      expect(voided).not.toHaveProperty('supersedes');
      expect(voided).not.toHaveProperty('pendingOwner');
    }
    expect(harness.metrics.total(MetricName.replacementVoided) - voidedBefore).toBe(2);
    const lines = harness.logs.filter((line) => line.message.includes('voided'));
    expect(lines.map((line) => line.attributes['id']).sort()).toEqual([orphan.id, loser.id].sort());
    // Dropped, not re-sent: nothing more arrives for them.
    expect(await harness.depth(harness.services.delayQueueUrl)).toBe(0);
    expect((await readSchedule(harness.target, liveOld))?.status).toBe(Status.pending);
  });

  it('drops the message of a schedule that was RESCHEDULED, as a cancelled one', async () => {
    // Prepare: a fast-path schedule whose message is already on the queue, then rescheduled.
    const old = await createSchedule(harness.target, { dueAtMs: Date.now() + 800 });
    await retire(old, 'the-replacement');

    // Act
    const response = await harness.dispatchMessages(await receiveAtLeast(1));

    // Assess
    expect(response.batchItemFailures).toEqual([]);
    expect(await drainFired(harness)).toEqual([]);
    expect(publishedIds()).not.toContain(old.id);
    expect(harness.metrics.total(MetricName.droppedRescheduled)).toBe(1);
    expect(harness.logs).toContainEqual(
      expect.objectContaining({
        message: 'message dropped without delivery',
        attributes: { id: old.id, reason: 'rescheduled to the-replacement' },
      }),
    );
    expect((await readSchedule(harness.target, old))?.status).toBe(Status.rescheduled);
  });
  it('never confirms a replacement that was cancelled meanwhile, so it stays off the owner index', async () => {
    // Prepare: N unconfirmed, O retired to it, then N cancelled before the confirming write
    const old = await putOld();
    const replacement = await putReplacement(old.id, { dueAtMs: Date.now() + 3_600_000 });
    await harness.drain(harness.services.delayQueueUrl);
    await retire(old, replacement.id);
    await harness.dynamo.send(
      new UpdateItemCommand({
        TableName: harness.services.tableName,
        Key: marshall({ pk: replacement.pk, sk: replacement.sk }),
        UpdateExpression: 'SET #status = :cancelled',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: marshall({ ':cancelled': Status.cancelled }),
      }),
    );
    const store = new ScheduleStore(harness.dynamo, harness.services.tableName);

    // Act
    const confirmed = await store.confirmReplacement(replacement, old.id, replacement.owner);

    // Assess
    expect(confirmed).toBe(false);
    const after = await readSchedule(harness.target, replacement);
    expect(after?.status).toBe(Status.cancelled);
    expect(after?.pendingOwner).toBeUndefined();
  });
});
