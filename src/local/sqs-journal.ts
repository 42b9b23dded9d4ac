/*
 * fauxqs keeps its queues in memory, dynalite keeps the table on disk. The delay queue is rebuilt
 * from the table at start-up (the recovery pass), but the output queue and the DLQs hold messages
 * the table cannot recreate: fired schedules no consumer has read yet, and dead-lettered ones.
 * fauxqs journals those queues (services.ts); a restart puts back what the journal says was
 * still on them, so a kill -9 loses none of it.
 */
import { createReadStream } from 'node:fs';
import { rename, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** One journal line: a message put on a queue, or taken off it (deleted or dead-lettered). */
interface JournalLine {
  readonly op: 'put' | 'delete';
  readonly queue: string;
  readonly id: string;
  readonly body?: string;
}

function parseLine(text: string): JournalLine | undefined {
  try {
    const line = JSON.parse(text) as Partial<JournalLine>;
    const known = line.op === 'put' || line.op === 'delete';
    return known && typeof line.queue === 'string' && typeof line.id === 'string'
      ? (line as JournalLine)
      : undefined;
  } catch {
    // A kill -9 can cut the last line short; everything before it is whole.
    return undefined;
  }
}

/** The bodies still on each queue by the journal at `path`, in the order they were put. */
export async function readSqsJournal(path: string): Promise<Map<string, string[]>> {
  const exists = await stat(path).then(
    () => true,
    () => false,
  );
  const live = new Map<string, Map<string, string>>();
  if (exists) {
    const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
    for await (const text of lines) {
      const line = parseLine(text);
      if (line === undefined) continue;
      const queue = live.get(line.queue) ?? new Map<string, string>();
      live.set(line.queue, queue);
      if (line.op === 'put') queue.set(line.id, line.body ?? '');
      else queue.delete(line.id);
    }
  }
  return new Map([...live].map(([queue, messages]) => [queue, [...messages.values()]]));
}

/**
 * Sends `bodies` back to the queue at `queueUrl`, ten per call, in order; the messages get new
 * ids, which the new journal records.
 */
export async function putBack(
  client: SQSClient,
  queueUrl: string,
  bodies: readonly string[],
): Promise<void> {
  for (let start = 0; start < bodies.length; start += 10) {
    const entries = bodies
      .slice(start, start + 10)
      .map((body, index) => ({ Id: String(index), MessageBody: body }));
    const result = await client.send(
      new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
    );
    const failed = result.Failed ?? [];
    if (failed.length > 0) {
      throw new Error(
        `Putting journaled messages back on ${queueUrl} failed: ${failed.map((f) => `${f.Code}: ${f.Message}`).join('; ')}`,
      );
    }
  }
}

/** Makes the journal of this run (written to `next` since start-up) the one a restart reads. */
export function adoptJournal(next: string, path: string): Promise<void> {
  return rename(next, path);
}
