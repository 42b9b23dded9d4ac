import type { CallCounts } from './http-meter.js';
import type { SdkCounts } from './sdk-meter.js';

/**
 * us-east-1 list prices in USD per million units (Lambda compute per GB-second), as checked in
 * November 2026 from the AWS pricing pages ({@link PRICE_SOURCES}).
 */
export const PRICES = {
  checked: '2026-11',
  appsyncRequestPerMillion: 4.0,
  appsyncRealtimeUpdatePerMillion: 2.0,
  dynamoWriteUnitPerMillion: 0.625,
  dynamoReadUnitPerMillion: 0.125,
  sqsRequestPerMillion: 0.4,
  lambdaRequestPerMillion: 0.2,
  lambdaGbSecond: 0.0000133334,
  eventBridgeSchedulerPerMillion: 1.0,
} as const;

/** Where each price comes from. */
export const PRICE_SOURCES = {
  appsync: 'https://aws.amazon.com/appsync/pricing/',
  dynamodb: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  sqs: 'https://aws.amazon.com/sqs/pricing/',
  lambda: 'https://aws.amazon.com/lambda/pricing/',
  eventBridge: 'https://aws.amazon.com/eventbridge/pricing/',
} as const;

/** Assumptions the model states rather than measures. */
export const ASSUMPTIONS = {
  /** Dispatcher memory in GB (arm64): infra/constructs/scheduler-engine.ts deploys 512 MB. */
  dispatcherMemoryGb: 0.5,
  /** Billed duration per dispatcher invocation, including the hold until the due millisecond. */
  dispatcherSecondsPerInvocation: 1.0,
  /** Write units per write: items under 1 KB (small payloads). */
  writeUnitsPerWrite: 1,
  /** Schedules per createSchedules request (the API's maximum). */
  bulkCreateSize: 25,
  /** Messages per SendMessageBatch (SQS's maximum); delay-queue bodies are far under 64 KiB together. */
  sqsBatchSize: 10,
} as const;

/**
 * Index writes per schedule, counted from what the code writes (dynalite reports no index
 * capacity, so these are modelled, by AWS's rules for GSI writes: a put that defines the index
 * keys writes the index once, an update of a projected attribute writes it once, removing an
 * index key deletes the entry with one write, and an update that changes neither keys nor
 * projected attributes writes nothing).
 * - byOwner (`pendingOwner`, `sk`, projection ALL): the put, the feeder's QUEUED mark (far
 *   path only: status is projected) and the claim (REMOVE pendingOwner); the recorded delivery
 *   finds the item out of the index.
 * - byOwnerHistory (`owner`, `sk`, KEYS_ONLY): the put only; status changes touch no key.
 */
export const INDEX_WRITES = {
  fast: { byOwner: 2, byOwnerHistory: 1 },
  far: { byOwner: 3, byOwnerHistory: 1 },
} as const;

/** The fast path (created straight onto the delay queue) or the far path (via the feeder). */
export type PathName = keyof typeof INDEX_WRITES;

/** Billable units one schedule costs, averaged over a run. */
export interface UnitsPerSchedule {
  /**
   * GraphQL requests: the client's `createSchedule` plus the dispatcher's `publishScheduleFired`,
   * one request per firing (AppSync bills each; the publisher never batches events into one
   * request as aliased fields, since AppSync does not promise to publish those).
   */
  readonly appsyncRequests: number;
  readonly realtimeUpdates: number;
  /** Table writes (measured) plus index writes ({@link INDEX_WRITES}, modelled). */
  readonly dynamoWriteUnits: number;
  /** Of {@link dynamoWriteUnits}: the modelled index writes. */
  readonly dynamoIndexWriteUnits: number;
  readonly dynamoReadUnits: number;
  readonly sqsRequests: number;
  readonly lambdaInvocations: number;
}

const WRITES = ['PutItem', 'UpdateItem', 'DeleteItem'];
const BATCH_WRITES = ['BatchWriteItem'];
const READS = ['GetItem', 'Query', 'Scan', 'BatchGetItem'];

function sumWhere(counts: CallCounts, match: (label: string) => boolean): number {
  return Object.entries(counts).reduce(
    (total, [label, value]) => total + (match(label) ? value : 0),
    0,
  );
}

/** The AWS-JSON operation name of a metered label, e.g. "PutItem" of "DynamoDB_20120810.PutItem". */
function operation(label: string): string {
  return label.split('.').pop() ?? label;
}

/**
 * Billable units per schedule from what a run counted: the HTTP meter's AWS calls and GraphQL
 * requests (the bench's own excluded), read capacity and dispatcher batches from the SDK meter,
 * and the subscription events delivered.
 */
