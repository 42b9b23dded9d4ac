/** Sends one batch; answers, per item in order, undefined for accepted or the reason it was not. */
export type BatchSender<Item> = (batch: readonly Item[]) => Promise<readonly (Error | undefined)[]>;

/** Limits of one batch. */
export interface BatchLimits<Item> {
  /** Items per batch. */
  readonly maxItems: number;
  /** Summed size per batch; an item larger than this still goes, alone. */
  readonly maxSize: number;
  readonly sizeOf: (item: Item) => number;
}

interface Pending<Item> {
  readonly item: Item;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

/**
 * Gathers the items submitted in one event-loop turn (a backlogged batch of claims all
 * delivering at once) into as few batch calls as the limits allow. Each submitter still learns
 * whether its own item was accepted.
 */
export class TurnBatcher<Item> {
  #pending: Pending<Item>[] = [];

  constructor(
    private readonly limits: BatchLimits<Item>,
    private readonly sendBatch: BatchSender<Item>,
  ) {}

  /** Resolves once the batch holding `item` accepted it; rejects with the reason it did not. */
  submit(item: Item): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (this.#pending.length === 0) setImmediate(() => this.#flush());
      this.#pending.push({ item, resolve, reject });
    });
  }

  #flush(): void {
    const pending = this.#pending;
    this.#pending = [];
    let batch: Pending<Item>[] = [];
    let size = 0;
    for (const entry of pending) {
      const itemSize = this.limits.sizeOf(entry.item);
      if (
        batch.length > 0 &&
        (batch.length === this.limits.maxItems || size + itemSize > this.limits.maxSize)
      ) {
        void this.#send(batch);
        batch = [];
        size = 0;
      }
      batch.push(entry);
      size += itemSize;
    }
    if (batch.length > 0) void this.#send(batch);
  }

  async #send(batch: readonly Pending<Item>[]): Promise<void> {
    let outcomes: readonly (Error | undefined)[];
    try {
      outcomes = await this.sendBatch(batch.map((entry) => entry.item));
    } catch (error) {
      const reason = error instanceof Error ? error : new Error(String(error));
      outcomes = batch.map(() => reason);
    }
    batch.forEach((entry, index) => {
      const outcome = index < outcomes.length ? outcomes[index] : new Error('no result');
      if (outcome === undefined) entry.resolve();
      else entry.reject(outcome);
    });
  }
}
