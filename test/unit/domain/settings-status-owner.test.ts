import { describe, expect, it } from 'vitest';
import { API_KEY_OWNER, ownerOf } from '../../../src/domain/owner.js';
import {
  DEFAULT_SETTINGS,
  readSettings,
  settingsEnvironment,
} from '../../../src/domain/settings.js';
import { canTransition, isLive, statusesLeadingTo } from '../../../src/domain/status.js';

describe('readSettings', () => {
  it('uses the documented defaults when nothing is set', () => {
    expect(readSettings({})).toEqual({ ok: true, value: DEFAULT_SETTINGS });
  });

  it('reads overrides', () => {
    const result = readSettings({
      SHARD_COUNT: '3',
      BUCKET_WIDTH_SECONDS: '60',
      FAST_PATH_HORIZON_SECONDS: '5',
    });
    expect(result).toMatchObject({
      ok: true,
      value: { shardCount: 3, bucketWidthSeconds: 60, fastPathHorizonSeconds: 5 },
    });
  });

  it('writes settings back to environment variables that read back the same', () => {
    const settings = { ...DEFAULT_SETTINGS, shardCount: 12, bucketWidthSeconds: 120 };
    const env = settingsEnvironment(settings);
    expect(env).toMatchObject({ SHARD_COUNT: '12', BUCKET_WIDTH_SECONDS: '120' });
    expect(readSettings(env)).toEqual({ ok: true, value: settings });
  });

  it.each([
    [{ SHARD_COUNT: '0' }, 'SHARD_COUNT must be an integer from 1 to 1000; received "0"'],
    [{ SHARD_COUNT: 'four' }, 'SHARD_COUNT must be an integer from 1 to 1000; received "four"'],
    [
      { FAST_PATH_HORIZON_SECONDS: '901' },
      'FAST_PATH_HORIZON_SECONDS must be an integer from 0 to 900; received "901"',
    ],
    [
      { BUCKET_WIDTH_SECONDS: '90' },
      'BUCKET_WIDTH_SECONDS must be a whole number of minutes; received "90"',
    ],
    [
      { MAX_PAYLOAD_BYTES: '1.5' },
      'MAX_PAYLOAD_BYTES must be an integer from 2 to 300000; received "1.5"',
    ],
  ])('refuses %j', (env, message) => {
    expect(readSettings(env)).toEqual({
      ok: false,
      error: { type: 'ConfigurationError', message },
    });
  });
});

describe('state transitions', () => {
  it('allow the documented moves only', () => {
    expect(canTransition('PENDING', 'QUEUED')).toBe(true);
    expect(canTransition('QUEUED', 'FIRING')).toBe(true);
    expect(canTransition('FIRING', 'FIRED')).toBe(true);
    expect(canTransition('QUEUED', 'FIRED')).toBe(false);
    expect(canTransition('FIRING', 'CANCELLED')).toBe(false);
    expect(canTransition('PENDING', 'CANCELLED')).toBe(true);
    expect(canTransition('FIRED', 'CANCELLED')).toBe(false);
    expect(canTransition('CANCELLED', 'FIRED')).toBe(false);
    expect(canTransition('FIRED', 'FIRED')).toBe(false);
    expect(canTransition('QUEUED', 'PENDING')).toBe(false);
  });

  it('give the status condition of each write', () => {
    expect(statusesLeadingTo('FIRING')).toEqual(['PENDING', 'QUEUED', 'FIRING']);
    expect(statusesLeadingTo('FIRED')).toEqual(['FIRING']);
    expect(statusesLeadingTo('CANCELLED')).toEqual(['PENDING', 'QUEUED']);
    expect(statusesLeadingTo('QUEUED')).toEqual(['PENDING', 'QUEUED']);
    expect(isLive('QUEUED')).toBe(true);
    expect(isLive('FIRED')).toBe(false);
    expect(isLive('FIRING')).toBe(false);
  });
});

describe('ownerOf', () => {
  it('derives the owner from each kind of caller', () => {
    expect(ownerOf({ sub: 'abc-123' })).toBe('abc-123');
    expect(ownerOf({ accountId: '1', userArn: 'arn:aws:iam::1:role/x' })).toBe(
      'iam:arn:aws:iam::1:role/x',
    );
    expect(ownerOf(null)).toBe(API_KEY_OWNER);
  });
});
