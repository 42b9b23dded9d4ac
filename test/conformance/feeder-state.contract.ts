/* The feeder's watermark and lease (src/aws/feeder-state-store.ts): conditional writes' outcomes. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FeederStateStore } from '../../src/aws/feeder-state-store.js';
import type { BackendContext } from './backends.js';
import { createTestTable, type TestTable } from './tables.js';

const T0 = Date.parse('2027-03-20T09:45:00.000Z');

/** Contract: readWatermark, advanceWatermark, acquireLease and releaseLease. */
export function feederStateContract(context: () => BackendContext): void {
  let table: TestTable;
  let state: FeederStateStore;
  beforeAll(async () => {
    table = await createTestTable(context().dynamo);
    state = new FeederStateStore(table.client, table.tableName);
  });
  afterAll(async () => {
    await table.drop();
  });

  it('the watermark starts unset, moves forward and never back', async () => {
    // Act
    const initial = await state.readWatermark(0);
    await state.advanceWatermark(0, T0 + 300_000, T0);
    await state.advanceWatermark(0, T0, T0 + 1_000);
    const afterBack = await state.readWatermark(0);
    await state.advanceWatermark(0, T0 + 600_000, T0 + 2_000);

    // Assess
    expect(initial).toBeNull();
    expect(afterBack).toBe(T0 + 300_000);
    expect(await state.readWatermark(0)).toBe(T0 + 600_000);
    expect(await state.readWatermark(1)).toBeNull();
  });

  it('one of two concurrent runs takes a free lease; the other waits until it expires', async () => {
    // Act
    const [a, b] = await Promise.all([
      state.acquireLease(1, 'run-a', T0, T0 + 60_000),
      state.acquireLease(1, 'run-b', T0, T0 + 60_000),
    ]);
    const whileHeld = await state.acquireLease(1, 'run-c', T0 + 59_000, T0 + 120_000);
    const afterExpiry = await state.acquireLease(1, 'run-c', T0 + 60_001, T0 + 120_000);

    // Assess
    expect([a, b].filter(Boolean)).toHaveLength(1);
    expect(whileHeld).toBe(false);
    expect(afterExpiry).toBe(true);
  });

  it('the holder may take its own lease again (a retried put whose answer was lost)', async () => {
    // Prepare
    expect(await state.acquireLease(2, 'run-d', T0, T0 + 60_000)).toBe(true);

    // Act
    const retried = await state.acquireLease(2, 'run-d', T0 + 1_000, T0 + 60_000);

    // Assess
    expect(retried).toBe(true);
  });

  it('only the holder releases the lease; afterwards the next run takes it at once', async () => {
    // Prepare
    expect(await state.acquireLease(3, 'run-e', T0, T0 + 60_000)).toBe(true);

    // Act
    await state.releaseLease(3, 'run-f');
    const afterForeignRelease = await state.acquireLease(3, 'run-g', T0 + 1_000, T0 + 61_000);
    await state.releaseLease(3, 'run-e');
    const afterRelease = await state.acquireLease(3, 'run-g', T0 + 1_000, T0 + 61_000);
    await state.releaseLease(4, 'nobody');

    // Assess
    expect(afterForeignRelease).toBe(false);
    expect(afterRelease).toBe(true);
  });
}
