// Local try-out without WeCom: POST /try {"as": "zhangsan", "text": "今日到馆35人"} runs the same bot core a
// WeCom message reaches and answers with its reply. Mounted only when no WeCom channel is configured and the
// server listens on loopback, so it can never become a way around WeCom's signatures.
import Router from "@koa/router";
import type { BotCore } from "../bot/types.js";
import { readRawBody } from "../transport/wecom/raw-body.js";

const MAX_BODY_BYTES = 16 * 1024;

interface TryRequest {
  as: string;
  text: string;
  msgid?: string;
  chat?: string;
  now?: string;
}

function parseTryRequest(raw: string): TryRequest | string {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return "请求体须为 JSON，例如 {\"as\": \"zhangsan\", \"text\": \"今日到馆35人\"}";
  }
  const { as, text, msgid, chat, now } = (body ?? {}) as Record<string, unknown>;
  if (typeof as !== "string" || !as || typeof text !== "string" || !text) return "需要 as（发送人 userid）和 text（消息内容）";
  if (now !== undefined && (typeof now !== "string" || Number.isNaN(Date.parse(now)))) return "now 须为 ISO-8601 时间";
  return {
    as,
    text,
    msgid: typeof msgid === "string" ? msgid : undefined,
    chat: typeof chat === "string" ? chat : undefined,
    now: typeof now === "string" ? now : undefined,
  };
}

export function tryOutRouter(core: BotCore): Router {
  const router = new Router();
  let sequence = 0;
  router.post("/try", async function tryOut(ctx) {
    const parsed = parseTryRequest(await readRawBody(ctx.req, MAX_BODY_BYTES));
    if (typeof parsed === "string") {
      ctx.status = 400;
      ctx.body = { error: parsed };
      return;
    }
    const reply = await core.handle({
      channel: "cli",
      externalId: parsed.msgid ?? `try-${Date.now()}-${sequence++}`,
      senderId: parsed.as,
      chatId: parsed.chat,
      chatType: parsed.chat ? "group" : "single",
      text: parsed.text,
      sentAt: parsed.now ? new Date(parsed.now) : new Date(),
    });
    ctx.body = reply;
  });
  return router;
}

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || host.startsWith("127.");
}
