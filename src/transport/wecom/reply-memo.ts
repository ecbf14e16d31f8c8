// In-process memo of answers by (channel, externalId): concurrent redeliveries wait for the first delivery's
// answer instead of reaching the core again, and a redelivery shortly after gets the same answer back.
//
// This is a latency guard, not the idempotency guarantee: the bot core keys the Message table on
// (channel, externalId), which also covers several instances and restarts. WeCom retries within ~15 s of
// the first delivery (3 tries × 5 s), so a short memory suffices here.
import type { BotReply } from "../../bot/types.js";

export interface MemoEntry {
  answer: Promise<BotReply>;
  /** Set once the answer has been routed to the active API, so that happens once per message. */
  lateDeliveryScheduled: boolean;
}

export class ReplyMemo {
  readonly #entries = new Map<string, { entry: MemoEntry; settledAt?: number }>();

  constructor(
    private readonly ttlMs = 10 * 60_000,
    private readonly maxEntries = 2000,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * The memoized answer for `key`, or `produce()`'s. `fresh` is true only for the call that ran `produce`.
   * A failed answer is forgotten at once, so WeCom's retry gets another try.
   */
  getOrStart(key: string, produce: () => Promise<BotReply>): { entry: MemoEntry; fresh: boolean } {
    this.#evict();
    const known = this.#entries.get(key);
    if (known) return { entry: known.entry, fresh: false };
    const entry: MemoEntry = { answer: produce(), lateDeliveryScheduled: false };
    const slot: { entry: MemoEntry; settledAt?: number } = { entry };
    this.#entries.set(key, slot);
    entry.answer.then(
      () => {
        slot.settledAt = this.clock();
      },
      () => {
        if (this.#entries.get(key) === slot) this.#entries.delete(key);
      },
    );
    return { entry, fresh: true };
  }

  get size(): number {
    return this.#entries.size;
  }

  #evict(): void {
    const now = this.clock();
    for (const [key, slot] of this.#entries) {
      if (slot.settledAt !== undefined && now - slot.settledAt > this.ttlMs) this.#entries.delete(key);
    }
    // Map iterates in insertion order, so the oldest go first when a flood overfills it.
    for (const key of this.#entries.keys()) {
      if (this.#entries.size <= this.maxEntries) break;
      this.#entries.delete(key);
    }
  }
}
