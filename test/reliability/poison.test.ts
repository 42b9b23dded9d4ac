import { ReceiveMessageCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSqsClient } from '../../src/aws/clients.js';
import { startLocalStack, type LocalStack } from '../../src/local/stack.js';
import {
  CREATE_SCHEDULE,
  createBurst,
  drainQueue,
  postGraphql,
  waitFor,
} from '../helpers/reliability-stack.js';

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

/**
 * Strings from every character class a JSON payload can hold: SQS's allowed ranges and their
 * edges, characters fauxqs refuses, noncharacters SQS refuses (U+FFFE, U+FFFF), controls, line
 * separators, astral and combining characters, and a mix with JSON's own escapes.
 */
const HOSTILE_TEXTS = [
  'hi 😀',
  '\uFFFE',
  '\uFFFF',
  '\u0000\u0001\u0008\u000b\u000c\u001f',
  '\u007f\u0080\u0085\u009f',
  '\u2028\u2029',
  '\uD7FF\uE000\uFFFD',
  '\u{10000}\u{10FFFF}\u{1F9D1}\u200D\u{1F91D}',
  'e\u0301 \u202e RTL \u00a0 \ufeff BOM',
  '"quotes" \\ back\\slash \t tab \r\n',
  '中文 العربية हिन्दी',
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

describe('payloads of every character class, on both channels', () => {
  let stack: LocalStack;
  beforeAll(async () => {
    // The visibility timeout stays above the longest hold (2 s), as Lambda's does, so only a
    // failed channel can bring a message back.
    stack = await startLocalStack({
      memory: true,
      port: 0,
      quiet: true,
      pollers: 2,
      pollWaitSeconds: 1,
      visibilityTimeoutSeconds: 3,
      maxReceiveCount: 2,
    });
  });
  afterAll(async () => {
    await stack.stop();
  });

  it('delivers every accepted payload, whatever its characters, to each channel exactly once', async () => {
    // Prepare
    const sqs = createSqsClient({ sqsEndpoint: stack.sqsEndpoint });
    const payloads = new Map<string, string>();
    const refused: string[] = [];
    // Act
    for (const [index, text] of HOSTILE_TEXTS.entries()) {
      const payload = JSON.stringify({ m: text, n: index });
      const input = { delaySeconds: 1, payload };
      const reply = await postGraphql(
        stack.graphqlUrl,
        CREATE_SCHEDULE,
        { input },
        {
          apiKey: stack.apiKey,
        },
      );
      const created = reply.body.data?.['createSchedule'] as { id: string } | undefined;
      if (created) payloads.set(created.id, payload);
      else refused.push(`${JSON.stringify(text)}: ${reply.raw}`);
    }
    const output = await drainQueue(
      sqs,
      stack.outputQueueUrl,
      (seen) => seen.counts.size >= payloads.size,
      15_000,
    );
    // A failed channel's retry would re-publish after the visibility timeout of 3 s.
    await waitFor(() => false, 4_000, 500);
    const late = await drainQueue(sqs, stack.outputQueueUrl, () => false, 1_000);
    sqs.destroy();
    // Assess
    expect(refused).toEqual([]);
    const received = new Map(output.bodies.map((body) => [String(body['id']), body['payload']]));
    expect(received).toEqual(payloads);
    expect([...output.counts.values()].every((count) => count === 1)).toBe(true);
    expect(late.counts.size).toBe(0);
    for (const id of payloads.keys()) {
      expect(stack.fired.filter((sample) => sample.id === id)).toHaveLength(1);
    }
  });
});
