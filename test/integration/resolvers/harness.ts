/* Starts dynalite + fauxqs, builds the resolver bundles and an engine over them, for one suite. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { ExecutionResult } from 'graphql';
import { buildResolvers } from '../../../scripts/build-resolvers.js';
import {
  LOCAL_CREDENTIALS,
  createDynamoClient,
  createSqsClient,
} from '../../../src/aws/clients.js';
import {
  type Caller,
  type ClosableGraphqlEngine,
  createLocalGraphqlEngine,
  type GraphqlRequest,
} from '@precise-scheduler/appsync-local';
import { SCHEMA_FILE } from '../../helpers/schema-file.js';
import { startTestServices, type TestServices } from '../../helpers/local-services.js';

/** Settings the suites run with: a one-minute fast path keeps far-path cases quick to set up. */
export const TEST_ENV = {
  FAST_PATH_HORIZON_SECONDS: '60',
  SHARD_COUNT: '2',
  PAST_TOLERANCE_MS: '5000',
  MAX_PAYLOAD_BYTES: '2048',
  MAX_HORIZON_SECONDS: '31536000',
} as const;

/** A started engine with its backing services and clients. */
export interface EngineHarness {
  readonly engine: ClosableGraphqlEngine;
  readonly services: TestServices;
  readonly dynamo: DynamoDBClient;
  readonly sqs: SQSClient;
  /** Runs a query or mutation and returns the result as a client would parse it. */
  run(caller: Caller, query: string, variables?: Record<string, unknown>): Promise<JsonResult>;
  /** Reads a raw table item. */
  getItem(pk: string, sk: string): Promise<Record<string, unknown> | undefined>;
  /** Receives what is on the delay queue now (waits up to `waitSeconds`). */
  receiveDelayed(waitSeconds: number): Promise<Message[]>;
  stop(): Promise<void>;
}

/** An ExecutionResult after a JSON round trip, errors in AppSync's shape. */
export interface JsonResult {
  // Tests read whatever shape the query selected.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly data?: Record<string, any> | null;
  readonly errors?: {
    message: string;
    errorType?: string | null;
    path?: (string | number)[];
    data?: unknown;
    errorInfo?: unknown;
  }[];
}

/** Turns an engine result into what a client receives over HTTP. */
export function asJson(result: ExecutionResult): JsonResult {
  return JSON.parse(JSON.stringify(result)) as JsonResult;
}

/** A Cognito user pool caller with this `sub`. */
export function userCaller(sub: string): Caller {
  return {
    authMode: 'AMAZON_COGNITO_USER_POOLS',
    identity: {
      sub,
      issuer: 'https://local.test/pool',
      username: sub,
      claims: { sub, 'cognito:username': sub },
      sourceIp: ['127.0.0.1'],
      defaultAuthStrategy: 'ALLOW',
      groups: null,
    },
    headers: {},
  };
}

/** An API-key caller (owner "api-key"). */
export const API_KEY_CALLER: Caller = { authMode: 'API_KEY', identity: null, headers: {} };

/** The dispatcher's IAM identity. */
export const IAM_CALLER: Caller = {
  authMode: 'AWS_IAM',
  identity: {
    accountId: '000000000000',
    userArn: 'arn:aws:iam::000000000000:role/dispatcher',
    username: 'dispatcher',
    sourceIp: ['127.0.0.1'],
    cognitoIdentityPoolId: null,
    cognitoIdentityId: null,
    cognitoIdentityAuthType: null,
    cognitoIdentityAuthProvider: null,
  },
  headers: {},
};

/** Starts everything; `now` overrides the resolvers' clock. */
export async function startEngineHarness(
  options: { env?: Record<string, string>; now?: () => number } = {},
): Promise<EngineHarness> {
  const services = await startTestServices();
  const manifestDir = await mkdtemp(path.join(tmpdir(), 'resolvers-'));
  await buildResolvers(manifestDir);
  const dynamo = createDynamoClient({ dynamoEndpoint: services.dynamo.endpoint });
  const sqs = createSqsClient({ sqsEndpoint: services.sqs.endpoint });
  const engine = await createLocalGraphqlEngine({
    schemaFile: SCHEMA_FILE,
    manifestDir,
    env: {
      ...TEST_ENV,
      DELAY_QUEUE_URL: services.delayQueueUrl,
      TABLE_NAME: services.tableName,
      ...options.env,
    },
    dataSources: {
      schedules: { type: 'AMAZON_DYNAMODB', tableName: services.tableName, client: dynamo },
      delayQueue: {
        type: 'HTTP',
        endpoint: services.sqs.endpoint,
        signing: { service: 'sqs', region: 'us-east-1', credentials: LOCAL_CREDENTIALS },
      },
      none: { type: 'NONE' },
    },
    ...(options.now === undefined ? {} : { now: options.now }),
  });
  return {
    engine,
    services,
    dynamo,
    sqs,
    run: async (caller, query, variables) =>
      asJson(await engine.execute({ query, variables } satisfies GraphqlRequest, caller)),
    getItem: async (pk, sk) => {
      const read = await dynamo.send(
        new GetItemCommand({
          TableName: services.tableName,
          Key: { pk: { S: pk }, sk: { S: sk } },
          ConsistentRead: true,
        }),
      );
      return read.Item === undefined ? undefined : unmarshall(read.Item);
    },
    receiveDelayed: async (waitSeconds) =>
      (
        await sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: services.delayQueueUrl,
            MaxNumberOfMessages: 10,
            WaitTimeSeconds: waitSeconds,
            MessageSystemAttributeNames: ['All'],
          }),
        )
      ).Messages ?? [],
    stop: async () => {
      await engine.close();
      dynamo.destroy();
      sqs.destroy();
      await services.stop();
      await rm(manifestDir, { recursive: true, force: true });
    },
  };
}

/** The fields every test selects on a Schedule. */
export const SCHEDULE_FIELDS =
  'id owner dueAt payload status createdAt clientToken firedAt cancelledAt';

/** The createSchedule mutation. */
export const CREATE = `mutation Create($input: CreateScheduleInput!) {
  createSchedule(input: $input) { ${SCHEDULE_FIELDS} }
}`;

/** The cancelSchedule mutation. */
export const CANCEL = `mutation Cancel($id: ID!) { cancelSchedule(id: $id) { ${SCHEDULE_FIELDS} } }`;
