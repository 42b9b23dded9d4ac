/*
 * Storage conformance: the table definition, the schedule store and the feeder's state, each
 * run against dynalite and AWS's DynamoDB Local (see docs/local.md, "DynamoDB Local conformance").
 */
import { describe } from 'vitest';
import { describeEachBackend } from './backends.js';
import { feederStateContract } from './feeder-state.contract.js';
import { scheduleStoreContract } from './schedule-store.contract.js';
import { tableContract } from './table.contract.js';

describeEachBackend('storage contract', (context) => {
  describe('table definition', () => tableContract(context));
  describe('schedule store', () => scheduleStoreContract(context));
  describe('feeder state and lease', () => feederStateContract(context));
});
