// Koa routes for the two WeCom callback URLs:
//   GET/POST /wecom/app  self-built app (自建应用), XML, receive id = corpid, 1:1 messages
//   GET/POST /wecom/bot  智能机器人 (aibot), JSON, receive id = "", group @-mentions and 1:1
// Mount this router before any body parser: it reads the raw body itself.
//
// Every request ends in exactly one log line. WeCom waits 5 s and then redelivers, so the core gets
// `replyDeadlineMs`; an answer that takes longer is acknowledged with an empty 200 and sent later through
// the outbox (message/send for the app, the message's response_url for the aibot).
import { performance } from "node:perf_hooks";
import { Router, type RouterContext } from "@koa/router";
import type { Logger } from "pino";
import type { BotCore, BotReply } from "../../bot/types.js";
import type { Config } from "../../config/load.js";
import type { BackgroundWork } from "../../http/in-flight.js";
import type { OutboxRequest, OutboxWriter } from "../../outbox/types.js";
import {
  CallbackRejected,
  PASSIVE_REPLY_MAX_BYTES,
  channelSecrets,
  openCallback,
  sealReply,
  type OpenedCallback,
  type WecomChannel,
} from "./callback.js";
import { BodyTooLargeError, parseQueryKeepingPlus, readRawBody } from "./raw-body.js";
import { ReplyMemo, type MemoEntry } from "./reply-memo.js";

export interface WecomRouterDeps {
  config: Config;
  core: BotCore;
  log: Logger;
  /** Where late or over-long answers go. Without it they are logged and dropped. */
  outbox?: OutboxWriter;
  /** Counts a late answer (the core's work and its hand-over to the outbox) so shutdown waits for it: WeCom
   * got its 200 and will not redeliver. Without it nothing waits (tests that mount the router alone). */
  inFlight?: BackgroundWork;
  /** Clock for the timestamp window and reply timestamps (tests pin it). */
  now?: () => Date;
  /** How long the core may take before the callback is acknowledged empty; below WeCom's 5 s. */
  replyDeadlineMs?: number;
  /** Larger bodies get 413. Real callbacks are well under 4 KiB. */
  maxBodyBytes?: number;
  /** Router prefix; default "/wecom". */
  prefix?: string;
}

export const DEFAULT_REPLY_DEADLINE_MS = 3500;
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

type MessageCallback = Extract<OpenedCallback, { kind: "app-message" | "bot-message" }>;

/** Fields of the one log line a request produces. */
interface RequestOutcome {
  status: number;
  outcome: string;
  externalId?: string;
  reason?: string;
  error?: unknown;
}

function answerWithin(answer: Promise<BotReply>, ms: number): Promise<BotReply | "late"> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), ms);
  });
  return Promise.race([answer, late]).finally(() => clearTimeout(timer));
}

/** The outbox request that carries an answer by the active API instead of the passive reply. */
export function activeReplyRequest(opened: MessageCallback, reply: BotReply): OutboxRequest | undefined {
  const { inbound } = opened;
  const dedupeKey = `reply:${inbound.channel}:${inbound.externalId}`;
  if (opened.kind === "app-message") {
    return { channel: "app", target: [inbound.senderId], msgType: "text", content: reply.text, dedupeKey };
  }
  const responseUrl = opened.source.response_url;
  if (!responseUrl) return undefined;
  return { channel: "aibot-response", target: responseUrl, msgType: "markdown", content: reply.text, dedupeKey };
}

