// The callback pipeline shared by the HTTP routes and the replay command: one request in, one opened
// callback (or a coded refusal) out, and the sealed passive reply for a BotReply. No Koa, no I/O, no clock.
//
// Order (wecom.md §1.5): outer envelope → signature over Encrypt → timestamp window → strict decrypt →
// inner XML/JSON. The signature comes before anything that costs or leaks: an unsigned body is never decrypted.
import { createHash, randomInt } from "node:crypto";
import type { InboundMessage } from "../../bot/types.js";
import type { Config } from "../../config/load.js";
import { DecryptError, decrypt, isValidSignature } from "./crypto.js";
import {
  EnvelopeError,
  appTextReplyXml,
  botStreamReplyJson,
  encryptFromAppBody,
  encryptFromBotBody,
  parseAppMessage,
  parseBotMessage,
  sealAppReply,
  sealBotReply,
  type AppCallbackMessage,
  type BotCallbackMessage,
} from "./envelope.js";
import { appMessageToInbound, botMessageToInbound, isAppEvent, isBotEvent } from "./inbound.js";

export type WecomChannel = "app" | "bot";

/** What one callback URL needs to open its requests. */
export interface ChannelSecrets {
  channel: WecomChannel;
  token: string;
  aesKey: string;
  /** corpid for the self-built app, "" for the aibot. */
  receiveId: string;
}

/** The secrets of an enabled channel, or undefined when its settings are absent. */
export function channelSecrets(config: Config, channel: WecomChannel): ChannelSecrets | undefined {
  if (channel === "app") {
    const app = config.channels.app;
    return app && { channel, token: app.token, aesKey: app.aesKey, receiveId: app.corpId };
  }
  const bot = config.channels.bot;
  return bot && { channel, token: bot.token, aesKey: bot.aesKey, receiveId: "" };
}

/** Passive reply limits in UTF-8 bytes: app text 2048 (path/96469), aibot stream 20480 (path/101031). */
export const PASSIVE_REPLY_MAX_BYTES: Record<WecomChannel, number> = { app: 2048, bot: 20480 };

export type RejectionReason =
  | "missing-parameter"
  | "signature"
  | "stale-timestamp"
  | "envelope"
  | "decrypt"
  | "receive-id"
  | "plaintext";

const STATUS_FOR: Record<RejectionReason, number> = {
  "missing-parameter": 400,
  signature: 401,
  "stale-timestamp": 401,
  envelope: 400,
  decrypt: 400,
  "receive-id": 403,
  plaintext: 400,
};

