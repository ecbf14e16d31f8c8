// The outbox dispatcher: claims due rows one at a time, sends each through the WeCom API client, records
// every attempt in OutboxAttempt, and reschedules failures with backoff. Several instances may run against
// one database (SQLite or PostgreSQL): a row is claimed by a conditional update of `lockedUntil`, which only
// one instance can win; a claim left by a crashed instance expires after `leaseMs`.
//
// Delivery is at least once only in one corner: a crash after WeCom accepted a message but before the row
// was marked sent. message/send carries WeCom's own duplicate check for that case (api-client.ts).
import type { Logger } from "pino";
import type { Db, OutboxMessage } from "../db/open.js";
import { WecomApiError, type FailureKind } from "../transport/wecom/api-errors.js";
import type { WecomApiClient } from "../transport/wecom/api-client.js";

export interface DispatchSummary {
  sent: number;
  retried: number;
  failed: number;
  /** Webhook rows postponed by the robot rate limit without an attempt. */
  deferred: number;
}

export interface OutboxDispatcherOptions {
  prisma: Db;
  client: WecomApiClient;
  log: Logger;
  now?: () => Date;
  pollIntervalMs?: number;
  /** Longer than the client's timeout plus a file upload. */
  leaseMs?: number;
  /** After this many attempts a row is marked failed (rate limits included). */
  maxAttempts?: number;
  retryDelayMs?: (attempt: number, kind: FailureKind) => number;
}

/** 5 s, 10 s, 20 s … capped at 10 min; a minute for rate limits; at least 5 min for config errors. */
export function defaultRetryDelayMs(attempt: number, kind: FailureKind): number {
  const exponential = Math.min(5_000 * 2 ** Math.max(0, attempt - 1), 10 * 60_000);
  if (kind === "rate-limited") return 60_000;
  if (kind === "config") return Math.max(exponential, 5 * 60_000);
  return exponential;
}

interface Claimed {
  row: OutboxMessage;
  lockedUntil: Date;
}

export class OutboxDispatcher {
  readonly #o: Required<Omit<OutboxDispatcherOptions, "now" | "retryDelayMs">> & Pick<OutboxDispatcherOptions, "now" | "retryDelayMs">;
  #timer: NodeJS.Timeout | undefined;
  #current: Promise<unknown> | undefined;
  #stopped = true;
  #wakeRequested = false;
  /** Set by stop(), cleared by start(): ends a pass between rows. */
  #halted = false;

  constructor(options: OutboxDispatcherOptions) {
    this.#o = { pollIntervalMs: 2_000, leaseMs: 120_000, maxAttempts: 20, ...options };
  }

