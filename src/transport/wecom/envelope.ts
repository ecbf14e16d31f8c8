// WeCom envelopes: the outer body that carries `Encrypt`, the decrypted message inside it, and the passive
// replies we send back. XML for the self-built app, JSON for the aibot (doc path/100719, 101031).
//
// XML is parsed with fast-xml-parser after refusing any DOCTYPE or ENTITY declaration outright: a signed
// body cannot carry one legitimately, and refusing before parsing closes XXE and billion-laughs for good.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { z } from "zod";
import { encrypt, signature } from "./crypto.js";

export type EnvelopeFailure = "doctype" | "not-xml" | "not-json" | "missing-field" | "shape";

/** A body or decrypted message that is not the XML/JSON WeCom sends. */
export class EnvelopeError extends Error {
  override name = "EnvelopeError";
  readonly code = "WECOM_ENVELOPE";
  constructor(
    readonly reason: EnvelopeFailure,
    message: string,
  ) {
    super(`${reason}: ${message}`);
  }
}

const xmlParser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  // Keep every value a string: MsgId is a 64-bit integer and Number() would round it.
  parseTagValue: false,
  processEntities: true,
  // Decodes numeric character references (&#20320;); DOCTYPE-declared entities never get this far.
  htmlEntities: true,
  trimValues: true,
});

/** Parses XML and returns the children of its root element, refusing DTDs and anything not well-formed. */
export function parseXmlStrictly(text: string): Record<string, unknown> {
  if (/<!DOCTYPE|<!ENTITY/i.test(text)) throw new EnvelopeError("doctype", "XML with a DOCTYPE or ENTITY declaration is refused");
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new EnvelopeError("not-xml", `not well-formed XML (${valid.err.code} at line ${valid.err.line})`);
  const parsed: unknown = xmlParser.parse(text);
  if (typeof parsed !== "object" || parsed === null) throw new EnvelopeError("not-xml", "no root element");
  const roots = Object.values(parsed);
  const root = roots[0];
  if (roots.length !== 1 || typeof root !== "object" || root === null || Array.isArray(root)) {
    throw new EnvelopeError("not-xml", "expected a single root element with children");
  }
  return root as Record<string, unknown>;
}

function xmlText(fields: Record<string, unknown>, name: string): string | undefined {
  const value = fields[name];
  if (value === undefined) return undefined;
  // A repeated element becomes an array: ambiguous, so refused rather than guessed.
  if (typeof value !== "string") throw new EnvelopeError("shape", `<${name}> must occur once and hold text`);
  return value;
}

function requiredXmlText(fields: Record<string, unknown>, name: string): string {
  const value = xmlText(fields, name);
  if (value === undefined || value === "") throw new EnvelopeError("missing-field", `<${name}> is missing`);
  return value;
}

