// Drafts on request: the port through which the core asks for a summary draft or a weekly digest, and the one
// line it says back. The core knows nothing of Word files, charts or the outbox; the composition root
// (src/app.ts) plugs in src/digests/on-request.ts, which stores the draft and posts it to the group.
import type { IsoDate } from "../parsing/types.js";
import { formatDay, formatRange } from "../records/dates.js";
import { periodName, type Period } from "../digests/periods.js";

export interface DraftJob {
  period: Period;
  /** WeCom userid of the manager who asked; stored as the draft's createdBy. */
  requestedBy: string;
  /** The library day the request was sent on: figures after it cannot exist yet. */
  today: IsoDate;
  /** channel:msgid of the request, so a redelivered request never posts twice. */
  requestKey: string;
}

export interface DraftOutcome {
  /** The stored Draft version. */
  version: number;
  /** Same text as the latest stored version (no figure changed): that version, not a new one. */
  unchanged: boolean;
  /** Handed to the group robot; false when no robot is configured. */
  posted: boolean;
  /** Set when the period has not ended: the figures run to this day. */
  asOf?: IsoDate;
  /** What went to the group with the text: "Word文档", "图表". */
  attachments: string[];
}

/** Optional port of the core (BotCoreOptions.drafts). Both run after the request's own transaction. */
export interface DraftPort {
  summary(job: DraftJob): Promise<DraftOutcome>;
  digest(job: DraftJob): Promise<DraftOutcome>;
}

/** 2026年第三季度工作总结, 2026年上半年工作总结, 2025年度工作总结, 2026年第47周数据简报 */
export function draftName(period: Period): string {
  switch (period.kind) {
    case "week":
      return `${period.year}年第${period.index}周数据简报`;
    case "year":
      return `${period.year}年度工作总结`;
    default:
      return `${period.year}年${periodName(period)}工作总结`;
  }
}

/** 2027年第一季度, 2027年上半年, 2027年, 2027年第3周 */
function periodLabel(period: Period): string {
  return period.kind === "year" ? `${period.year}年` : `${period.year}年${periodName(period)}`;
}

/** The operator command that prints (and for summaries writes the Word file of) the same draft. */
export function draftCommand(period: Period): string {
  return period.kind === "week" ? `digest --week ${period.id}` : `summary --period ${period.id} --docx 文件名`;
}

export const DRAFT_REFUSAL = "抱歉，工作总结和周报由馆领导或信息部生成；您报的数据都会计入其中。";

export function notStartedReply(period: Period): string {
  return `${periodLabel(period)}还没开始，暂时不能生成${period.kind === "week" ? "周报" : "总结"}。`;
}

export function noDraftPortReply(period: Period): string {
  return `这里不能直接生成${draftName(period)}；请信息部在服务器上运行 ${draftCommand(period)}。`;
}

export function draftFailedReply(period: Period): string {
  return `抱歉，生成${draftName(period)}时出错了，没有发到群里。请稍后再试，或联系信息部。`;
}

/**
 * 已生成2026年第三季度工作总结（第2版），已发到群里，含Word文档。
 * 已生成2026年第47周数据简报（11月16日至22日，第1版），已发到群里，含图表。
 * 已生成2026年第四季度工作总结（截至11月18日，第1版）。没有配置群机器人，未发到群里；可在服务器上运行 …
 */
export function draftReply(period: Period, outcome: DraftOutcome): string {
  const span = outcome.asOf ? `截至${formatDay(outcome.asOf)}` : period.kind === "week" ? formatRange(period.range) : undefined;
  const details = [span, `第${outcome.version}版`, outcome.unchanged ? "数据与上次相同" : undefined].filter((part) => part !== undefined);
  const head = `已生成${draftName(period)}（${details.join("，")}）`;
  if (outcome.posted) {
    const parts = outcome.attachments.length ? `，含${outcome.attachments.join("和")}` : "";
    return `${head}，已发到群里${parts}。`;
  }
  const what = period.kind === "week" ? "查看全文" : "取得Word文档";
  return `${head}。因未配置群机器人，没有发到群里；如需${what}，请信息部在服务器上运行 ${draftCommand(period)}。`;
}
