import { describe, expect, it } from 'vitest';
import { TurnBatcher } from '../../../src/aws/turn-batcher.js';

/** A batcher over strings whose sender records each batch and refuses the items named "bad". */
function recordingBatcher(maxItems: number, maxSize: number) {
  const batches: string[][] = [];
  const batcher = new TurnBatcher<string>(
    { maxItems, maxSize, sizeOf: (item) => item.length },
    (batch) => {
      batches.push([...batch]);
      return Promise.resolve(
        batch.map((item) => (item === 'bad' ? new Error('refused') : undefined)),
      );
    },
  );
  return { batcher, batches };
}

describe('TurnBatcher: items submitted in one event-loop turn share batch calls', () => {
  it('splits a turn by item count and by summed size, and an oversized item goes alone', async () => {
    // Prepare
    const { batcher, batches } = recordingBatcher(3, 10);
    const items = ['aa', 'bb', 'cc', 'dd', 'eeeeeeeeeeee', 'ffffff', 'gggggg'];

    // Act
    await Promise.all(items.map((item) => batcher.submit(item)));

    // Assess
    expect(batches).toEqual([['aa', 'bb', 'cc'], ['dd'], ['eeeeeeeeeeee'], ['ffffff'], ['gggggg']]);
  });

  it('rejects only the refused item, and a later turn starts a new batch', async () => {
    // Prepare
    const { batcher, batches } = recordingBatcher(10, 1000);

    // Act
    const first = await Promise.allSettled(
      ['ok', 'bad', 'ok2'].map((item) => batcher.submit(item)),
    );
    await batcher.submit('later');

    // Assess
    expect(first.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(String((first[1] as PromiseRejectedResult).reason)).toContain('refused');
    expect(batches).toEqual([['ok', 'bad', 'ok2'], ['later']]);
  });

  it('rejects every item of a batch whose call threw', async () => {
    // Prepare
    const batcher = new TurnBatcher<string>(
      { maxItems: 10, maxSize: 100, sizeOf: (item) => item.length },
      () => Promise.reject(new Error('connection reset')),
    );

    // Act
    const outcomes = await Promise.allSettled(['a', 'b'].map((item) => batcher.submit(item)));

    // Assess
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
    expect(String((outcomes[0] as PromiseRejectedResult).reason)).toContain('connection reset');
  });
});
