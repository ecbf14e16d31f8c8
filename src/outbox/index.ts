// The outbox as the server and the scheduler use it: enqueue anywhere, one dispatcher per process.
import type { Logger } from "pino";
import type { Db } from "../db/open.js";
import type { WecomApiClient } from "../transport/wecom/api-client.js";
import { OutboxDispatcher, type OutboxDispatcherOptions } from "./dispatcher.js";
import { createOutbox } from "./outbox.js";
import type { OutboxWriter } from "./types.js";

export { OutboxDispatcher, defaultRetryDelayMs, type DispatchSummary } from "./dispatcher.js";
export { createOutbox, dedupeKeysFor, payloadsFor } from "./outbox.js";
export type { EnqueueResult, OutboxChannel, OutboxMessageType, OutboxRequest, OutboxWriter } from "./types.js";

export interface OutboxService extends OutboxWriter {
  dispatcher: OutboxDispatcher;
  /** Starts delivering (call once the server is up). */
  start(): void;
  /** Stops delivering and waits for the message in hand; for graceful shutdown. */
  stop(): Promise<void>;
}

/** An outbox whose enqueue wakes its dispatcher, so answers go out at once rather than at the next poll. */
export function createOutboxService(options: { prisma: Db; client: WecomApiClient; log: Logger } & Partial<OutboxDispatcherOptions>): OutboxService {
  const dispatcher = new OutboxDispatcher(options);
  const writer = createOutbox({ prisma: options.prisma, now: options.now, onEnqueued: () => dispatcher.wake() });
  return {
    dispatcher,
    enqueue: (request) => writer.enqueue(request),
    start: () => dispatcher.start(),
    stop: () => dispatcher.stop(),
  };
}
