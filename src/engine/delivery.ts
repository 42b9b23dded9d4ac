import type { FiredEventSink } from '../aws/output-queue.js';
import type { FiredEvent } from './fired-event.js';

/** What one delivery attempt did, channel by channel. */
export interface DeliveryOutcome {
  /** Channels that took the event in this attempt. */
  readonly delivered: readonly string[];
  /** Channels that failed, with the reason. */
  readonly failed: readonly { readonly channel: string; readonly reason: string }[];
}

/**
 * Sends the event to every sink not in `alreadyDelivered`, all at once, and reports each
 * channel's result; never throws. A channel that already has the event is not sent it again,
 * so a channel that succeeded is not repeated because another failed.
 */
export async function deliver(
  event: FiredEvent,
  sinks: Readonly<Record<string, FiredEventSink>>,
  alreadyDelivered: ReadonlySet<string> = new Set(),
): Promise<DeliveryOutcome> {
  const names = Object.keys(sinks).filter((name) => !alreadyDelivered.has(name));
  const results = await Promise.allSettled(
    names.map(async (name) => {
      await sinks[name]?.send(event);
    }),
  );
  const delivered: string[] = [];
  const failed: { channel: string; reason: string }[] = [];
  results.forEach((result, index) => {
    const channel = names[index] ?? '?';
    if (result.status === 'fulfilled') {
      delivered.push(channel);
    } else {
      const reason = result.reason instanceof Error ? result.reason.message : String(result.reason);
      failed.push({ channel, reason });
    }
  });
  return { delivered, failed };
}
