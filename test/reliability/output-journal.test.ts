/*
 * The output queue holds fired schedules that no consumer has read yet, which the table cannot
 * recreate. kill -9 of the local stack, restart on the same data directory: every message a
 * consumer had not deleted is on the output queue again, byte for byte, and none it deleted.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  type Message,
} from '@aws-sdk/client-sqs';
import { afterEach, describe, expect, it } from 'vitest';
import { createSqsClient } from '../../src/aws/clients.js';
import { startChildStack, type ChildStack } from '../helpers/reliability-process.js';
import { CREATE_SCHEDULE, postGraphql, waitFor } from '../helpers/reliability-stack.js';

const SCHEDULES = 40;

async function queueDepth(stack: ChildStack): Promise<number> {
  const client = createSqsClient({ sqsEndpoint: stack.sqsEndpoint });
  try {
    const { Attributes } = await client.send(
      new GetQueueAttributesCommand({
        QueueUrl: stack.outputQueueUrl,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return (
      Number(Attributes?.['ApproximateNumberOfMessages'] ?? 0) +
      Number(Attributes?.['ApproximateNumberOfMessagesNotVisible'] ?? 0)
    );
  } finally {
    client.destroy();
  }
}

/** Receives up to `count` messages; deletes them when `remove`. Returns their bodies. */
async function receive(stack: ChildStack, count: number, remove: boolean): Promise<string[]> {
  const client = createSqsClient({ sqsEndpoint: stack.sqsEndpoint });
  const bodies: string[] = [];
  try {
    while (bodies.length < count) {
      const { Messages = [] } = await client.send(
        new ReceiveMessageCommand({
          QueueUrl: stack.outputQueueUrl,
          MaxNumberOfMessages: Math.min(10, count - bodies.length),
          WaitTimeSeconds: 1,
          VisibilityTimeout: 300,
        }),
      );
      if (Messages.length === 0) break;
      bodies.push(...Messages.map((m: Message) => m.Body ?? ''));
      if (remove) {
        await client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: stack.outputQueueUrl,
            Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
          }),
        );
      }
    }
    return bodies;
  } finally {
    client.destroy();
  }
}

const idOf = (body: string) => (JSON.parse(body) as { id: string }).id;

describe('kill -9 of the local stack keeps the unread output queue', () => {
  const children: ChildStack[] = [];
  let dataDir: string | undefined;

  afterEach(async () => {
    for (const child of children.splice(0)) await child.kill();
    if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
  });

  it('puts back every fired schedule a consumer had not deleted, across two restarts', async () => {
    // Prepare: schedules fire onto the output queue; a consumer deletes some, holds some
    dataDir = await mkdtemp(join(tmpdir(), 'scheduler-journal-'));
    const first = await startChildStack({ dataDir });
    children.push(first);
    const dueAt = new Date(Date.now() + 3_000).toISOString();
    for (let n = 0; n < SCHEDULES; n += 1) {
      const payload = JSON.stringify({ n, text: `unread ${n} 😀 \u00e9\ufffe` });
      const reply = await postGraphql(
        first.graphqlUrl,
        CREATE_SCHEDULE,
        { input: { dueAt, payload } },
        { apiKey: first.apiKey },
      );
      expect(reply.body.errors).toBeUndefined();
    }
    expect(await waitFor(async () => (await queueDepth(first)) === SCHEDULES, 30_000)).toBe(true);
    const deleted = await receive(first, 10, true);
    const held = await receive(first, 5, false);
    const unread = await receive(first, SCHEDULES, false);
    expect(deleted).toHaveLength(10);
    expect(held.length + unread.length).toBe(SCHEDULES - 10);

    // Act: kill -9, restart, kill -9 again, restart
    await first.kill();
    const second = await startChildStack({ dataDir });
    children.push(second);
    await second.kill();
    const third = await startChildStack({ dataDir });
    children.push(third);

    // Assess: the 30 not deleted are back, unchanged, and none of the 10 deleted
    const after = await receive(third, SCHEDULES, true);
    expect(after.sort()).toEqual([...held, ...unread].sort());
    const afterIds = new Set(after.map(idOf));
    expect(deleted.map(idOf).filter((id) => afterIds.has(id))).toEqual([]);
    expect(await queueDepth(third)).toBe(0);
  });
});
