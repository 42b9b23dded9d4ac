import { startBenchStack, type BenchStack } from '../lib/bench-stack.js';
import {
  ASSUMPTIONS,
  INDEX_WRITES,
  PRICES,
  PRICE_SOURCES,
  addUnits,
  costPerMillion,
  firingFor,
  lineItems,
  modelledBulkCreate,
  publishRequestsPerFiring,
  shardsForPeak,
  subtractUnits,
  unitsPerSchedule,
  type ChannelShares,
  type DeliverChoice,
  type PathName,
  type UnitsPerSchedule,
} from '../lib/cost-model.js';
import { createMany } from '../lib/create-many.js';
import { diffCounts } from '../lib/http-meter.js';
import { estimateCreateRate, leadMsFor, runFiring, warmUp } from '../lib/firing-run.js';
import { diffSdkCounts } from '../lib/sdk-meter.js';
import { markdownTable } from '../lib/table.js';
import { buildResult, type Scenario, type ScenarioContext } from './scenario.js';
import { FAR_PATH_ENV } from './far.js';

/** The calls a create makes (the GraphQL request by API key, its data sources' calls). */
const CREATE_CALLS = [
  'graphql (api key)',
  'GetItem',
  'BatchGetItem',
  'PutItem',
  'BatchWriteItem',
  'SendMessage',
  'SendMessageBatch',
];

/** Index writes the put of a new schedule makes: byOwner and byOwnerHistory, once each. */
const PUT_INDEX_WRITES = 2;

/**
 * Counts what creating `count` schedules costs on their own (due in 10 minutes on the fast
 * path, in a day on the far path, so none fires during the count). When the stack refuses
 * `createSchedules` (not built yet), the reason instead: the caller models it.
 */
async function measureCreates(
  bench: BenchStack,
  count: number,
  concurrency: number,
  far: boolean,
  bulk: boolean,
): Promise<UnitsPerSchedule | string> {
  const dueAtMs = Date.now() + (far ? 86_400_000 : 600_000);
  const http = bench.http.snapshot();
  const sdk = bench.sdk.snapshot();
  try {
    await createMany(bench.stack, { count, concurrency, bulk, dueAtMs: () => dueAtMs });
  } catch (error) {
    // The reason goes into the result, so a modelled bulk row says why it was not measured.
    if (bulk) return error instanceof Error ? error.message : String(error);
    throw error;
  }
  // Only the calls a create makes: the pollers' empty receives and a feeder pass may fall in
  // the same window and belong to the firing side.
  const calls = Object.fromEntries(
    Object.entries(diffCounts(http, bench.http.snapshot())).filter(([label]) =>
      CREATE_CALLS.some((call) => label === call || label.endsWith(`.${call}`)),
    ),
  );
  const reads = Object.fromEntries(
    Object.entries(diffSdkCounts(sdk, bench.sdk.snapshot())).filter(([kind]) =>
      CREATE_CALLS.some((call) => kind === `dynamodb ${call}`),
    ),
  );
  return unitsPerSchedule(count, calls, reads, 0, PUT_INDEX_WRITES, bulk ? count : 0);
}

/**
 * Fires `count` schedules spread over 10 s (2 s when quick) and counts the calls they cost. On
 * the far path the feeder runs once after creation (its timer is an hour), as one pass a minute
 * does in the cloud. Then counts the creates alone, single and bulk, so the firing side is the
 * run minus its creates.
 */
