// The staff group as the digests and reminders see it (GroupPoster), delivered through the durable outbox by
// the group robot. The dedupe keys carry through: a re-run never posts twice.
import type { GroupPoster } from "../digests/poster.js";
import type { OutboxWriter } from "./types.js";

/** "default" is the robot configured by WECOM_WEBHOOK_KEY. */
export function outboxGroupPoster(outbox: OutboxWriter, robot = "default"): GroupPoster {
  return {
    async postMarkdown(markdown, dedupeKey) {
      await outbox.enqueue({ channel: "webhook", target: robot, msgType: "markdown", content: markdown, dedupeKey });
    },
    async postFile(fileName, bytes, dedupeKey) {
      await outbox.enqueue({ channel: "webhook", target: robot, msgType: "file", file: { name: fileName, bytes }, dedupeKey });
    },
    async postText(text, mentionUserIds, dedupeKey) {
      await outbox.enqueue({ channel: "webhook", target: robot, msgType: "text", content: text, mentions: mentionUserIds, dedupeKey });
    },
  };
}

/** Without a group robot the schedule still drafts and stores, but posts nothing: queueing instead would send
 * weeks-old digests the day a robot is configured. */
export function unconfiguredGroupPoster(log: { info(obj: object, msg: string): void }): GroupPoster {
  const skip = async (dedupeKey: string) => log.info({ dedupeKey }, "no group robot configured (WECOM_WEBHOOK_KEY): not posted");
  return {
    postMarkdown: (_markdown, dedupeKey) => skip(dedupeKey),
    postFile: (_fileName, _bytes, dedupeKey) => skip(dedupeKey),
    postText: (_text, _mentions, dedupeKey) => skip(dedupeKey),
  };
}
