import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, it } from 'vitest';
import { queueArnFromUrl, sqsRecordFromMessage } from '../../../src/aws/sqs-event.js';
import { chunk, mapWithConcurrency } from '../../../src/engine/concurrency.js';
import { deliver, sinksAskedFor } from '../../../src/engine/delivery.js';
import type { FiredEvent } from '../../../src/engine/fired-event.js';
import { MemoryMetrics, MetricName } from '../../../src/engine/observability.js';
import { readEngineSettings } from '../../../src/engine/settings.js';
import { makeTriggerHandler } from '../../../src/engine/trigger.js';

const logger = new Logger({ logLevel: 'SILENT' });
const EVENT: FiredEvent = {
  id: 'x',
  owner: 'o',
  dueAt: '2027-01-01T00:00:00.000Z',
  firedAt: '2027-01-01T00:00:00.010Z',
  latenessMs: 10,
  payload: '{"secret":true}',
  key: null,
  labels: [],
};

describe('trigger', () => {
  it('starts one feeder run per shard, all at once', async () => {
    // Prepare
    const started: number[] = [];
    const handler = makeTriggerHandler({
      settings: readEngineSettings({ SHARD_COUNT: '5' }),
      logger,
      metrics: new MemoryMetrics(),
      startFeeder: async (shard) => {
        started.push(shard);
      },
    });

    // Act
    const report = await handler({});

    // Assess
    expect(started.sort()).toEqual([0, 1, 2, 3, 4]);
    expect(report).toEqual({ started: [0, 1, 2, 3, 4], failed: [] });
  });

  it('tries every shard, then fails naming the shards that did not start', async () => {
    // Prepare
    const metrics = new MemoryMetrics();
    const started: number[] = [];
    const handler = makeTriggerHandler({
      settings: readEngineSettings({ SHARD_COUNT: '3' }),
      logger,
      metrics,
      startFeeder: async (shard) => {
        if (shard === 1) throw new Error('throttled');
        started.push(shard);
      },
    });

    // Act / Assess
    await expect(handler({})).rejects.toThrow('Starting feeder runs failed for shards 1');
    expect(started.sort()).toEqual([0, 2]);
    expect(metrics.total(MetricName.triggerErrors)).toBe(1);
  });
});

describe('deliver', () => {
  const failing = {
    send: async () => {
      throw new Error('HTTP 500');
    },
  };

  it('sends to every sink and reports each channel, naming the failure without the payload', async () => {
    // Prepare
    const received: string[] = [];
    const sinks = {
      good: { send: async (e: FiredEvent) => void received.push(e.id) },
      bad: failing,
    };

    // Act
    const outcome = await deliver(EVENT, sinks);

    // Assess
    expect(outcome).toEqual({
      delivered: ['good'],
      failed: [{ channel: 'bad', reason: 'HTTP 500' }],
    });
    expect(JSON.stringify(outcome)).not.toMatch(/secret/);
    expect(received).toEqual(['x']);
  });

  it('does not send again to a channel that already has the event', async () => {
    // Prepare
    const received: string[] = [];
    const sinks = {
      good: { send: async (e: FiredEvent) => void received.push(e.id) },
      bad: failing,
    };

    // Act
    const outcome = await deliver(EVENT, sinks, new Set(['good']));

    // Assess
    expect(outcome.delivered).toEqual([]);
    expect(outcome.failed.map((f) => f.channel)).toEqual(['bad']);
    expect(received).toEqual([]);
  });

  it('sends only to the channels asked for, so an unasked failing one does not matter', async () => {
    // Prepare
    const received: string[] = [];
    const sinks = {
      good: { send: async (e: FiredEvent) => void received.push(e.id) },
      bad: failing,
    };

    // Act
    const outcome = await deliver(EVENT, sinks, new Set(), ['good']);

    // Assess
    expect(outcome).toEqual({ delivered: ['good'], failed: [] });
    expect(received).toEqual(['x']);
  });
});

describe('sinksAskedFor', () => {
  it('maps the delivery channels to the sinks recorded in deliveredTo; none given means both', () => {
    expect(sinksAskedFor(['QUEUE'])).toEqual(['outputQueue']);
    expect(sinksAskedFor(['SUBSCRIPTION'])).toEqual(['appsync']);
    expect(sinksAskedFor(['SUBSCRIPTION', 'QUEUE']).sort()).toEqual(['appsync', 'outputQueue']);
    expect(sinksAskedFor(undefined).sort()).toEqual(['appsync', 'outputQueue']);
    expect(sinksAskedFor(null).sort()).toEqual(['appsync', 'outputQueue']);
    expect(sinksAskedFor(new Set(['QUEUE'] as const))).toEqual(['outputQueue']);
  });
});

describe('mapWithConcurrency', () => {
  it('keeps at most `limit` calls in flight and returns results in order', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await mapWithConcurrency([5, 1, 4, 2, 3], 2, async (n) => {
      inFlight += 1;
      peak = Math.max(peak, inFlight);
      await new Promise((resolve) => setTimeout(resolve, n));
      inFlight -= 1;
      return n * 10;
    });
    expect(results).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });

  it('chunks a list into batches of at most the given size', () => {
    expect(chunk([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
  });
});

describe('sqsRecordFromMessage', () => {
  it('builds the record Lambda would pass, from a ReceiveMessage result', () => {
    const url = 'http://127.0.0.1:4566/000000000000/scheduler-delay';
    const record = sqsRecordFromMessage(
      {
        MessageId: 'm1',
        ReceiptHandle: 'r1',
        Body: '{"id":"x"}',
        MD5OfBody: 'md5',
        Attributes: { ApproximateReceiveCount: '3', SentTimestamp: '1' },
      },
      { queueArn: queueArnFromUrl(url), region: 'us-east-1' },
    );
    expect(record).toMatchObject({
      messageId: 'm1',
      receiptHandle: 'r1',
      body: '{"id":"x"}',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:scheduler-delay',
      attributes: { ApproximateReceiveCount: '3', SentTimestamp: '1' },
    });
  });
});
