// The transport-neutral edge of the bot core: every channel (WeCom app, WeCom aibot, CLI `say`, `replay`)
// turns what it received into one InboundMessage and sends back the BotReply it gets.

export type Channel = "wecom-app" | "wecom-bot" | "cli" | "import";

export interface InboundMessage {
  channel: Channel;
  /** WeCom MsgId / msgid, kept as a string; with channel, the idempotency key. */
  externalId: string;
  /** WeCom userid of the sender. */
  senderId: string;
  /** Group chat id (aibot); undefined for one-to-one. */
  chatId?: string;
  chatType: "single" | "group";
  /** Plain text, @BotName prefix already removed by the transport. */
  text: string;
  /** When the sender sent it (WeCom CreateTime). */
  sentAt: Date;
  /** Set for content the bot cannot read (image, voice, file, an event): the core answers with a short hint. */
  unsupported?: string;
}

export interface BotReply {
  /** One short Chinese reply; empty when nothing should be said. */
  text: string;
  /** WeCom userids to @-mention where the channel supports it. */
  mentions?: string[];
  /** True when this reply is the stored answer to an earlier delivery of the same message. */
  redelivery?: boolean;
}

export interface BotCore {
  handle(message: InboundMessage): Promise<BotReply>;
}
