import { describe, expect, it } from 'vitest';
import {
  createCloudDispatcherHandler,
  createCloudFeederHandler,
  createCloudTriggerHandler,
} from '../../../src/engine/cloud.js';

const BASE = {
  TABLE_NAME: 'schedules',
  DELAY_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/delay',
  OUTPUT_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/output',
  APPSYNC_GRAPHQL_URL: 'https://abc.appsync-api.us-east-1.amazonaws.com/graphql',
  FEEDER_FUNCTION_NAME: 'feeder',
  AWS_REGION: 'us-east-1',
};

describe('cloud handlers', () => {
  it('build from a complete environment', () => {
    expect(typeof createCloudFeederHandler(BASE)).toBe('function');
    expect(typeof createCloudDispatcherHandler(BASE)).toBe('function');
    expect(typeof createCloudTriggerHandler(BASE)).toBe('function');
  });

  it('fail at start-up naming a missing resource variable', () => {
    expect(() => createCloudDispatcherHandler({ ...BASE, APPSYNC_GRAPHQL_URL: '' })).toThrow(
      /^APPSYNC_GRAPHQL_URL must be set/,
    );
    expect(() => createCloudTriggerHandler({ ...BASE, FEEDER_FUNCTION_NAME: undefined })).toThrow(
      /^FEEDER_FUNCTION_NAME must be set/,
    );
  });

  it('fail at start-up naming a bad tunable and the value received', () => {
    expect(() => createCloudFeederHandler({ ...BASE, LOOKAHEAD_SECONDS: 'soon' })).toThrow(
      'LOOKAHEAD_SECONDS must be an integer from 60 to 900; received "soon"',
    );
  });

  it('refuse a feeder event without a valid shard', async () => {
    const handler = createCloudFeederHandler({ ...BASE, SHARD_COUNT: '2' });
    await expect(handler({ shard: 2 })).rejects.toThrow(/integer from 0 to 1.*received/);
  });
});