/** A callback refused before it reached the core; `status` is what WeCom (or the forger) gets. */
export class CallbackRejected extends Error {
  override name = "CallbackRejected";
  readonly code = "WECOM_CALLBACK_REJECTED";
  readonly status: number;
  constructor(
    readonly reason: RejectionReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${reason}: ${message}`, options);
    this.status = STATUS_FOR[reason];
  }
}

export interface CallbackRequest {
  method: "GET" | "POST";
  /** Percent-decoded query values. */
  query: Readonly<Record<string, string | undefined>>;
  /** The raw body, untouched by any parser (empty for GET). */
  body: string;
}

export interface OpenOptions {
  now: Date;
  /** Seconds a timestamp may differ from `now`; null disables the check (replay of a saved callback only). */
  timestampWindowSeconds: number | null;
}

export type OpenedCallback =
  | { kind: "url-verification"; echo: string }
  | { kind: "app-message"; source: AppCallbackMessage; inbound: InboundMessage }
  | { kind: "bot-message"; source: BotCallbackMessage; inbound: InboundMessage }
  /** Authentic, but nothing a person wrote (events, stream refreshes): acknowledged with an empty 200. */
  | { kind: "ignored"; what: string; externalId: string };

function requireParameter(query: CallbackRequest["query"], name: string): string {
  const value = query[name];
  if (value === undefined || value === "") throw new CallbackRejected("missing-parameter", `query parameter ${name} is missing`);
  return value;
}

/** True when `timestamp` (unix seconds) is within `windowSeconds` of `now`, either side. */
export function isTimestampFresh(timestamp: string, now: Date, windowSeconds: number): boolean {
  if (!/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(now.getTime() / 1000 - Number(timestamp)) <= windowSeconds;
}

function decryptOrReject(secrets: ChannelSecrets, encrypted: string): string {
  try {
    return decrypt(secrets.aesKey, encrypted, secrets.receiveId).message;
  } catch (error) {
    if (error instanceof DecryptError) {
      const hint = error.reason === "padding" ? " (check the EncodingAESKey against the admin console)" : "";
      throw new CallbackRejected(error.reason === "receive-id" ? "receive-id" : "decrypt", `${error.message}${hint}`, { cause: error });
    }
    throw error;
  }
}

function parseOrReject<T>(parse: () => T, what: string): T {
  try {
    return parse();
  } catch (error) {
    // Anything the parsers throw (fast-xml-parser's own limits, e.g. "Maximum nested tags exceeded", included)
    // means malformed input: a 400 and one warning, never a 500.
    const message = error instanceof EnvelopeError ? error.message : `cannot be parsed: ${(error as Error).message}`;
    throw new CallbackRejected(what === "body" ? "envelope" : "plaintext", `${what} ${message}`, { cause: error });
  }
}

/**
 * Verifies, decrypts and parses one callback. Throws {@link CallbackRejected} for anything forged or malformed.
 */
export function openCallback(secrets: ChannelSecrets, request: CallbackRequest, options: OpenOptions): OpenedCallback {
  const msgSignature = requireParameter(request.query, "msg_signature");
  const timestamp = requireParameter(request.query, "timestamp");
  const nonce = requireParameter(request.query, "nonce");
  const encrypted =
    request.method === "GET"
      ? requireParameter(request.query, "echostr")
      : parseOrReject(() => (secrets.channel === "app" ? encryptFromAppBody(request.body) : encryptFromBotBody(request.body)), "body");

  if (!isValidSignature(secrets.token, timestamp, nonce, encrypted, msgSignature)) {
    throw new CallbackRejected("signature", `msg_signature does not match; forged, or WECOM_${secrets.channel.toUpperCase()}_TOKEN differs from the admin console`);
  }
  // After the signature: the timestamp is then known to be WeCom's own, so "stale" means a replay, not noise.
  if (options.timestampWindowSeconds !== null && !isTimestampFresh(timestamp, options.now, options.timestampWindowSeconds)) {
    throw new CallbackRejected("stale-timestamp", `timestamp ${timestamp} is more than ${options.timestampWindowSeconds}s from now (replayed, or the server clock is wrong)`);
  }
  const plaintext = decryptOrReject(secrets, encrypted);
  if (request.method === "GET") return { kind: "url-verification", echo: plaintext };

  if (secrets.channel === "app") {
    const source = parseOrReject(() => parseAppMessage(plaintext), "decrypted message");
    const inbound = appMessageToInbound(source);
    if (isAppEvent(source)) return { kind: "ignored", what: inbound.unsupported ?? "event", externalId: inbound.externalId };
    return { kind: "app-message", source, inbound };
  }
  const source = parseOrReject(() => parseBotMessage(plaintext), "decrypted message");
  const inbound = botMessageToInbound(source, options.now);
  if (isBotEvent(source)) return { kind: "ignored", what: source.msgtype === "stream" ? "stream-refresh" : (inbound.unsupported ?? "event"), externalId: inbound.externalId };
  return { kind: "bot-message", source, inbound };
}

/** A stable stream id per message, so every redelivery is answered with the same stream. */
export function streamIdFor(msgid: string): string {
  return `lt-${createHash("sha256").update(msgid).digest("hex").slice(0, 24)}`;
}

export interface SealReplyOptions {
  now: Date;
  /** Injectable for tests; a fresh random numeric nonce otherwise. */
  nonce?: string;
  random?: Buffer;
}

export interface SealedReply {
  contentType: string;
  body: string;
}

/** Encrypts and signs the passive reply for a message, in the channel's own format. */
export function sealReply(
  secrets: ChannelSecrets,
  opened: Extract<OpenedCallback, { kind: "app-message" | "bot-message" }>,
  text: string,
  options: SealReplyOptions,
): SealedReply {
  const timestamp = String(Math.floor(options.now.getTime() / 1000));
  const seal = { token: secrets.token, aesKey: secrets.aesKey, receiveId: secrets.receiveId, timestamp, nonce: options.nonce ?? String(randomInt(1e9, 1e10)), random: options.random };
  if (opened.kind === "app-message") {
    const inner = appTextReplyXml({ toUser: opened.source.fromUserName, corpId: secrets.receiveId, createTime: Number(timestamp), content: text });
    return { contentType: "text/xml; charset=utf-8", body: sealAppReply(inner, seal) };
  }
  const inner = botStreamReplyJson({ streamId: streamIdFor(opened.source.msgid), content: text, finish: true });
  return { contentType: "application/json; charset=utf-8", body: sealBotReply(inner, seal) };
}
