import type { FiredEventSink } from '../aws/output-queue.js';
import { DeliveryError } from './errors.js';
import type { FiredEvent } from './fired-event.js';

/**
 * Sends the event to every sink at once and waits for all of them; throws a
 * {@link DeliveryError} naming each failed sink, so the message is redelivered as a whole.
 */
export async function deliver(
  event: FiredEvent,
  sinks: Readonly<Record<string, FiredEventSink>>,
): Promise<void> {
  const names = Object.keys(sinks);
  const results = await Promise.allSettled(names.map((name) => sinks[name]?.send(event)));
  const failures: string[] = [];
  results.forEach((result, index) => {
    if (result.status === 'rejected') {
      const reason = result.reason instanceof Error ? result.reason.message : String(result.reason);
      failures.push(`${names[index] ?? '?'}: ${reason}`);
    }
  });
  if (failures.length > 0) {
    throw new DeliveryError(`Delivering ${event.id} failed (${failures.join('; ')})`, {
      cause: results.find((r) => r.status === 'rejected'),
    });
  }
}