export function unitsPerSchedule(
  schedules: number,
  http: CallCounts,
  sdk: SdkCounts,
  realtimeUpdates: number,
  indexWritesPerSchedule = 0,
  batchItemsWritten = 0,
): UnitsPerSchedule {
  const per = (value: number) => value / Math.max(1, schedules);
  const dynamo = (label: string) => label.startsWith('DynamoDB_');
  const sqs = (label: string) => label.startsWith('AmazonSQS.');
  // A BatchWriteItem call bills each item it writes; the caller says how many those were.
  const batchCalls = sumWhere(
    http,
    (label) => dynamo(label) && BATCH_WRITES.includes(operation(label)),
  );
  const writes =
    sumWhere(http, (label) => dynamo(label) && WRITES.includes(operation(label))) +
    (batchCalls > 0 ? batchItemsWritten : 0);
  const indexWrites = indexWritesPerSchedule * schedules;
  const readCalls = sumWhere(http, (label) => dynamo(label) && READS.includes(operation(label)));
  const readCapacity = Object.entries(sdk)
    .filter(
      ([kind]) => kind.startsWith('dynamodb ') && READS.some((read) => kind.includes(` ${read}`)),
    )
    .reduce((total, [, value]) => total + value.capacityUnits, 0);
  const dispatcherBatches = sdk['sqs ReceiveMessage']?.nonEmpty ?? 0;
  return {
    appsyncRequests: per(sumWhere(http, (label) => label.startsWith('graphql'))),
    realtimeUpdates: per(realtimeUpdates),
    dynamoWriteUnits: per((writes + indexWrites) * ASSUMPTIONS.writeUnitsPerWrite),
    dynamoIndexWriteUnits: per(indexWrites * ASSUMPTIONS.writeUnitsPerWrite),
    // Reads the SDK meter saw report their consumed capacity; others count one unit a call.
    dynamoReadUnits: per(Math.max(readCapacity, readCapacity > 0 ? 0 : readCalls)),
    sqsRequests: per(sumWhere(http, sqs)),
    lambdaInvocations: per(dispatcherBatches),
  };
}

/** The dispatcher's signed GraphQL requests per fired schedule: 1 when each firing is one publish. */
export function publishRequestsPerFiring(http: CallCounts, fired: number): number {
  return Math.round(((http['graphql (iam)'] ?? 0) / Math.max(1, fired)) * 1000) / 1000;
}

/** Dollars per million schedules, by service and in total. */
export interface CostPerMillion {
  readonly appsync: number;
  readonly dynamodb: number;
  readonly sqs: number;
  readonly lambda: number;
  readonly total: number;
}

/** Multiplies units per schedule by the price table; the result is USD per million schedules. */
export function costPerMillion(units: UnitsPerSchedule): CostPerMillion {
  const lambdaPerInvocation =
    PRICES.lambdaRequestPerMillion / 1e6 +
    ASSUMPTIONS.dispatcherMemoryGb *
      ASSUMPTIONS.dispatcherSecondsPerInvocation *
      PRICES.lambdaGbSecond;
  const appsync =
    units.appsyncRequests * PRICES.appsyncRequestPerMillion +
    units.realtimeUpdates * PRICES.appsyncRealtimeUpdatePerMillion;
  const dynamodb =
    units.dynamoWriteUnits * PRICES.dynamoWriteUnitPerMillion +
    units.dynamoReadUnits * PRICES.dynamoReadUnitPerMillion;
  const sqs = units.sqsRequests * PRICES.sqsRequestPerMillion;
  const lambda = units.lambdaInvocations * lambdaPerInvocation * 1e6;
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    appsync: round(appsync),
    dynamodb: round(dynamodb),
    sqs: round(sqs),
    lambda: round(lambda),
    total: round(appsync + dynamodb + sqs + lambda),
  };
}

/**
 * Shards per time bucket needed so that `peakPerSecond` schedules due in one second stay under
 * DynamoDB's 1,000 write units per partition: each firing writes its item twice, the claim
 * (FIRING) and the recorded delivery (FIRED).
 */
export function shardsForPeak(peakPerSecond: number, writeUnitsPerFiring = 2): number {
  return Math.max(1, Math.ceil((peakPerSecond * writeUnitsPerFiring) / 1000));
}

/** Units per schedule minus `part` (e.g. a whole run minus its creates = the firing side). */
export function subtractUnits(whole: UnitsPerSchedule, part: UnitsPerSchedule): UnitsPerSchedule {
  const minus = (key: keyof UnitsPerSchedule) => Math.max(0, whole[key] - part[key]);
  return {
    appsyncRequests: minus('appsyncRequests'),
    realtimeUpdates: minus('realtimeUpdates'),
    dynamoWriteUnits: minus('dynamoWriteUnits'),
    dynamoIndexWriteUnits: minus('dynamoIndexWriteUnits'),
    dynamoReadUnits: minus('dynamoReadUnits'),
    sqsRequests: minus('sqsRequests'),
    lambdaInvocations: minus('lambdaInvocations'),
  };
}

/** The sum of two sets of units per schedule (a create side and a firing side). */
export function addUnits(a: UnitsPerSchedule, b: UnitsPerSchedule): UnitsPerSchedule {
  const plus = (key: keyof UnitsPerSchedule) => a[key] + b[key];
  return {
    appsyncRequests: plus('appsyncRequests'),
    realtimeUpdates: plus('realtimeUpdates'),
    dynamoWriteUnits: plus('dynamoWriteUnits'),
    dynamoIndexWriteUnits: plus('dynamoIndexWriteUnits'),
    dynamoReadUnits: plus('dynamoReadUnits'),
    sqsRequests: plus('sqsRequests'),
    lambdaInvocations: plus('lambdaInvocations'),
  };
}

