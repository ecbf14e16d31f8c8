// enqueue: turns an OutboxRequest into OutboxMessage rows (split to the channel's byte limit, in order),
// each under a dedupe key, in one transaction. A re-run with the same key finds the rows and adds nothing.
import type { Db } from "../db/open.js";
import { CONTENT_MAX_BYTES, splitByBytes, truncateToBytes } from "../transport/wecom/split.js";
import type { EnqueueResult, OutboxRequest, OutboxWriter } from "./types.js";
import { isUniqueViolation } from "../db/errors.js";

interface NewRow {
  channel: string;
  target: string;
  msgType: string;
  payload: string;
  dedupeKey: string;
  nextAttemptAt: Date;
}

/** Limit for one message of this channel and type, in UTF-8 bytes. */
function maxBytesFor(request: OutboxRequest): number {
  if (request.channel === "app") return request.msgType === "markdown" ? CONTENT_MAX_BYTES.appMarkdown : CONTENT_MAX_BYTES.appText;
  if (request.channel === "webhook") return request.msgType === "markdown" ? CONTENT_MAX_BYTES.webhookMarkdown : CONTENT_MAX_BYTES.webhookText;
  return CONTENT_MAX_BYTES.aibotMarkdown;
}

/** The message bodies to send, without access token or agentid (the API client adds those). */
export function payloadsFor(request: OutboxRequest): Array<Record<string, unknown>> {
  const { channel, msgType } = request;
  if (msgType === "file") {
    if (channel !== "webhook" || !request.file) throw new TypeError("outbox: a file goes to a webhook robot and needs `file`");
    return [{ msgtype: "file", file: { name: request.file.name, base64: Buffer.from(request.file.bytes).toString("base64") } }];
  }
  const content = request.content?.trim() ?? "";
  if (content === "") throw new TypeError(`outbox: empty ${msgType} for ${channel} (dedupeKey ${request.dedupeKey})`);
  // The response_url works once, so an over-long answer there is cut rather than split.
  const chunks =
    channel === "aibot-response"
      ? [truncateToBytes(content, maxBytesFor(request))]
      : splitByBytes(content, maxBytesFor(request)).map((chunk) => chunk.trim()).filter((chunk) => chunk !== "");
  return chunks.map((chunk, index) => {
    const body: Record<string, unknown> = { content: chunk };
    if (channel === "webhook" && msgType === "text" && index === 0 && request.mentions?.length) body.mentioned_list = request.mentions;
    const payload: Record<string, unknown> = { msgtype: msgType, [msgType]: body };
    if (channel === "app") payload.touser = targetOf(request);
    return payload;
  });
}

function targetOf(request: OutboxRequest): string {
  const target = Array.isArray(request.target) ? request.target.join("|") : request.target;
  if (target === "") throw new TypeError(`outbox: no target for ${request.channel} (dedupeKey ${request.dedupeKey})`);
  return target;
}

/** `key` for a single message, `key#i/n` for the parts of a split one. */
export function dedupeKeysFor(key: string, parts: number): string[] {
  return parts === 1 ? [key] : Array.from({ length: parts }, (_, i) => `${key}#${i + 1}/${parts}`);
}

export interface OutboxOptions {
  prisma: Db;
  now?: () => Date;
  /** Called after new rows are written, e.g. to wake the dispatcher. */
  onEnqueued?: () => void;
}

export function createOutbox(options: OutboxOptions): OutboxWriter {
  const { prisma } = options;
  const now = options.now ?? (() => new Date());

  async function existing(dedupeKey: string) {
    return prisma.outboxMessage.findMany({
      where: { OR: [{ dedupeKey }, { dedupeKey: { startsWith: `${dedupeKey}#` } }] },
      select: { id: true },
      orderBy: { id: "asc" },
    });
  }

  return {
    async enqueue(request: OutboxRequest): Promise<EnqueueResult> {
      const payloads = payloadsFor(request);
      const known = await existing(request.dedupeKey);
      // Any part already there means this message was enqueued before (perhaps split differently).
      if (known.length > 0) return { ids: known.map((r) => r.id), duplicates: known.length };
      const keys = dedupeKeysFor(request.dedupeKey, payloads.length);
      const nextAttemptAt = request.notBefore ?? now();
      const rows: NewRow[] = payloads.map((payload, i) => ({
        channel: request.channel,
        target: targetOf(request),
        msgType: request.msgType,
        payload: JSON.stringify(payload),
        dedupeKey: keys[i]!,
        nextAttemptAt,
      }));
      try {
        // Sequential creates inside one transaction: ids ascend in sending order, all or none.
        const created = await prisma.$transaction(rows.map((data) => prisma.outboxMessage.create({ data, select: { id: true } })));
        options.onEnqueued?.();
        return { ids: created.map((r) => r.id), duplicates: 0 };
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // A concurrent enqueue of the same key won the unique constraint.
        const raced = await existing(request.dedupeKey);
        return { ids: raced.map((r) => r.id), duplicates: raced.length };
      }
    },
  };
}
