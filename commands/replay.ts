// `libtally replay <file>`: feeds a saved WeCom callback through the same path as the HTTP routes
// (signature → decrypt → parse → InboundMessage → bot core), without HTTP. For support work: "what did the
// bot make of this message?" Accepted files:
//   - a saved callback: {"channel":"app"|"bot","query":"msg_signature=…&timestamp=…&nonce=…","body":"<xml>…</xml>"}
//   - an encrypted body as received (XML with <Encrypt> or JSON with "encrypt"), with --query
//   - a decrypted message: app XML (<MsgType>…) or aibot JSON ({"msgtype":…})
// The timestamp window is not applied (saved callbacks are old by nature); the signature still is.
import { readFileSync } from "node:fs";
import { Command, Option } from "commander";
import type { BotCore, BotReply, InboundMessage } from "../src/bot/types.js";
import type { Config } from "../src/config/load.js";
import { CallbackRejected, channelSecrets, openCallback, type OpenedCallback, type WecomChannel } from "../src/transport/wecom/callback.js";
import { parseAppMessage, parseBotMessage } from "../src/transport/wecom/envelope.js";
import { appMessageToInbound, botMessageToInbound, isAppEvent, isBotEvent } from "../src/transport/wecom/inbound.js";
import { parseQueryKeepingPlus } from "../src/transport/wecom/raw-body.js";
import { configFrom, withConfigOption } from "./context.js";

export interface ReplayInput {
  channel?: WecomChannel;
  query?: string;
  method?: "GET" | "POST";
  body: string;
}

/** Recognises what kind of file it was given. */
export function readReplayInput(text: string, options: { channel?: WecomChannel; query?: string }): ReplayInput {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) {
    const json = JSON.parse(trimmed) as Record<string, unknown>;
    if (typeof json.body === "string" && (typeof json.query === "string" || options.query)) {
      return {
        channel: (json.channel as WecomChannel | undefined) ?? options.channel,
        query: (json.query as string | undefined) ?? options.query,
        method: json.method === "GET" ? "GET" : "POST",
        body: json.body,
      };
    }
    return { channel: options.channel ?? "bot", query: options.query, body: trimmed };
  }
  return { channel: options.channel ?? "app", query: options.query, body: trimmed };
}

export type ReplayOutcome =
  | { kind: "url-verification"; echo: string }
  | { kind: "ignored"; what: string; externalId: string }
  | { kind: "message"; inbound: InboundMessage; reply?: BotReply };

function openPlaintext(channel: WecomChannel, body: string, now: Date): OpenedCallback {
  if (channel === "app") {
    const source = parseAppMessage(body);
    const inbound = appMessageToInbound(source);
    return isAppEvent(source) ? { kind: "ignored", what: inbound.unsupported ?? "event", externalId: inbound.externalId } : { kind: "app-message", source, inbound };
  }
  const source = parseBotMessage(body);
  const inbound = botMessageToInbound(source, now);
  return isBotEvent(source) ? { kind: "ignored", what: source.msgtype, externalId: inbound.externalId } : { kind: "bot-message", source, inbound };
}

/**
 * Opens one saved callback (verifying its signature when encrypted) and, given a core, hands it over.
 * Throws CallbackRejected for what the HTTP route would refuse.
 */
export async function replayCallback(config: Config, input: ReplayInput, core?: BotCore, now = new Date()): Promise<ReplayOutcome> {
  const channel = input.channel ?? "app";
  const encrypted = input.query !== undefined || /<Encrypt>|"encrypt"\s*:/.test(input.body);
  let opened: OpenedCallback;
  if (encrypted) {
    const secrets = channelSecrets(config, channel);
    if (!secrets) throw new Error(`the ${channel} channel is not configured (WECOM_${channel.toUpperCase()}_* settings)`);
    if (input.query === undefined) throw new Error("an encrypted body needs its query string (--query 'msg_signature=…&timestamp=…&nonce=…')");
    opened = openCallback(secrets, { method: input.method ?? "POST", query: parseQueryKeepingPlus(input.query.replace(/^\?/, "")), body: input.body }, { now, timestampWindowSeconds: null });
  } else {
    opened = openPlaintext(channel, input.body, now);
  }
  if (opened.kind === "url-verification" || opened.kind === "ignored") return opened;
  return { kind: "message", inbound: opened.inbound, reply: core ? await core.handle(opened.inbound) : undefined };
}

export interface ReplayCommandOptions {
  /** Opens the real bot core (the lead wires it); without it, replay only shows the InboundMessage. */
  openCore?: (config: Config) => Promise<{ core: BotCore; close(): Promise<void> }>;
  stdout?: (line: string) => void;
}

export function replayCommand(options: ReplayCommandOptions = {}): Command {
  const print = options.stdout ?? ((line: string) => process.stdout.write(`${line}\n`));
  return withConfigOption(new Command("replay"))
    .description("feed a saved WeCom callback (encrypted or decrypted) through the bot, without HTTP")
    .argument("<file>", "saved callback: {channel, query, body} JSON, an encrypted body, or a decrypted message")
    .addOption(new Option("--channel <channel>", "which callback it came from").choices(["app", "bot"]))
    .option("--query <query>", "the callback's query string (msg_signature=…&timestamp=…&nonce=…) for an encrypted body")
    .option("--dry-run", "only show the InboundMessage; do not hand it to the bot (nothing is recorded)")
    .action(async (file: string, flags: { config?: string; channel?: WecomChannel; query?: string; dryRun?: boolean }) => {
      const config = configFrom(flags);
      const input = readReplayInput(readFileSync(file, "utf8"), flags);
      const opened = flags.dryRun || !options.openCore ? undefined : await options.openCore(config);
      try {
        const outcome = await replayCallback(config, input, opened?.core);
        if (outcome.kind === "url-verification") print(`URL verification; the echo is: ${outcome.echo}`);
        else if (outcome.kind === "ignored") print(`acknowledged without reply (${outcome.what}, key ${outcome.externalId})`);
        else {
          print(JSON.stringify(outcome.inbound, null, 2));
          if (outcome.reply) print(`reply${outcome.reply.redelivery ? " (stored answer to an earlier delivery)" : ""}: ${outcome.reply.text || "(none)"}`);
          else print(options.openCore ? "dry run: not handed to the bot" : "not handed to the bot (no bot core wired into replay)");
        }
      } catch (error) {
        if (error instanceof CallbackRejected) {
          process.exitCode = 1;
          print(`refused with HTTP ${error.status}: ${error.message}`);
          return;
        }
        throw error;
      } finally {
        await opened?.close();
      }
    });
}
