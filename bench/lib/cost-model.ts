import type { CallCounts } from './http-meter.js';
import type { SdkCounts } from './sdk-meter.js';

/**
 * us-east-1 list prices in USD per million units (Lambda compute per GB-second), as checked in
 * November 2026 from the AWS pricing pages for AppSync, DynamoDB, SQS, Lambda and EventBridge.
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

/** Assumptions the model states rather than measures. */
export const ASSUMPTIONS = {
  /** Dispatcher memory in GB (arm64). */
  dispatcherMemoryGb: 0.25,
  /** Billed duration per dispatcher invocation, including the hold until the due millisecond. */
  dispatcherSecondsPerInvocation: 1.0,
  /** Every table write of a live item also writes the sparse owner index (projection ALL). */
  indexWriteFactor: 2,
  /** Write units per write: items under 1 KB (small payloads). */
  writeUnitsPerWrite: 1,
} as const;

/** Billable units one schedule costs, averaged over a run. */
export interface UnitsPerSchedule {
  /**
   * GraphQL requests: the client's `createSchedule` plus the dispatcher's `publishScheduleFired`,
   * one request per firing (AppSync bills each; the publisher never batches events into one
   * request as aliased fields, since AppSync does not promise to publish those).
   */
  readonly appsyncRequests: number;
  readonly realtimeUpdates: number;
  readonly dynamoWriteUnits: number;
  readonly dynamoReadUnits: number;
  readonly sqsRequests: number;
  readonly lambdaInvocations: number;
}

const WRITES = ['PutItem', 'UpdateItem', 'DeleteItem'];
const READS = ['GetItem', 'Query', 'Scan'];

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
): UnitsPerSchedule {
  const per = (value: number) => value / Math.max(1, schedules);
  const dynamo = (label: string) => label.startsWith('DynamoDB_');
  const sqs = (label: string) => label.startsWith('AmazonSQS.');
  const writes = sumWhere(http, (label) => dynamo(label) && WRITES.includes(operation(label)));
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
    dynamoWriteUnits: per(writes * ASSUMPTIONS.indexWriteFactor * ASSUMPTIONS.writeUnitsPerWrite),
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
