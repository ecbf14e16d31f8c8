// Decrypted WeCom callbacks → the one transport-neutral InboundMessage the bot core understands.
import type { InboundMessage } from "../../bot/types.js";
import type { AppCallbackMessage, BotCallbackMessage } from "./envelope.js";

/**
 * Removes the leading @-mentions from group text: WeCom delivers `@图书馆助手 今日到馆 35人` with the bot's
 * name still in front, and usually a U+2005 (four-per-em space) after it rather than an ASCII space.
 * Only leading mentions go; an @ later in the sentence is content.
 *
 * @example stripLeadingMentions("@图书馆助手\u2005今日到馆 35人") === "今日到馆 35人"
 */
export function stripLeadingMentions(text: string): string {
  return text.replace(/^(?:[\s\u2005]*@[^\s\u2005]+(?:[\s\u2005]+|$))+/u, "").trim();
}

/** A callback that is an event (enter_agent, subscribe, enter_chat, …), not something a person wrote. */
export function isAppEvent(message: AppCallbackMessage): boolean {
  return message.msgType === "event";
}

export function isBotEvent(message: BotCallbackMessage): boolean {
  // "stream" is WeCom asking for more of a stream we already finished; nothing a person wrote either.
  return message.msgtype === "event" || message.msgtype === "stream";
}

/**
 * The key WeCom redeliveries share. Messages: MsgId. Events have none, so FromUserName + CreateTime + Event
 * (peers found FromUserName + CreateTime alone too coarse: WxJava #2314, #3311).
 */
export function appExternalId(message: AppCallbackMessage): string {
  if (message.msgId) return message.msgId;
  return `event:${message.fromUserName}:${message.createTime}:${message.event ?? ""}:${message.eventKey ?? ""}`;
}

export function appMessageToInbound(message: AppCallbackMessage): InboundMessage {
  const inbound: InboundMessage = {
    channel: "wecom-app",
    externalId: appExternalId(message),
    senderId: message.fromUserName,
    chatType: "single",
    text: message.msgType === "text" ? (message.content ?? "").trim() : "",
    sentAt: new Date(Number(message.createTime) * 1000),
  };
  if (message.msgType === "event") inbound.unsupported = `event:${message.event ?? "unknown"}`;
  else if (message.msgType !== "text") inbound.unsupported = message.msgType;
  return inbound;
}

function botText(message: BotCallbackMessage): string | undefined {
  if (message.msgtype === "text") return message.text?.content ?? "";
  if (message.msgtype === "mixed") {
    const texts = (message.mixed?.msg_item ?? []).flatMap((item) => (item.msgtype === "text" && item.text ? [item.text.content] : []));
    // A picture with a caption still has something to read; a picture alone does not.
    return texts.length > 0 ? texts.join("\n") : undefined;
  }
  return undefined;
}

/** `receivedAt` stands in for the send time: callback-mode payloads may lack `create_time` (wecom.md §4.2). */
export function botMessageToInbound(message: BotCallbackMessage, receivedAt: Date): InboundMessage {
  const group = message.chattype === "group";
  const text = botText(message);
  const inbound: InboundMessage = {
    channel: "wecom-bot",
    externalId: message.msgid,
    senderId: message.from.userid,
    chatType: group ? "group" : "single",
    text: text === undefined ? "" : stripLeadingMentions(text),
    sentAt: message.create_time !== undefined ? new Date(message.create_time * 1000) : receivedAt,
  };
  if (group && message.chatid) inbound.chatId = message.chatid;
  if (text === undefined) {
    inbound.unsupported = message.msgtype === "event" ? `event:${message.event?.eventtype ?? "unknown"}` : message.msgtype;
  }
  return inbound;
}
