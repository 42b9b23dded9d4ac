import type { FiredEventSink } from '../aws/output-queue.js';
import { deliversTo } from '../domain/schedule-options.js';
import type { DeliveryChannel } from '../generated/graphql.js';
import type { FiredEvent } from './fired-event.js';

/**
 * The dispatcher's sink for each delivery channel a schedule may ask for; these names are what
 * `deliveredTo` records.
 */
export const SINK_OF_CHANNEL: Readonly<Record<DeliveryChannel, string>> = {
  QUEUE: 'outputQueue',
  SUBSCRIPTION: 'appsync',
};

/**
 * The sinks a schedule asked for: its `deliver` channels, both when absent (items written
 * before the choice existed). A string set is accepted too, whichever way the item was written.
 */
export function sinksAskedFor(
  deliver: readonly DeliveryChannel[] | ReadonlySet<DeliveryChannel> | undefined | null,
): string[] {
  const asked = deliver === undefined || deliver === null ? undefined : Array.from(deliver);
  return (Object.keys(SINK_OF_CHANNEL) as DeliveryChannel[])
    .filter((channel) => deliversTo(asked, channel))
    .map((channel) => SINK_OF_CHANNEL[channel]);
}

/** What one delivery attempt did, channel by channel. */
export interface DeliveryOutcome {
  /** Channels that took the event in this attempt. */
  readonly delivered: readonly string[];
  /** Channels that failed, with the reason. */
  readonly failed: readonly { readonly channel: string; readonly reason: string }[];
}

/**
 * Sends the event to every sink in `asked` (default: all) not in `alreadyDelivered`, all at
 * once, and reports each channel's result; never throws. A channel that already has the event is
 * not sent it again, so a channel that succeeded is not repeated because another failed; a
 * channel the schedule did not ask for is never sent it.
 */
export async function deliver(
  event: FiredEvent,
  sinks: Readonly<Record<string, FiredEventSink>>,
  alreadyDelivered: ReadonlySet<string> = new Set(),
  asked: readonly string[] = Object.keys(sinks),
): Promise<DeliveryOutcome> {
  const names = Object.keys(sinks).filter(
    (name) => asked.includes(name) && !alreadyDelivered.has(name),
  );
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