  #now(): Date {
    return this.#o.now?.() ?? new Date();
  }

  /** Starts polling. Idempotent. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#halted = false;
    this.#schedule(0);
  }

  /** Stops polling and waits for the row in hand to be recorded. Safe to call twice. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#halted = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#current;
  }

  /** Runs a pass soon (after enqueue), without waiting for the poll interval. */
  wake(): void {
    if (this.#stopped) return;
    if (this.#current) {
      this.#wakeRequested = true;
      return;
    }
    clearTimeout(this.#timer);
    this.#schedule(0);
  }

  #schedule(ms: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#current = this.runOnce()
        .catch((error: unknown) => this.#o.log.error({ err: error }, "outbox pass failed"))
        .finally(() => {
          this.#current = undefined;
          const again = this.#wakeRequested;
          this.#wakeRequested = false;
          if (!this.#stopped) this.#schedule(again ? 0 : this.#o.pollIntervalMs);
        });
    }, ms);
    this.#timer.unref?.();
  }

  /** Sends every row due now, one at a time, and returns what happened. */
  async runOnce(): Promise<DispatchSummary> {
    const summary: DispatchSummary = { sent: 0, retried: 0, failed: 0, deferred: 0 };
    // Targets that failed or were deferred in this pass: their later rows wait, to keep split messages in order.
    const held = new Set<string>();
    for (;;) {
      if (this.#halted) return summary; // stop() was called: the row in hand has been recorded
      const claimed = await this.#claimNext(held);
      if (!claimed) return summary;
      const outcome = await this.#process(claimed);
      summary[outcome]++;
      if (outcome !== "sent") held.add(targetKey(claimed.row));
    }
  }

  async #claimNext(held: Set<string>): Promise<Claimed | undefined> {
    const { prisma, leaseMs } = this.#o;
    const now = this.#now();
    const free = { OR: [{ lockedUntil: null }, { lockedUntil: { lt: now } }] };
    const candidates = await prisma.outboxMessage.findMany({
      where: { status: "pending", nextAttemptAt: { lte: now }, ...free },
      orderBy: [{ nextAttemptAt: "asc" }, { id: "asc" }],
      take: 20,
    });
    for (const row of candidates) {
      if (held.has(targetKey(row))) continue;
      const lockedUntil = new Date(now.getTime() + leaseMs);
      const { count } = await prisma.outboxMessage.updateMany({ where: { id: row.id, status: "pending", ...free }, data: { lockedUntil } });
      if (count === 1) return { row, lockedUntil };
    }
    return undefined;
  }

  async #deliver(row: OutboxMessage): Promise<void> {
    const { client } = this.#o;
    const payload = JSON.parse(row.payload) as Record<string, unknown>;
    if (row.channel === "app") {
      await client.sendAppMessage(payload);
    } else if (row.channel === "webhook") {
      if (row.msgType === "file") {
        const file = payload.file as { name: string; base64: string };
        await client.sendWebhookFile(row.target, { name: file.name, bytes: Buffer.from(file.base64, "base64") });
      } else {
        await client.sendWebhook(row.target, payload);
      }
    } else if (row.channel === "aibot-response") {
      await client.postAibotResponse(row.target, payload);
    } else {
      throw new WecomApiError(row.channel, "permanent", undefined, `unknown outbox channel ${row.channel}`);
    }
  }

  async #process({ row, lockedUntil }: Claimed): Promise<"sent" | "retried" | "failed" | "deferred"> {
    const { prisma, log } = this.#o;
    const rowLog = log.child({ outboxId: row.id, channel: row.channel, dedupeKey: row.dedupeKey });

    if (row.channel === "webhook") {
      const wait = this.#o.client.webhookLimiter.delayMs(row.target);
      if (wait > 0) {
        const next = new Date(this.#now().getTime() + wait);
        await prisma.$transaction([
          prisma.outboxMessage.updateMany({ where: { id: row.id, lockedUntil }, data: { lockedUntil: null, nextAttemptAt: next } }),
          this.#holdLaterRows(row, next),
        ]);
        rowLog.debug({ waitMs: wait }, "robot rate limit: deferred");
        return "deferred";
      }
    }

    try {
      await this.#deliver(row);
    } catch (error) {
      return this.#recordFailure(row, lockedUntil, error, rowLog);
    }
    const now = this.#now();
    const [updated] = await prisma.$transaction([
      prisma.outboxMessage.updateMany({
        where: { id: row.id, lockedUntil },
        data: { status: "sent", sentAt: now, attempts: { increment: 1 }, lockedUntil: null, lastError: null },
      }),
      prisma.outboxAttempt.create({ data: { outboxId: row.id, at: now, ok: true } }),
    ]);
    if (updated.count !== 1) rowLog.warn("sent, but the claim had expired meanwhile; another instance may resend");
    rowLog.info({ attempt: row.attempts + 1 }, "outbox message sent");
    return "sent";
  }

  async #recordFailure(row: OutboxMessage, lockedUntil: Date, error: unknown, rowLog: Logger): Promise<"retried" | "failed"> {
    const { prisma, maxAttempts } = this.#o;
    const kind: FailureKind = error instanceof WecomApiError ? error.kind : "retryable";
    const errcode = error instanceof WecomApiError ? error.errcode : undefined;
    const message = error instanceof Error ? error.message : String(error);
    const attempt = row.attempts + 1;
    const giveUp = kind === "permanent" || attempt >= maxAttempts;
    const now = this.#now();
    const next = new Date(now.getTime() + (this.#o.retryDelayMs ?? defaultRetryDelayMs)(attempt, kind));
    await prisma.$transaction([
      prisma.outboxMessage.updateMany({
        where: { id: row.id, lockedUntil },
        data: { status: giveUp ? "failed" : "pending", attempts: { increment: 1 }, lastError: message.slice(0, 1000), nextAttemptAt: next, lockedUntil: null },
      }),
      prisma.outboxAttempt.create({ data: { outboxId: row.id, at: now, ok: false, errcode: errcode ?? null, error: message.slice(0, 1000) } }),
      ...(giveUp ? [] : [this.#holdLaterRows(row, next)]),
    ]);
    const fields = { attempt, kind, errcode, err: message, nextAttemptAt: giveUp ? undefined : next.toISOString() };
    if (giveUp || kind === "config") rowLog.error(fields, giveUp ? "outbox message failed for good" : "outbox message needs a configuration fix");
    else rowLog.warn(fields, "outbox message will be retried");
    return giveUp ? "failed" : "retried";
  }

  /** Later rows to the same target wait at least as long, so the parts of a split message stay in order. */
  #holdLaterRows(row: OutboxMessage, until: Date) {
    return this.#o.prisma.outboxMessage.updateMany({
      where: { channel: row.channel, target: row.target, status: "pending", id: { gt: row.id }, nextAttemptAt: { lt: until } },
      data: { nextAttemptAt: until },
    });
  }
}

function targetKey(row: Pick<OutboxMessage, "channel" | "target">): string {
  return `${row.channel}\u0000${row.target}`;
}
