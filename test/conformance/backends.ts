/*
 * The DynamoDB backends every conformance contract runs against: dynalite, which the product
 * runs on locally, and AWS's DynamoDB Local, which is closer to the real service. A contract is a
 * function of a started backend; each test file starts each backend once and runs its contracts.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startLocalDynamo, type LocalDynamo } from '../../src/local/services.js';
import { javaAvailability, startDynamoDbLocal } from '../helpers/dynamodb-local.js';

/** One DynamoDB implementation under test. */
export interface DynamoBackend {
  readonly name: 'dynalite' | 'DynamoDB Local';
  /** Starts an in-memory server for one test file. */
  start(): Promise<LocalDynamo>;
  /** Whether it implements UpdateTimeToLive/DescribeTimeToLive (dynalite does not). */
  readonly supportsTimeToLive: boolean;
}

const DYNALITE: DynamoBackend = {
  name: 'dynalite',
  start: () => startLocalDynamo(),
  supportsTimeToLive: false,
};

const DYNAMODB_LOCAL: DynamoBackend = {
  name: 'DynamoDB Local',
  start: startDynamoDbLocal,
  supportsTimeToLive: true,
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
