import { describe, expect, it } from 'vitest';
import { makeScheduleId, parseScheduleId, shardForUlid } from '../../../src/domain/ids.js';
import {
  bucketPartitionKey,
  bucketStartMs,
  clientTokenKey,
  scheduleKey,
} from '../../../src/domain/keys.js';
import { randomUlid } from '../../helpers/ulid.js';

const FIVE_MINUTES = 300;

describe('time buckets', () => {
  it('puts an instant exactly on a boundary into the bucket that starts there', () => {
    const boundary = Date.UTC(2027, 2, 20, 9, 45);
    expect(bucketStartMs(boundary, FIVE_MINUTES)).toBe(boundary);
    expect(bucketPartitionKey(bucketStartMs(boundary, FIVE_MINUTES), 3)).toBe(
      'j#2027-03-20T09:45#3',
    );
  });

  it('puts the millisecond before a boundary into the previous bucket', () => {
    const boundary = Date.UTC(2027, 2, 20, 9, 45);
    expect(bucketStartMs(boundary - 1, FIVE_MINUTES)).toBe(boundary - 300_000);
    expect(bucketPartitionKey(bucketStartMs(boundary - 1, FIVE_MINUTES), 0)).toBe(
      'j#2027-03-20T09:40#0',
    );
  });

  it('rolls over months and years', () => {
    const lastMs2026 = Date.UTC(2027, 0, 1) - 1;
    expect(bucketPartitionKey(bucketStartMs(lastMs2026, FIVE_MINUTES), 1)).toBe(
      'j#2026-12-31T23:55#1',
    );
    expect(bucketPartitionKey(bucketStartMs(lastMs2026 + 1, FIVE_MINUTES), 1)).toBe(
      'j#2027-01-01T00:00#1',
    );
    const endOfFebLeap = Date.UTC(2028, 2, 1) - 1;
    expect(bucketPartitionKey(bucketStartMs(endOfFebLeap, 3600), 2)).toBe('j#2028-02-29T23:00#2');
  });

  it('honours other widths', () => {
    const t = Date.UTC(2027, 5, 1, 10, 7, 30);
    expect(bucketPartitionKey(bucketStartMs(t, 60), 0)).toBe('j#2027-06-01T10:07#0');
    expect(bucketPartitionKey(bucketStartMs(t, 900), 0)).toBe('j#2027-06-01T10:00#0');
  });
});

describe('schedule ids', () => {
  it('round-trip to the key of their bucket and due time', () => {
    const dueAtMs = Date.UTC(2027, 2, 20, 9, 46, 47, 123);
    const id = makeScheduleId(dueAtMs, randomUlid(), 4);
    const parsed = parseScheduleId(id);
    expect(parsed?.dueAtMs).toBe(dueAtMs);
    expect(scheduleKey(id, FIVE_MINUTES)).toEqual({
      pk: `j#2027-03-20T09:45#${parsed?.shard}`,
      sk: `2027-03-20T09:46:47.123Z#${id}`,
    });
  });

  it('keep their shard when the shard count changes later', () => {
    const id = makeScheduleId(Date.UTC(2030, 0, 1), randomUlid(), 16);
    const shard = parseScheduleId(id)?.shard;
    expect(scheduleKey(id, FIVE_MINUTES)?.pk.endsWith(`#${shard}`)).toBe(true);
  });

  it.each([
    '',
    'abc',
    '1805535107123-2',
    '1805535107123-2-01JD3Q9W7K8M2N4P6R8T0V2X4',
    '1805535107123-2-01JD3Q9W7K8M2N4P6R8T0V2X4ZZ',
    '01805535107123-2-01JD3Q9W7K8M2N4P6R8T0V2X4Z',
    '1805535107123--2-01JD3Q9W7K8M2N4P6R8T0V2X4Z',
    '1805535107123-2-01JD3Q9W7K8M2N4P6R8T0V2X4U',
    '1.5-2-01JD3Q9W7K8M2N4P6R8T0V2X4Z',
    '-1-2-01JD3Q9W7K8M2N4P6R8T0V2X4Z',
  ])('refuses the malformed id %j', (id) => {
    expect(parseScheduleId(id)).toBeNull();
    expect(scheduleKey(id, FIVE_MINUTES)).toBeNull();
  });

  it('spread evenly over shards (chi-square, 7 degrees of freedom)', () => {
    // Prepare
    const shards = 8;
    const samples = 40_000;
    const counts = new Array<number>(shards).fill(0);
    // Act
    for (let i = 0; i < samples; i++) {
      const shard = shardForUlid(randomUlid(), shards);
      counts[shard] = (counts[shard] ?? 0) + 1;
    }
    // Assess: 24.32 is the 0.999 quantile of chi-square with 7 degrees of freedom.
    const expected = samples / shards;
    const chiSquare = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(24.32);
  });
});

describe('client token keys', () => {
  it('are scoped by owner', () => {
    expect(clientTokenKey('alice', 'order-1')).not.toEqual(clientTokenKey('bob', 'order-1'));
    expect(clientTokenKey('alice', 'order-1')).toEqual({ pk: 't#alice#order-1', sk: 't' });
  });
});
