import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { randomInt } from 'node:crypto';
import { marshall } from '@aws-sdk/util-dynamodb';
import { createDynamoClient } from '../../src/aws/clients.js';
import { makeScheduleId } from '../../src/domain/ids.js';
import { scheduleKey } from '../../src/domain/keys.js';
import { API_KEY_OWNER } from '../../src/domain/owner.js';
import type { ScheduleItem } from '../../src/domain/schedule-item.js';
import { DEFAULT_SETTINGS } from '../../src/domain/settings.js';
import { Status } from '../../src/domain/status.js';
import { isoFromEpochMs } from '../../src/domain/time.js';
import { startBenchStack } from '../lib/bench-stack.js';
import { runPool, sleep } from '../lib/pool.js';
import type { Progress } from '../lib/progress.js';
import { diffSdkCounts, type SdkTotals } from '../lib/sdk-meter.js';
import { buildResult, type Scenario, type ScenarioContext } from './scenario.js';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const DAY_MS = 86_400_000;

function randomUlid(): string {
  let text = '';
  for (let index = 0; index < 26; index += 1) text += CROCKFORD[randomInt(32)];
  return text;
}

/** A PENDING item as createSchedule stores it (src/domain/schedule-item.ts). */
function pendingItem(dueAtMs: number, nowMs: number): ScheduleItem {
  const id = makeScheduleId(dueAtMs, randomUlid(), DEFAULT_SETTINGS.shardCount);
  const key = scheduleKey(id, DEFAULT_SETTINGS.bucketWidthSeconds);
  if (key === null) throw new Error(`made an id the domain cannot parse: ${id}`);
  return {
    ...key,
    id,
    owner: API_KEY_OWNER,
    pendingOwner: API_KEY_OWNER,
    dueAt: isoFromEpochMs(dueAtMs),
    payload: '{"bench":"pending-scale"}',
    status: Status.pending,
    createdAt: isoFromEpochMs(nowMs),
  };
}

async function writeItems(
  client: DynamoDBClient,
  tableName: string,
  items: { count: number; dueAtMs: () => number },
  progress: Progress,
): Promise<void> {
  const batches = Math.ceil(items.count / 25);
  let done = 0;
  await runPool(batches, 8, async (batch) => {
    const size = Math.min(25, items.count - batch * 25);
    const now = Date.now();
    let unprocessed = Array.from({ length: size }, () => ({
      PutRequest: {
        Item: marshall(pendingItem(items.dueAtMs(), now), { removeUndefinedValues: true }),
      },
    }));
    while (unprocessed.length > 0) {
      const result = await client.send(
        new BatchWriteItemCommand({ RequestItems: { [tableName]: unprocessed } }),
      );
      unprocessed = (result.UnprocessedItems?.[tableName] ?? []) as typeof unprocessed;
    }
    done += size;
    progress.update(done, items.count);
  });
}

/** One feeder pass's reads with `pending` far-future items and `due` items in its window. */
async function measurePass(
  context: ScenarioContext,
  pending: number,
  due: number,
): Promise<SdkTotals> {
  const bench = await startBenchStack({ observe: false, feederIntervalSeconds: 3600 });
  const client = createDynamoClient({ dynamoEndpoint: bench.stack.dynamoEndpoint });
  bench.sdk.exclude(client);
  try {
    await bench.stack.runFeederPass();
    context.progress.phase(`writing ${pending.toLocaleString('en-US')} far-future items`);
    const now = Date.now();
    await writeItems(
      client,
      bench.stack.tableName,
      { count: pending, dueAtMs: () => now + DAY_MS + randomInt((365 * DAY_MS) / 1000) * 1000 },
      context.progress,
    );
    context.progress.phase(`writing ${due} items due in the feeder's window`);
    await writeItems(
      client,
      bench.stack.tableName,
      { count: due, dueAtMs: () => Date.now() + 60_000 + randomInt(60_000) },
      context.progress,
    );
    // Let the clock move past the startup pass's watermark, as a minute does in the cloud.
    await sleep(1000);
    const before = bench.sdk.snapshot();
    await bench.stack.runFeederPass();
    const reads = diffSdkCounts(before, bench.sdk.snapshot())['dynamodb Query'];
    return reads ?? { calls: 0, scanned: 0, capacityUnits: 0, messages: 0, nonEmpty: 0 };
  } finally {
    client.destroy();
    await bench.close();
  }
}

/** The feeder's DynamoDB reads per pass, with few versus many far-future pending schedules. */
export const pendingScaleScenario: Scenario = {
  name: 'pending-scale',
  description:
    'feeder reads per pass with 10,000 versus --n far-future pending items (target: within 10%)',
  async run(context) {
    const startedAtMs = Date.now();
    const large = context.n ?? (context.quick ? 2000 : 1_000_000);
    const small = context.quick ? 200 : 10_000;
    const due = context.quick ? 20 : 1000;
    const few = await measurePass(context, small, due);
    const many = await measurePass(context, large, due);
    const spreadPercent = (a: number, b: number) =>
      a === 0 ? 0 : Math.round(((b - a) / a) * 1000) / 10;
    return buildResult({
      scenario: 'pending-scale',
      startedAtMs,
      quick: context.quick,
      params: { smallPending: small, largePending: large, dueInWindow: due },
      figures: [
        {
          name: `feeder Query calls per pass, ${large.toLocaleString('en-US')} pending`,
          unit: 'calls',
          ours: many.calls,
        },
        {
          name: `feeder Query calls per pass, ${small.toLocaleString('en-US')} pending`,
          unit: 'calls',
          ours: few.calls,
        },
        {
          name: `items read per pass, ${large.toLocaleString('en-US')} pending`,
          unit: 'items',
          ours: many.scanned,
        },
        {
          name: `items read per pass, ${small.toLocaleString('en-US')} pending`,
          unit: 'items',
          ours: few.scanned,
        },
        {
          name: `read units per pass, ${large.toLocaleString('en-US')} pending`,
          unit: 'RCU',
          ours: many.capacityUnits,
        },
        {
          name: `read units per pass, ${small.toLocaleString('en-US')} pending`,
          unit: 'RCU',
          ours: few.capacityUnits,
        },
        {
          name: 'read units, large vs small',
          unit: '%',
          ours: spreadPercent(few.capacityUnits, many.capacityUnits),
          target: '<= 10',
        },
      ],
      extra: { small: few, large: many },
    });
  },
};
