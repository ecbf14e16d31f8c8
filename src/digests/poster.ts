// What the digests and reminders need from the sending side: post into the staff group. The lead adapts the
// durable outbox (src/outbox) to this; a dedupe key that was posted before is not posted again, so a re-run of
// a job, or the CLI's --send after the schedule, never doubles a message.
export interface GroupPoster {
  /** One markdown message (at most 4096 bytes; callers split longer text with splitMarkdown). */
  postMarkdown(markdown: string, dedupeKey: string): Promise<void>;
  /** A file (PNG chart, .docx draft) into the group. */
  postFile(fileName: string, bytes: Buffer, dedupeKey: string): Promise<void>;
  /** Plain text with real @-mentions (WeCom userids, not names in the text). */
  postText(text: string, mentionUserIds: string[], dedupeKey: string): Promise<void>;
}
