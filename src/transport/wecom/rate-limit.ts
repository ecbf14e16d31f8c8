// Sliding-window rate limit per key, e.g. a group robot's 20 messages per minute (doc path/99110).
// In-process only: the outbox asks it before sending and defers rather than drops; another instance
// exceeding the shared limit shows up as 45009, which the outbox also defers.

export class SlidingWindowLimiter {
  readonly #sent = new Map<string, number[]>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  #recent(key: string): number[] {
    const now = this.now();
    const recent = (this.#sent.get(key) ?? []).filter((t) => now - t < this.windowMs);
    this.#sent.set(key, recent);
    return recent;
  }

  /** Milliseconds until `key` may send again; 0 when it may send now. */
  delayMs(key: string): number {
    const recent = this.#recent(key);
    if (recent.length < this.limit) return 0;
    return Math.max(1, recent[recent.length - this.limit]! + this.windowMs - this.now());
  }

  record(key: string): void {
    this.#recent(key).push(this.now());
  }

  /** Waits for a slot and takes it: a queue, never a drop. */
  async acquire(key: string, sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))): Promise<void> {
    for (let delay = this.delayMs(key); delay > 0; delay = this.delayMs(key)) await sleep(delay);
    this.record(key);
  }
}
