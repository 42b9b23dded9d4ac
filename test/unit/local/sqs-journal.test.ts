import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readSqsJournal } from '../../../src/local/sqs-journal.js';

describe('readSqsJournal', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const journal = async (lines: string[]) => {
    dir = await mkdtemp(join(tmpdir(), 'sqs-journal-'));
    const path = join(dir, 'journal.ndjson');
    await writeFile(path, lines.join('\n'));
    return path;
  };

  it('keeps what was put and not deleted, per queue, in the order it was put', async () => {
    // Prepare
    const path = await journal([
      '{"op":"put","queue":"out","id":"1","body":"a"}',
      '{"op":"put","queue":"out","id":"2","body":"b"}',
      '{"op":"put","queue":"dlq","id":"9","body":"z"}',
      '{"op":"delete","queue":"out","id":"1"}',
      '{"op":"put","queue":"out","id":"3","body":"c"}',
    ]);
    // Act
    const live = await readSqsJournal(path);
    // Assess
    expect(Object.fromEntries(live)).toEqual({ out: ['b', 'c'], dlq: ['z'] });
  });

  it('ignores a last line cut short by a kill and lines it does not know', async () => {
    // Prepare
    const path = await journal([
      '{"op":"put","queue":"out","id":"1","body":"a"}',
      '{"op":"purge","queue":"out","id":"1"}',
      '{"op":"put","queue":"out","id":"2","bo',
    ]);
    // Act
    const live = await readSqsJournal(path);
    // Assess
    expect(Object.fromEntries(live)).toEqual({ out: ['a'] });
  });

  it('reads a missing journal as empty queues', async () => {
    // Act
    const live = await readSqsJournal(join(tmpdir(), 'no-such-journal.ndjson'));
    // Assess
    expect(live.size).toBe(0);
  });
});
