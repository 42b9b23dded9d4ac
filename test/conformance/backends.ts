/*
 * The DynamoDB backends every conformance contract runs against: dynalite, which the product
 * runs on locally, and AWS's DynamoDB Local, which is closer to the real service. A contract is a
 * function of a started backend; each test file starts each backend once and runs its contracts.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startLocalDynamo, type LocalDynamo } from '../../src/local/services.js';
import { javaAvailability, startDynamoDbLocal } from '../helpers/dynamodb-local.js';

/**
 * Where a backend is known to differ from DynamoDB, each written down in docs/local.md. A gap's
 * test asserts the backend's actual answer, so a backend that closes the gap fails it and the
 * note gets updated.
 */
export type KnownGap =
  /** UpdateTimeToLive/DescribeTimeToLive are not implemented. */
  | 'no-time-to-live'
  /** An empty string is accepted as a global secondary index key. */
  | 'empty-index-key-accepted'
  /** IN takes more than DynamoDB's 100 operands. */
  | 'in-operand-limit-unchecked';

/** One DynamoDB implementation under test. */
export interface DynamoBackend {
  readonly name: 'dynalite' | 'DynamoDB Local';
  /** Starts an in-memory server for one test file. */
  start(): Promise<LocalDynamo>;
  readonly gaps: ReadonlySet<KnownGap>;
}

const DYNALITE: DynamoBackend = {
  name: 'dynalite',
  start: () => startLocalDynamo(),
  gaps: new Set<KnownGap>([
    'no-time-to-live',
    'empty-index-key-accepted',
    'in-operand-limit-unchecked',
  ]),
};

const DYNAMODB_LOCAL: DynamoBackend = {
  name: 'DynamoDB Local',
  start: startDynamoDbLocal,
  gaps: new Set<KnownGap>(),
};

function isCi(): boolean {
  const ci = process.env['CI'];
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false';
}

/**
 * The backends to run. Without Java, DynamoDB Local is skipped with a warning on a developer's
 * machine, and the suite fails in CI (CI set), where a silent skip would hide the whole suite.
 */
export function conformanceBackends(): { run: DynamoBackend[]; skipped: string[] } {
  const java = javaAvailability();
  if (java.available) return { run: [DYNALITE, DYNAMODB_LOCAL], skipped: [] };
  if (isCi()) throw new Error(`DynamoDB Local conformance cannot run in CI: ${java.reason}`);
  console.warn(`Skipping the DynamoDB Local conformance suite: ${java.reason}`);
  return { run: [DYNALITE], skipped: [`DynamoDB Local (${java.reason})`] };
}

/** A started backend, valid inside the contract's tests and hooks. */
export interface BackendContext {
  readonly backend: DynamoBackend;
  /** The running server; shared by the file's contracts, stopped after them. */
  readonly dynamo: LocalDynamo;
}

/**
 * Declares one describe block per backend (and a skipped one per missing backend) that starts
 * the backend once and runs `contracts` inside it.
 */
export function describeEachBackend(
  title: string,
  contracts: (context: () => BackendContext) => void,
): void {
  const { run, skipped } = conformanceBackends();
  for (const backend of run) {
    describe(`${title} on ${backend.name}`, () => {
      let dynamo: LocalDynamo | undefined;
      beforeAll(async () => {
        dynamo = await backend.start();
      });
      afterAll(async () => {
        await dynamo?.stop();
      });
      contracts(() => {
        if (dynamo === undefined) throw new Error(`${backend.name} did not start`);
        return { backend, dynamo };
      });
    });
  }
  for (const reason of skipped) {
    describe(`${title}`, () => {
      it.skip(`on ${reason}`, () => {});
    });
  }
}
