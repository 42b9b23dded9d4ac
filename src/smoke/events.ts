import type { ScheduleFiredEvent, Subscription } from '../client/index.js';

/** A fired event and when this process received it. */
export interface ReceivedEvent {
  readonly event: ScheduleFiredEvent;
  readonly receivedAtMs: number;
}

/** Collects every event a live subscription yields, by schedule id, until it ends. */
export class EventCollector {
  private readonly byId = new Map<string, ReceivedEvent[]>();
  /** Why the subscription ended early; undefined while it is live or after a clean close. */
  endedWith: unknown = undefined;
  private ended = false;

  constructor(
    private readonly subscription: Subscription<ScheduleFiredEvent>,
    private readonly clock: () => number = Date.now,
  ) {
    void this.consume();
  }

  private async consume(): Promise<void> {
    try {
      for await (const event of this.subscription) {
        const list = this.byId.get(event.id) ?? [];
        list.push({ event, receivedAtMs: this.clock() });
        this.byId.set(event.id, list);
      }
    } catch (error) {
      this.endedWith = error;
    } finally {
      this.ended = true;
    }
  }

  /** Every event received for `id`, in arrival order. */
  eventsOf(id: string): readonly ReceivedEvent[] {
    return this.byId.get(id) ?? [];
  }

  /** Resolves when `done()` holds, the deadline passes or the subscription ends. */
  async waitUntil(done: () => boolean, deadlineMs: number): Promise<void> {
    while (!done() && !this.ended && this.clock() < deadlineMs) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  close(): void {
    this.subscription.close();
  }
}
