/*
 * DynamoDB conformance: every contract below runs against dynalite and against AWS's DynamoDB
 * Local (see docs/local.md, "DynamoDB Local conformance"). One file, so one JVM per test run.
 * SQS is fauxqs throughout; AppSync is the local engine and the engine harness's recorder.
 */
import { describe } from 'vitest';
import { describeEachBackend } from './backends.js';
import { engineCycleContract } from './engine-cycle.contract.js';
import { feederStateContract } from './feeder-state.contract.js';
import { resolversContract } from './resolvers.contract.js';
import { scheduleStoreContract } from './schedule-store.contract.js';
import { tableContract } from './table.contract.js';

describeEachBackend('DynamoDB contract', (context) => {
  describe('table definition', () => tableContract(context));
  describe('schedule store', () => scheduleStoreContract(context));
  describe('feeder state and lease', () => feederStateContract(context));
  describe('resolvers through the APPSYNC_JS runtime', () => resolversContract(context));
  describe('engine: create, feed, fire, cancel', () => engineCycleContract(context));
});
