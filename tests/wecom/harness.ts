// Shared pieces of the WeCom transport tests: a Config with both channels, a test BotCore (a fake of the
// neighbour being built in src/bot), the callback router in a bare Koa app on loopback, and captured logs.
import { Writable } from "node:stream";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import Koa from "koa";
import { pino, type Logger } from "pino";
import type { BotCore, BotReply, InboundMessage } from "../../src/bot/types.js";
import { loadConfig, type Config } from "../../src/config/load.js";
import type { OutboxWriter } from "../../src/outbox/types.js";
import { wecomRouter, type WecomRouterDeps } from "../../src/transport/wecom/routes.js";
import { WecomCallbackPeer } from "../fakes/fake-wecom.js";

export const CORP_ID = "wwlibtally0000001";
export const APP_TOKEN = "appToken123";
export const APP_AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
export const BOT_TOKEN = "botToken456";
export const BOT_AES_KEY = "6qkdMrq68nTKduznJYO1A37W2oEgpkMUvkttRToqhUt";

export function testConfig(overrides: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    dotEnv: false,
    env: {
      DATABASE_URL: "file:./unused.db",
      WECOM_CORP_ID: CORP_ID,
      WECOM_AGENT_ID: "1000002",
      WECOM_APP_SECRET: "app-secret",
      WECOM_APP_TOKEN: APP_TOKEN,
      WECOM_APP_AES_KEY: APP_AES_KEY,
      WECOM_BOT_TOKEN: BOT_TOKEN,
      WECOM_BOT_AES_KEY: BOT_AES_KEY,
      WECOM_WEBHOOK_KEY: "robot-key-1",
      ...overrides,
    },
  });
}

export const appPeer = () => new WecomCallbackPeer({ token: APP_TOKEN, encodingAesKey: APP_AES_KEY, receiveId: CORP_ID, envelope: "xml" });
export const botPeer = () => new WecomCallbackPeer({ token: BOT_TOKEN, encodingAesKey: BOT_AES_KEY, receiveId: "", envelope: "json" });

/** Records what it is handed and echoes it back, optionally slowly or failing. */
export class RecordingCore implements BotCore {
  readonly received: InboundMessage[] = [];
  delayMs = 0;
  failNext = 0;
  async handle(message: InboundMessage): Promise<BotReply> {
    this.received.push(message);
    if (this.delayMs) await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error("core failed");
    }
    if (message.unsupported) return { text: "暂时只能读文字消息哦。" };
    return { text: `已记录：${message.text}` };
  }
}

/** An OutboxWriter that only records (the real outbox is tested in outbox.test.ts). */
export class RecordingOutbox implements OutboxWriter {
  readonly requests: Parameters<OutboxWriter["enqueue"]>[0][] = [];
  async enqueue(request: Parameters<OutboxWriter["enqueue"]>[0]) {
    this.requests.push(request);
    return { ids: [this.requests.length], duplicates: 0 };
  }
}

export interface LogLine {
  level: number;
  msg: string;
  status?: number;
  outcome?: string;
  reason?: string;
  externalId?: string;
  [key: string]: unknown;
}

export function captureLogger(): { log: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { log: pino({ level: "debug" }, sink), lines };
}

export interface CallbackServer {
  url: string;
  lines: LogLine[];
  close(): Promise<void>;
}

export async function startCallbackServer(deps: Omit<WecomRouterDeps, "log">): Promise<CallbackServer> {
  const { log, lines } = captureLogger();
  const app = new Koa();
  const router = wecomRouter({ ...deps, log });
  app.use(router.routes()).use(router.allowedMethods());
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    lines,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Waits until pino's synchronous sink has the expected number of lines (it writes on the same tick). */
export async function settle(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}