export function wecomRouter(deps: WecomRouterDeps): Router {
  const now = deps.now ?? (() => new Date());
  const deadlineMs = deps.replyDeadlineMs ?? DEFAULT_REPLY_DEADLINE_MS;
  const maxBodyBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const memo = new ReplyMemo();
  const router = new Router({ prefix: deps.prefix ?? "/wecom" });

  async function sendActively(opened: MessageCallback, reply: BotReply, log: Logger, why: string): Promise<void> {
    const request = activeReplyRequest(opened, reply);
    if (!deps.outbox || !request) {
      log.warn({ externalId: opened.inbound.externalId, why }, "answer could not be sent: no outbox or no response_url");
      return;
    }
    await deps.outbox.enqueue(request);
  }

  function deliverLate(entry: MemoEntry, opened: MessageCallback, log: Logger): void {
    if (entry.lateDeliveryScheduled) return;
    entry.lateDeliveryScheduled = true;
    const late = entry.answer
      .then((reply) => (reply.text ? sendActively(opened, reply, log, "late") : undefined))
      .catch((error: unknown) => log.error({ err: error, externalId: opened.inbound.externalId }, "late answer failed"));
    // Tracked before this request ends, so the count never drops to zero in between.
    deps.inFlight?.track(late);
  }

  async function answerMessage(ctx: RouterContext, channel: WecomChannel, opened: MessageCallback, log: Logger): Promise<RequestOutcome> {
    const secrets = channelSecrets(deps.config, channel)!;
    const { inbound } = opened;
    const { entry, fresh } = memo.getOrStart(`${inbound.channel}:${inbound.externalId}`, () => deps.core.handle(inbound));
    const answered = await answerWithin(entry.answer, deadlineMs);
    const base = { externalId: inbound.externalId, outcome: fresh ? "answered" : "answered-redelivery" };
    if (answered === "late") {
      deliverLate(entry, opened, log);
      ctx.status = 200;
      ctx.body = "";
      return { ...base, status: 200, outcome: "acknowledged-late" };
    }
    ctx.status = 200;
    if (!answered.text) {
      ctx.body = "";
      return { ...base, status: 200, outcome: fresh ? "no-reply" : "no-reply-redelivery" };
    }
    if (Buffer.byteLength(answered.text, "utf8") > PASSIVE_REPLY_MAX_BYTES[channel] && deps.outbox) {
      // WeCom truncates an over-long passive reply; the outbox splits it instead. Once per message.
      if (!entry.lateDeliveryScheduled) {
        entry.lateDeliveryScheduled = true;
        await sendActively(opened, answered, log, "too long for a passive reply");
      }
      ctx.body = "";
      return { ...base, status: 200, outcome: "sent-actively" };
    }
    const sealed = sealReply(secrets, opened, answered.text, { now: now() });
    ctx.type = sealed.contentType;
    ctx.body = sealed.body;
    return { ...base, status: 200 };
  }

  async function handle(ctx: RouterContext, channel: WecomChannel): Promise<void> {
    const started = performance.now();
    const method = ctx.method === "POST" ? "POST" : "GET"; // HEAD, which the router maps to GET, is treated as GET
    const query = parseQueryKeepingPlus(ctx.querystring);
    const log = deps.log.child({ channel: `wecom-${channel}`, nonce: query.nonce });
    let result: RequestOutcome;
    try {
      const secrets = channelSecrets(deps.config, channel);
      if (!secrets) {
        ctx.status = 404;
        ctx.body = "";
        result = { status: 404, outcome: "channel-disabled", reason: `WECOM_${channel.toUpperCase()}_* settings are not set` };
      } else {
        const body = method === "POST" ? await readRawBody(ctx.req, maxBodyBytes) : "";
        const opened = openCallback(secrets, { method, query, body }, { now: now(), timestampWindowSeconds: deps.config.env.WECOM_TIMESTAMP_WINDOW_SECONDS });
        if (opened.kind === "url-verification") {
          // The bare plaintext: no quotes, no newline, no JSON (doc path/96466).
          ctx.status = 200;
          ctx.type = "text/plain";
          ctx.body = opened.echo;
          result = { status: 200, outcome: "url-verified" };
        } else if (opened.kind === "ignored") {
          ctx.status = 200;
          ctx.body = "";
          result = { status: 200, outcome: "ignored", reason: opened.what, externalId: opened.externalId };
        } else {
          result = await answerMessage(ctx, channel, opened, log);
        }
      }
    } catch (error) {
      ctx.body = "";
      if (error instanceof CallbackRejected) {
        ctx.status = error.status;
        result = { status: error.status, outcome: "rejected", reason: error.message };
      } else if (error instanceof BodyTooLargeError) {
        ctx.status = 413;
        result = { status: 413, outcome: "rejected", reason: error.message };
      } else {
        // Not acknowledged, so WeCom redelivers; the memo has already forgotten the failed answer.
        ctx.status = 500;
        result = { status: 500, outcome: "failed", error };
      }
    }
    const line = { method, status: result.status, outcome: result.outcome, externalId: result.externalId, reason: result.reason, ms: Math.round(performance.now() - started) };
    if (result.status >= 500) log.error({ ...line, err: result.error }, "wecom callback failed");
    else if (result.status >= 400) log.warn(line, "wecom callback refused");
    else log.info(line, "wecom callback");
  }

  for (const channel of ["app", "bot"] as const) {
    router.get(`/${channel}`, (ctx) => handle(ctx, channel));
    router.post(`/${channel}`, (ctx) => handle(ctx, channel));
  }
  return router;
}
