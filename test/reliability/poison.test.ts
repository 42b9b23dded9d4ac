import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSqsClient } from '../../src/aws/clients.js';
import { startLocalStack, type LocalStack } from '../../src/local/stack.js';
import { createBurst, drainQueue } from '../helpers/reliability-stack.js';

const POISON = [
  'not json',
  '{',
  '[]',
  'null',
  '{}',
  '{"id":42}',
  '{"id":"../../etc/passwd"}',
  '{"id":"1795439747817-3-01M848RQR1FYM0NV9TKCAFCCSQ"}',
  JSON.stringify({ id: 'x'.repeat(100_000) }),
  '\u202e ☃ é',
];

describe('poison and malformed delay-queue messages', () => {
  let stack: LocalStack;
  const logged: string[] = [];

  beforeAll(async () => {
    const capture = (chunk: unknown) => {
      logged.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    stack = await startLocalStack({
      memory: true,
      port: 0,
      pollers: 2,
      pollWaitSeconds: 1,
      visibilityTimeoutSeconds: 1,
      maxReceiveCount: 2,
    });
  });
  afterAll(async () => {
    await stack.stop();
    vi.restoreAllMocks();
  });

  it('moves each to the DLQ with a log line, while good schedules around them fire on time', async () => {
    // Prepare
    const sqs = createSqsClient({ sqsEndpoint: stack.sqsEndpoint });
    const dlqUrl = `${stack.delayQueueUrl}-dlq`;
    const sent = new Map<string, string>();
    // Act
    for (const body of POISON) {
      const { MessageId } = await sqs.send(
        new SendMessageCommand({ QueueUrl: stack.delayQueueUrl, MessageBody: body }),
      );
      sent.set(MessageId as string, body);
    }
    const dueTimes = Array.from({ length: 40 }, (_, i) => Date.now() + 1_500 + i * 50);
    const burst = await createBurst(stack.graphqlUrl, { apiKey: stack.apiKey }, dueTimes);
    const good = await drainQueue(
      sqs,
      stack.outputQueueUrl,
      (seen) => seen.counts.size >= burst.accepted.size,
      20_000,
    );
    const dead = new Map<string, string>();
    const deadline = Date.now() + 20_000;
    while (dead.size < POISON.length && Date.now() < deadline) {
      const received = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: dlqUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      for (const message of received.Messages ?? [])
        dead.set(message.MessageId as string, message.Body as string);
    }
    sqs.destroy();
    // Assess
    expect(burst.accepted.size).toBe(40);
    expect(good.counts.size).toBe(40);
    expect(dead).toEqual(sent);
    const failureLines = logged.filter((line) => line.includes('message failed'));
    for (const messageId of sent.keys()) {
      expect(failureLines.some((line) => line.includes(messageId))).toBe(true);
    }
    expect(failureLines.join('\n')).not.toContain('x'.repeat(300));
  });
});
