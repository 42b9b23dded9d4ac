/*
 * API conformance: the resolvers' DynamoDB requests through the local APPSYNC_JS runtime, and one
 * create -> feed -> fire -> cancel cycle through the engine, each against dynalite and AWS's
 * DynamoDB Local (see docs/local.md, "DynamoDB Local conformance"). SQS is fauxqs throughout.
 */
import { describe } from 'vitest';
import { describeEachBackend } from './backends.js';
import { engineCycleContract } from './engine-cycle.contract.js';
import { resolversContract } from './resolvers.contract.js';

describeEachBackend('API contract', (context) => {
  describe('resolvers through the APPSYNC_JS runtime', () => resolversContract(context));
  describe('engine: create, feed, fire, cancel', () => engineCycleContract(context));
});
