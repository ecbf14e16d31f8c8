// Questions the bot asked and is waiting on. A question belongs to the sender in one chat and expires; the
// answer is 是/确认, 改为, 加上, 取消, or simply a corrected message (which replaces the question).
import { z } from "zod";
import type { PendingQuestion } from "../db/open.js";
import type { Turn } from "./turn.js";

const dayRange = z.object({ from: z.string(), to: z.string() });
const newFact = z.object({
  metric: z.string(),
  value: z.number(),
  unit: z.string(),
  approx: z.boolean().optional(),
  date: dayRange,
  branch: z.string(),
  eventType: z.string().nullable().optional(),
  eventName: z.string().nullable().optional(),
  subset: z.string().nullable().optional(),
  subsetOf: z.number().int().optional(),
});

/** What the bot will do on each answer, stored as JSON on the PendingQuestion. */
export const pendingPayloadSchema = z.discriminatedUnion("kind", [
  /** A second report for a day counter already recorded: 改为 replaces, 加上 adds. */
  z.object({ kind: z.literal("day_conflict"), question: z.string(), records: z.array(newFact), backfill: z.boolean() }),
  /** Plausibility: 是 stores as reported. */
  z.object({ kind: z.literal("confirm_records"), question: z.string(), records: z.array(newFact), backfill: z.boolean() }),
  /** The parser could not decide; the answer is read together with the original message. */
  z.object({ kind: z.literal("clarify"), question: z.string(), originalText: z.string() }),
]);

export type PendingPayload = z.infer<typeof pendingPayloadSchema>;

export type AnswerIntent = "confirm" | "cancel" | "replace" | "add";

/** An optional number with its unit after 改为/加上: 改为80, 加上50人. */
const ANSWER_NUMBER = "(?:[\\d零〇一二两三四五六七八九十百千万.]+(?:人次|人|册次|册|本|场|个|位|次|元)?)?";

/** Short answers only: a long message is a new message, not an answer. */
export function classifyAnswer(text: string, parsedIntent?: string): AnswerIntent | undefined {
  const bare = text.replace(/[\s，。,.!！?？~～、:：“”"'「」]/g, "");
  if (bare.length > 12) return undefined;
  if (/^(取消|不用了?|不要了?|算了|不对|否|不是|放弃|别记了?|不记了?|no)/i.test(bare) || parsedIntent === "cancel") return "cancel";
  // The whole answer is the keyword, optionally with the number asked about (改为80, 加上50人): a message that
  // merely starts with one (加油, 改天再说) is not an answer.
  if (new RegExp(`^(?:改为|改成|替换|覆盖|更正为?|换成|以这次为准|以新的为准|按新的|用新的|改)${ANSWER_NUMBER}$`).test(bare)) return "replace";
  if (new RegExp(`^(?:加上|再加|累加|追加|相加|叠加|合计|都算|加起来|加)${ANSWER_NUMBER}$`).test(bare)) return "add";
  if (/^(是的?|确认|确定|对的?|没错|好的?|可以|嗯+|记录吧?|记吧|yes|ok|y|1)$/i.test(bare) || parsedIntent === "confirm") return "confirm";
  return undefined;
}

export async function openQuestion(turn: Turn): Promise<{ row: PendingQuestion; payload: PendingPayload } | undefined> {
  const row = await turn.db.pendingQuestion.findFirst({
    where: { chatId: turn.chatKey, senderId: turn.sender.userid, resolvedAt: null, expiresAt: { gt: turn.now } },
    orderBy: { id: "desc" },
  });
  if (!row) return undefined;
  const parsed = pendingPayloadSchema.safeParse(JSON.parse(row.payload));
  if (!parsed.success) {
    turn.log.warn({ pendingId: row.id, issues: parsed.error.issues }, "unreadable pending question payload; ignoring it");
    return undefined;
  }
  return { row, payload: parsed.data };
}

/** Asks `payload.question`; any earlier open question of this sender in this chat is superseded by it. */
export async function ask(turn: Turn, payload: PendingPayload): Promise<string> {
  await turn.db.pendingQuestion.updateMany({
    where: { chatId: turn.chatKey, senderId: turn.sender.userid, resolvedAt: null },
    data: { resolvedAt: turn.now, resolution: "superseded" },
  });
  await turn.db.pendingQuestion.create({
    data: {
      chatId: turn.chatKey,
      senderId: turn.sender.userid,
      messageId: turn.messageId,
      kind: payload.kind,
      payload: JSON.stringify(payload),
      expiresAt: new Date(turn.now.getTime() + turn.site.policy.pendingQuestionMinutes * 60_000),
    },
  });
  return payload.question;
}

export async function resolveQuestion(turn: Turn, row: PendingQuestion, resolution: string): Promise<void> {
  await turn.db.pendingQuestion.update({ where: { id: row.id }, data: { resolvedAt: turn.now, resolution } });
}