/**
 * The create side of `createSchedules` per schedule, modelled from the bulk design (spec, issue
 * 17): one AppSync request per {@link ASSUMPTIONS.bulkCreateSize} schedules, one table write per
 * item plus one per token record (only with a clientToken, after a BatchGetItem of the token
 * records: one read unit each, strongly consistent), the put's index writes, and on the fast path
 * one SendMessageBatch per {@link ASSUMPTIONS.sqsBatchSize} delay-queue messages.
 */
export function modelledBulkCreate(path: PathName, withClientToken = false): UnitsPerSchedule {
  // The put writes byOwner and byOwnerHistory once each, on either path.
  const indexWrites = 2;
  const tableWrites = 1 + (withClientToken ? 1 : 0);
  return {
    appsyncRequests: 1 / ASSUMPTIONS.bulkCreateSize,
    realtimeUpdates: 0,
    dynamoWriteUnits: (tableWrites + indexWrites) * ASSUMPTIONS.writeUnitsPerWrite,
    dynamoIndexWriteUnits: indexWrites * ASSUMPTIONS.writeUnitsPerWrite,
    dynamoReadUnits: withClientToken ? 1 : 0,
    sqsRequests: path === 'fast' ? 1 / ASSUMPTIONS.sqsBatchSize : 0,
    lambdaInvocations: 0,
  };
}

/** Which channels a schedule asks for (`deliver`): both (the default), QUEUE or SUBSCRIPTION. */
export type DeliverChoice = 'both' | 'queue' | 'subscription';

/** What one firing costs per channel, from a run that delivered on both. */
export interface ChannelShares {
  /** publishScheduleFired requests per firing (1: one unaliased mutation each). */
  readonly publishRequestsPerFiring: number;
  /** Real-time updates per firing (one per subscriber). */
  readonly realtimeUpdatesPerFiring: number;
  /** Output-queue SendMessageBatch requests per firing (the dispatcher batches one turn's events). */
  readonly outputRequestsPerFiring: number;
}

/**
 * The firing side for a delivery choice: a QUEUE-only schedule never calls AppSync at fire time
 * (no publish, no real-time update); a SUBSCRIPTION-only one sends nothing to the output queue.
 * The claim and the recorded delivery are written either way.
 */
export function firingFor(
  firing: UnitsPerSchedule,
  deliver: DeliverChoice,
  shares: ChannelShares,
): UnitsPerSchedule {
  if (deliver === 'queue') {
    return {
      ...firing,
      appsyncRequests: Math.max(0, firing.appsyncRequests - shares.publishRequestsPerFiring),
      realtimeUpdates: Math.max(0, firing.realtimeUpdates - shares.realtimeUpdatesPerFiring),
    };
  }
  if (deliver === 'subscription') {
    return {
      ...firing,
      sqsRequests: Math.max(0, firing.sqsRequests - shares.outputRequestsPerFiring),
    };
  }
  return firing;
}

/** Dollars per million schedules by line item, for the cost tables. */
export interface LineItems {
  readonly appsyncRequests: number;
  readonly realtimeUpdates: number;
  readonly lambdaRequests: number;
  readonly lambdaGbSeconds: number;
  readonly sqs: number;
  readonly dynamoTableWrites: number;
  readonly dynamoIndexWrites: number;
  readonly dynamoReads: number;
  readonly total: number;
}

/** Splits {@link costPerMillion} into the line items a reader checks one by one. */
export function lineItems(units: UnitsPerSchedule): LineItems {
  const round = (value: number) => Math.round(value * 1000) / 1000;
  const items = {
    appsyncRequests: units.appsyncRequests * PRICES.appsyncRequestPerMillion,
    realtimeUpdates: units.realtimeUpdates * PRICES.appsyncRealtimeUpdatePerMillion,
    lambdaRequests: units.lambdaInvocations * PRICES.lambdaRequestPerMillion,
    lambdaGbSeconds:
      units.lambdaInvocations *
      ASSUMPTIONS.dispatcherMemoryGb *
      ASSUMPTIONS.dispatcherSecondsPerInvocation *
      PRICES.lambdaGbSecond *
      1e6,
    sqs: units.sqsRequests * PRICES.sqsRequestPerMillion,
    dynamoTableWrites:
      (units.dynamoWriteUnits - units.dynamoIndexWriteUnits) * PRICES.dynamoWriteUnitPerMillion,
    dynamoIndexWrites: units.dynamoIndexWriteUnits * PRICES.dynamoWriteUnitPerMillion,
    dynamoReads: units.dynamoReadUnits * PRICES.dynamoReadUnitPerMillion,
  };
  const total = Object.values(items).reduce((sum, value) => sum + value, 0);
  return {
    ...(Object.fromEntries(
      Object.entries(items).map(([key, value]) => [key, round(value)]),
    ) as Omit<LineItems, 'total'>),
    total: round(total),
  };
}