function parseJsonObject(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new EnvelopeError("not-json", `not JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw new EnvelopeError("not-json", "not a JSON object");
  return parsed as Record<string, unknown>;
}

// ---------------------------------------------------------------------------------------------------------
// Outer envelopes: only `Encrypt` matters; it is what the signature covers.

/** `<xml><ToUserName/><Encrypt/><AgentID/></xml>` from the self-built app. */
export function encryptFromAppBody(body: string): string {
  return requiredXmlText(parseXmlStrictly(body), "Encrypt");
}

/** `{"encrypt":"…"}` from the aibot. */
export function encryptFromBotBody(body: string): string {
  const value = parseJsonObject(body).encrypt;
  if (typeof value !== "string" || value === "") throw new EnvelopeError("missing-field", `"encrypt" is missing`);
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// Decrypted messages.

/** A decrypted self-built-app callback (doc path/90240, 96467). Every value is the string WeCom sent. */
export interface AppCallbackMessage {
  toUserName: string;
  fromUserName: string;
  /** Unix seconds, as sent. */
  createTime: string;
  msgType: string;
  content?: string;
  /** 64-bit integer kept as a string. */
  msgId?: string;
  agentId?: string;
  event?: string;
  eventKey?: string;
}

export function parseAppMessage(xml: string): AppCallbackMessage {
  const fields = parseXmlStrictly(xml);
  const createTime = requiredXmlText(fields, "CreateTime");
  if (!/^\d{1,12}$/.test(createTime)) throw new EnvelopeError("shape", `<CreateTime> ${JSON.stringify(createTime)} is not unix seconds`);
  const message: AppCallbackMessage = {
    toUserName: xmlText(fields, "ToUserName") ?? "",
    fromUserName: requiredXmlText(fields, "FromUserName"),
    createTime,
    msgType: requiredXmlText(fields, "MsgType"),
  };
  const optional: Array<[keyof AppCallbackMessage, string]> = [
    ["content", "Content"],
    ["msgId", "MsgId"],
    ["agentId", "AgentID"],
    ["event", "Event"],
    ["eventKey", "EventKey"],
  ];
  for (const [key, tag] of optional) {
    const value = xmlText(fields, tag);
    if (value !== undefined) message[key] = value;
  }
  if (message.msgType !== "event" && !message.msgId) throw new EnvelopeError("missing-field", "<MsgId> is missing on a message");
  return message;
}

const botMessageSchema = z.looseObject({
  // A numeric msgid would already have lost precision in JSON.parse; WeCom sends strings, so insist on one.
  msgid: z.string().min(1),
  aibotid: z.string().optional(),
  chatid: z.string().optional(),
  chattype: z.enum(["single", "group"]).optional(),
  from: z.looseObject({ userid: z.string().min(1) }),
  response_url: z.string().optional(),
  msgtype: z.string().min(1),
  create_time: z.number().int().optional(),
  text: z.looseObject({ content: z.string() }).optional(),
  mixed: z
    .looseObject({
      msg_item: z.array(z.looseObject({ msgtype: z.string(), text: z.looseObject({ content: z.string() }).optional() })),
    })
    .optional(),
  stream: z.looseObject({ id: z.string() }).optional(),
  event: z.looseObject({ eventtype: z.string() }).optional(),
});

/** A decrypted aibot callback (doc path/100719). */
export type BotCallbackMessage = z.infer<typeof botMessageSchema>;

export function parseBotMessage(json: string): BotCallbackMessage {
  const result = botMessageSchema.safeParse(parseJsonObject(json));
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new EnvelopeError("shape", `aibot message ${issue ? `${issue.path.join(".") || "(top)"}: ${issue.message}` : "is malformed"}`);
  }
  return result.data;
}

// ---------------------------------------------------------------------------------------------------------
// Passive replies.

/** CDATA cannot contain `]]>`; split it across two sections, the standard escape. */
export function cdata(text: string): string {
  return `<![CDATA[${text.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
}

/** Inner plaintext of the app's passive text reply: To/From swapped relative to the request (doc path/96469). */
export function appTextReplyXml(args: { toUser: string; corpId: string; createTime: number; content: string }): string {
  return (
    `<xml><ToUserName>${cdata(args.toUser)}</ToUserName><FromUserName>${cdata(args.corpId)}</FromUserName>` +
    `<CreateTime>${args.createTime}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content>${cdata(args.content)}</Content></xml>`
  );
}

/** Inner plaintext of the aibot's stream reply; finish=true answers in one go (doc path/101031). */
export function botStreamReplyJson(args: { streamId: string; content: string; finish: boolean }): string {
  return JSON.stringify({ msgtype: "stream", stream: { id: args.streamId, finish: args.finish, content: args.content } });
}

export interface SealOptions {
  token: string;
  aesKey: string;
  receiveId: string;
  timestamp: string;
  nonce: string;
  random?: Buffer;
}

/** The app's encrypted reply body. Note `TimeStamp` with a capital S, as in the official samples. */
export function sealAppReply(plaintextXml: string, options: SealOptions): string {
  const encrypted = encrypt(options.aesKey, plaintextXml, options.receiveId, options.random);
  const msgSignature = signature(options.token, options.timestamp, options.nonce, encrypted);
  return (
    `<xml><Encrypt>${cdata(encrypted)}</Encrypt><MsgSignature>${cdata(msgSignature)}</MsgSignature>` +
    `<TimeStamp>${options.timestamp}</TimeStamp><Nonce>${cdata(options.nonce)}</Nonce></xml>`
  );
}

/** The aibot's encrypted reply body. The key is `msgsignature` (no underscore), as in WXBizJsonMsgCrypt. */
export function sealBotReply(plaintextJson: string, options: SealOptions): string {
  const encrypted = encrypt(options.aesKey, plaintextJson, options.receiveId, options.random);
  const msgSignature = signature(options.token, options.timestamp, options.nonce, encrypted);
  return JSON.stringify({ encrypt: encrypted, msgsignature: msgSignature, timestamp: options.timestamp, nonce: options.nonce });
}