async function measurePath(context: ScenarioContext, count: number, far: boolean) {
  const path: PathName = far ? 'far' : 'fast';
  const bench = await startBenchStack({
    pollers: context.pollers,
    ...(far ? { env: FAR_PATH_ENV, feederIntervalSeconds: 3600 } : {}),
  });
  try {
    await warmUp(bench);
    const windowMs = context.quick ? 2000 : 10_000;
    const rate = await estimateCreateRate(bench, context.concurrency);
    const firstDue = Date.now() + leadMsFor(count, rate, far ? 12_000 : 3000);
    let passed = false;
    const run = await runFiring(bench, {
      count,
      concurrency: context.concurrency,
      dueAtMs: (index) => {
        // The feeder pass starts once the last schedule is being created.
        if (far && index === count - 1 && !passed) {
          passed = true;
          setTimeout(() => void bench.stack.runFeederPass(), 500);
        }
        return firstDue + Math.floor((index * windowMs) / count);
      },
      graceMs: 30_000,
      progress: context.progress,
    });
    const indexWrites = INDEX_WRITES[path].byOwner + INDEX_WRITES[path].byOwnerHistory;
    const updates = run.delivery.subscription.received;
    const units = unitsPerSchedule(run.created, run.httpCalls, run.sdkCalls, updates, indexWrites);
    const fired = run.delivery.queue.received;
    const publishesPerFiring = publishRequestsPerFiring(run.httpCalls, fired);
    context.progress.phase('counting creates alone');
    const probe = Math.max(50, Math.min(count, 500));
    const single = await measureCreates(bench, probe, context.concurrency, far, false);
    const bulkMeasured = await measureCreates(bench, probe, context.concurrency, far, true);
    return {
      path,
      run,
      units,
      publishesPerFiring,
      cost: costPerMillion(units),
      singleCreate: single as UnitsPerSchedule,
      bulkCreate: typeof bulkMeasured === 'string' ? modelledBulkCreate(path) : bulkMeasured,
      bulkMeasured: typeof bulkMeasured !== 'string',
      bulkRefusal: typeof bulkMeasured === 'string' ? bulkMeasured.slice(0, 300) : undefined,
      shares: {
        publishRequestsPerFiring: publishesPerFiring,
        realtimeUpdatesPerFiring: updates / Math.max(1, fired),
        outputRequestsPerFiring: 0,
      } satisfies ChannelShares,
    };
  } finally {
    await bench.close();
  }
}

type Measured = Awaited<ReturnType<typeof measurePath>>;

/** The delivery choices the cost tables compare, per path. */
const CHOICES: readonly { name: string; bulk: boolean; deliver: DeliverChoice }[] = [
  { name: 'single create, live (both channels)', bulk: false, deliver: 'both' },
  { name: 'single create, queue only', bulk: false, deliver: 'queue' },
  { name: 'bulk create, live (both channels)', bulk: true, deliver: 'both' },
  { name: 'bulk create, subscription only', bulk: true, deliver: 'subscription' },
  { name: 'bulk create, queue only', bulk: true, deliver: 'queue' },
];

/** Issue 17's targets, USD per million schedules. */
const TARGETS: Readonly<Record<string, number>> = {
  'bulk create, live (both channels)': 11,
  'bulk create, queue only': 3.5,
};

/** Units per schedule of each choice: a create side plus the firing side for its channels. */
function choicesOf(measured: Measured, outputRequestsPerFiring: number) {
  const firing = subtractUnits(measured.units, measured.singleCreate);
  const shares = { ...measured.shares, outputRequestsPerFiring };
  return CHOICES.map((choice) => {
    const units =
      !choice.bulk && choice.deliver === 'both'
        ? measured.units
        : addUnits(
            choice.bulk ? measured.bulkCreate : measured.singleCreate,
            firingFor(firing, choice.deliver, shares),
          );
    return { ...choice, path: measured.path, units, items: lineItems(units) };
  });
}

function lineItemTable(rows: ReturnType<typeof choicesOf>): string {
  const money = (value: number) => value.toFixed(2);
  return markdownTable(
    [
      'path, choice',
      'AppSync req',
      'real-time',
      'Lambda req',
      'Lambda GB-s',
      'SQS',
      'DDB table W',
      'DDB index W',
      'DDB R',
      '$ / million',
      'target',
    ],
    rows.map((row) => [
      `${row.path}, ${row.name}`,
      money(row.items.appsyncRequests),
      money(row.items.realtimeUpdates),
      money(row.items.lambdaRequests),
      money(row.items.lambdaGbSeconds),
      money(row.items.sqs),
      money(row.items.dynamoTableWrites),
      money(row.items.dynamoIndexWrites),
      money(row.items.dynamoReads),
      money(row.items.total),
      TARGETS[row.name] === undefined ? '' : `<= ${money(TARGETS[row.name] as number)}`,
    ]),
  );
}

