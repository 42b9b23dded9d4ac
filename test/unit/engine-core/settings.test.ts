import { describe, expect, it } from 'vitest';
import { EngineConfigurationError } from '../../../src/engine/errors.js';
import {
  ENGINE_SETTING_SPECS,
  readEngineResources,
  readEngineSettings,
} from '../../../src/engine/settings.js';

describe('readEngineSettings', () => {
  it('uses the documented defaults when nothing is set', () => {
    expect(readEngineSettings({})).toMatchObject({
      shardCount: 4,
      bucketWidthSeconds: 300,
      lookaheadSeconds: 180,
      strandedGraceSeconds: 60,
      sendConcurrency: 8,
      sendBatchSize: 10,
      queryPageSize: 1000,
      maxHoldMs: 2000,
      feederMaxRunSeconds: 50,
      feederStopMarginMs: 5000,
      initialLookbackSeconds: 86_400,
    });
  });

  it('reads overrides from their variables', () => {
    const settings = readEngineSettings({ LOOKAHEAD_SECONDS: '300', SHARD_COUNT: '8' });
    expect(settings.lookaheadSeconds).toBe(300);
    expect(settings.shardCount).toBe(8);
  });

  it.each(ENGINE_SETTING_SPECS.map((spec) => [spec.env, String(spec.max + 1)]))(
    'refuses %s=%s, naming the variable, the range and the value',
    (name, value) => {
      expect(() => readEngineSettings({ [name]: value })).toThrow(
        new RegExp(`^${name} must be an integer from .* received "${value}"`),
      );
    },
  );

  it('refuses a shared setting through the shared rules', () => {
    expect(() => readEngineSettings({ BUCKET_WIDTH_SECONDS: '90' })).toThrow(
      EngineConfigurationError,
    );
  });

  it('refuses a grace no longer than the hold, which would re-send held messages', () => {
    expect(() => readEngineSettings({ STRANDED_GRACE_SECONDS: '2', MAX_HOLD_MS: '2000' })).toThrow(
      /STRANDED_GRACE_SECONDS must exceed MAX_HOLD_MS/,
    );
  });
});

describe('readEngineResources', () => {
  it('returns the named resources', () => {
    const env = { TABLE_NAME: 't', DELAY_QUEUE_URL: 'http://q' };
    expect(readEngineResources(env, ['tableName', 'delayQueueUrl'])).toEqual({
      tableName: 't',
      delayQueueUrl: 'http://q',
    });
  });

  it('names a missing variable', () => {
    expect(() => readEngineResources({ TABLE_NAME: ' ' }, ['tableName'])).toThrow(
      /TABLE_NAME must be set/,
    );
  });
});
