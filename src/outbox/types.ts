// What callers hand the outbox. Everything we send to WeCom is written here first, then delivered.

/**
 * 'app': message/send of the self-built app to userids; 'webhook': a group robot, by robot name;
 * 'aibot-response': the one-shot response_url of an aibot message (late answers in the staff group).
 */
export type OutboxChannel = "app" | "webhook" | "aibot-response";
export type OutboxMessageType = "text" | "markdown" | "file";

export interface OutboxRequest {
  channel: OutboxChannel;
  /**
   * 'app': the recipients' userids; 'webhook': the robot's name ("default" is WECOM_WEBHOOK_KEY; the key itself,
   * a bearer secret, is never stored); 'aibot-response': the response_url WeCom gave with the message.
   */
  target: string | string[];
  msgType: OutboxMessageType;
  /** Text or markdown. Longer than the channel allows: split into several rows, in order. */
  content?: string;
  /** Userids to @-mention ('webhook' text only). */
  mentions?: string[];
  /** 'file' on a webhook: uploaded through webhook/upload_media when sent. */
  file?: { name: string; bytes: Uint8Array };
  /** Same key, same message: a re-run of a job or a redelivered callback never sends twice. */
  dedupeKey: string;
  /** Not before this instant (default: now). */
  notBefore?: Date;
}

export interface EnqueueResult {
  /** Outbox row ids, in sending order (several when the content was split). */
  ids: number[];
  /** How many of them already existed under the same dedupe key. */
  duplicates: number;
}

/** The part of the outbox the callback routes need: somewhere durable to put an answer that came too late. */
export interface OutboxWriter {
  enqueue(request: OutboxRequest): Promise<EnqueueResult>;
}