/** Dollars per million schedules on each path, from counted calls and the us-east-1 prices. */
export const costScenario: Scenario = {
  name: 'cost',
  description:
    'AWS calls per schedule on the fast and far paths, single or bulk create, live or queue-only delivery, priced per million',
  async run(context) {
    const startedAtMs = Date.now();
    const count = context.n ?? (context.quick ? 30 : 1000);
    context.progress.phase('fast path');
    const fast = await measurePath(context, count, false);
    context.progress.phase('far path');
    const far = await measurePath(context, count, true);
    // The fast path sends nothing to the delay queue in batches, so its SendMessageBatch calls
    // are the dispatcher's output-queue sends: the share a subscription-only firing saves.
    const outputRequestsPerFiring =
      (fast.run.httpCalls['AmazonSQS.SendMessageBatch'] ?? 0) /
      Math.max(1, fast.run.delivery.queue.received);
    const rows = [
      ...choicesOf(fast, outputRequestsPerFiring),
      ...choicesOf(far, outputRequestsPerFiring),
    ];
    const table = lineItemTable(rows);
    console.log(`\nCost per million schedules by line item (USD, us-east-1):\n${table}\n`);
    const peaks = [1000, 10_000, 100_000].map((peak) => ({
      peakPerSecond: peak,
      shards: shardsForPeak(peak),
    }));
    const bulkHow = (measured: Measured) => (measured.bulkMeasured ? 'measured' : 'modelled');
    return buildResult({
      scenario: 'cost',
      startedAtMs,
      quick: context.quick,
      params: { count, prices: PRICES, priceSources: PRICE_SOURCES, assumptions: ASSUMPTIONS },
      figures: rows.map((row) => ({
        name: `$ per million, ${row.path} path, ${row.name}`,
        unit: 'USD',
        ours: row.items.total,
        peer: PRICES.eventBridgeSchedulerPerMillion,
        ...(TARGETS[row.name] === undefined ? {} : { target: `<= ${TARGETS[row.name]}` }),
      })),
      delivery: {
        'fast: subscription': fast.run.delivery.subscription,
        'fast: output queue': fast.run.delivery.queue,
        'far: subscription': far.run.delivery.subscription,
        'far: output queue': far.run.delivery.queue,
      },
      extra: {
        comparedWith: 'EventBridge Scheduler, $1.00 per million invocations (peer column)',
        indexWrites: INDEX_WRITES,
        outputRequestsPerFiring,
        choices: rows,
        lineItemTable: table,
        ...Object.fromEntries(
          [fast, far].map((measured) => [
            measured.path,
            {
              publishRequestsPerFiring: measured.publishesPerFiring,
              units: measured.units,
              cost: measured.cost,
              singleCreate: measured.singleCreate,
              bulkCreate: measured.bulkCreate,
              bulkCreate_is: bulkHow(measured),
              bulkRefusal: measured.bulkRefusal,
              httpCalls: measured.run.httpCalls,
              sdkCalls: measured.run.sdkCalls,
            },
          ]),
        ),
        capacity: peaks,
      },
      notes: [
        "The peer column of this scenario is EventBridge Scheduler's list price, not a measurement.",
        `Measured on the local stack: single-create runs on both channels (every call counted), the creates alone (single${fast.bulkMeasured ? ' and bulk' : ''}), publishScheduleFired requests per firing (fast ${fast.publishesPerFiring}, far ${far.publishesPerFiring}).`,
        `Bulk create side: ${bulkHow(fast)} on the fast path, ${bulkHow(far)} on the far path${fast.bulkMeasured && far.bulkMeasured ? '' : ' (createSchedules was not available: modelled from the bulk design, 1 AppSync request per 25, one write per item, SendMessageBatch of 10 on the fast path)'}.`,
        'Queue-only and subscription-only rows: the measured firing side minus the publish and real-time update (queue only) or the output-queue sends (subscription only) it measured; the claim and the recorded delivery stay.',
        'DynamoDB index writes are modelled from the code (dynalite reports no index capacity): byOwner at put, QUEUED mark (far) and claim; byOwnerHistory at put only.',
        `Shards per bucket for a peak of schedules due in one second (1,000 WCU per partition, two writes per firing): ${peaks.map((peak) => `${peak.peakPerSecond.toLocaleString('en-US')}/s -> ${peak.shards}`).join(', ')}.`,
      ],
    });
  },
};
