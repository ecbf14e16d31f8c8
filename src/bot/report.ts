// Reports: check who may report for which branch, check plausibility, catch a second report of a day counter,
// store, and confirm in one line what was stored for which day and branch.
import { loadOpenDays } from "../calendar/closures.js";
import { coverageOver } from "../calendar/open-days.js";
import type { Fact } from "../db/open.js";
import type { ParsedRecord } from "../parsing/types.js";
import { addDays, formatRange, mondayOf } from "../records/dates.js";
import { loadEffectiveFacts } from "../records/facts.js";
import { appendFacts, findOverlapping, recentValues, replaceFact, retractFact, type NewFact } from "../records/ledger.js";
import { checkPlausibility, type Finding } from "../records/plausibility.js";
import { dayCounterCoverage, totalFor } from "../records/totals.js";
import { formatNumber, missingDays } from "./format.js";
import { ask } from "./pending.js";
import { mayReportFor } from "./people.js";
import { describeFigure, type Outcome, type Turn } from "./turn.js";

/** How far back the outlier check looks for the branch's own history. */
const HISTORY_DAYS = 8 * 7;

export type ResolvedRecords = { records: NewFact[] } | { refusal: string };

/** Gives every record a branch (named, else the sender's, else the head branch) and checks the sender may
 * report for it. */
export function resolveRecords(turn: Turn, parsed: readonly ParsedRecord[]): ResolvedRecords {
  const fallback = turn.sender.branch ?? turn.site.library.headBranch;
  const records: NewFact[] = parsed.map((r) => ({
    metric: r.metric,
    value: r.value,
    unit: r.unit,
    approx: r.approx,
    date: r.date,
    branch: r.branch ?? fallback,
    eventType: r.eventType ?? null,
    eventName: r.eventName ?? null,
    subset: r.subset ?? r.level ?? null,
    ...(r.subsetOf !== undefined ? { subsetOf: r.subsetOf } : {}),
  }));
  const forbidden = [...new Set(records.map((r) => r.branch).filter((b) => !mayReportFor(turn.sender, b)))];
  if (forbidden.length > 0) {
    const own = turn.sender.reportsFor.join("、");
    return {
      refusal: own
        ? `抱歉，您只能为${own}报数，${forbidden.join("、")}的数据没有记录。如需代报，请联系信息部在名单里添加。`
        : `抱歉，名单里还没有登记您所在的馆，这条没有记录。请联系信息部添加。`,
    };
  }
  return { records };
}

function findingText(turn: Turn, record: NewFact, finding: Finding): string {
  const figure = describeFigure(turn, record);
  const unit = record.unit;
  switch (finding.kind) {
    case "future":
      return `${figure}：这一天还没到`;
    case "stale":
      return `${figure}：是${finding.daysAgo}天前的数据`;
    case "negative":
      return `${figure}：数值是负数`;
    case "zero":
      return `${figure}：数值是0`;
    case "outlier": {
      const basis = finding.basis === "weekday" ? "同一星期几的中位数" : finding.basis === "previous" ? "上次报的" : "近期中位数";
      return `${figure}：和平时差得很多（${basis}${formatNumber(finding.median!)}${unit}）`;
    }
  }
}

async function plausibilityFindings(turn: Turn, records: readonly NewFact[], backfill: boolean): Promise<string[]> {
  const notes: string[] = [];
  for (const record of records) {
    if (record.subsetOf !== undefined) continue;
    const info = turn.info(record.metric);
    if (!info) continue;
    const history = await recentValues(turn.db, {
      metric: record.metric,
      branch: record.branch,
      before: record.date.from,
      since: addDays(record.date.from, -HISTORY_DAYS),
    });
    const findings = checkPlausibility({
      value: record.value,
      date: record.date,
      behaviour: info.behaviour,
      metric: record.metric,
      today: turn.today,
      backfill,
      backfillDays: turn.site.policy.backfillDays,
      outlierFactor: turn.site.policy.outlierFactor,
      history,
    });
    for (const finding of findings) notes.push(findingText(turn, record, finding));
  }
  return notes;
}

interface Conflict {
  index: number;
  existing: Fact[];
}

async function dayCounterConflicts(turn: Turn, records: readonly NewFact[]): Promise<Conflict[]> {
  const conflicts: Conflict[] = [];
  for (const [index, record] of records.entries()) {
    if (record.subsetOf !== undefined || turn.info(record.metric)?.behaviour !== "day_counter") continue;
    const existing = await findOverlapping(turn.db, { metric: record.metric, branch: record.branch, date: record.date });
    if (existing.length > 0) conflicts.push({ index, existing });
  }
  return conflicts;
}

function sumOf(facts: readonly Fact[]): number {
  return Math.round(facts.reduce((s, f) => s + f.value, 0) * 1e6) / 1e6;
}

function conflictQuestion(turn: Turn, records: readonly NewFact[], conflicts: readonly Conflict[]): string {
  const dayWord = (r: NewFact) => (r.date.from === r.date.to && r.date.from === turn.today ? "今天" : formatRange(r.date));
  const first = records[conflicts[0]!.index]!;
  const samePlace = conflicts.every((c) => records[c.index]!.branch === first.branch && dayWord(records[c.index]!) === dayWord(first));
  const had = conflicts.map((c) => {
    const r = records[c.index]!;
    return turn.names.figure(r.metric, sumOf(c.existing), r.unit, c.existing.some((f) => f.approx), r.eventType);
  });
  const now = conflicts.map((c) => {
    const r = records[c.index]!;
    return `${turn.names.label(r.metric, r.eventType)}${formatNumber(r.value)}${r.unit}`;
  });
  const where = samePlace ? `${first.branch}${dayWord(first)}` : conflicts.map((c) => `${records[c.index]!.branch}${dayWord(records[c.index]!)}`).join("、");
  const identical = conflicts.every((c) => sumOf(c.existing) === records[c.index]!.value);
  if (identical) {
    return `${where}已记录${had.join("、")}，和这次一样。是重复发送吗？回复“加上”再加一次，回复“取消”不记录。`;
  }
  const values = conflicts.map((c) => `${formatNumber(records[c.index]!.value)}${records[c.index]!.unit}`).join("、");
  const which = conflicts.length > 1 ? `（这次：${now.join("、")}）` : "";
  return `${where}已记录${had.join("、")}，改为${values}还是再加${values}？请回复“改为”或“加上”${which}。`;
}

/** Stores a message's records after the checks, or asks the question that stands in the way. */
export async function handleReport(turn: Turn, records: NewFact[], options: { backfill: boolean; confirmed?: boolean }): Promise<Outcome> {
  if (!options.confirmed) {
    const notes = await plausibilityFindings(turn, records, options.backfill);
    if (notes.length > 0) {
      const question = `请确认：${notes.join("；")}。回复“是”照此记录，回复“取消”不记录，或直接发正确的数字。`;
      return { kind: "question", text: await ask(turn, { kind: "confirm_records", question, records, backfill: options.backfill }) };
    }
  }
  const conflicts = await dayCounterConflicts(turn, records);
  // A report over other days than what is already recorded (one day against a weekend reported together, or the
  // reverse) cannot be settled by 改为 or 加上 without losing or doubling the other days' share.
  const mismatched = conflicts.find((c) => c.existing.some((f) => f.dateFrom !== records[c.index]!.date.from || f.dateTo !== records[c.index]!.date.to));
  if (mismatched) {
    const record = records[mismatched.index]!;
    const had = mismatched.existing
      .map((f) => `${formatRange({ from: f.dateFrom, to: f.dateTo })}${turn.names.figure(f.metric, f.value, f.unit, f.approx, f.eventType)}`)
      .join("、");
    return {
      kind: "refused",
      text: `${record.branch}已记录${had}，和这次报的${formatRange(record.date)}不是同一时间段，本条没有记录。如原来的数据有误，请先更正原来那条，再报这一天的数字。`,
    };
  }
  if (conflicts.length > 0) {
    const question = conflictQuestion(turn, records, conflicts);
    return { kind: "question", text: await ask(turn, { kind: "day_conflict", question, records, backfill: options.backfill }) };
  }
  const stored = await appendFacts(turn.db, records, { messageId: turn.messageId, actorId: turn.sender.userid });
  return { kind: "report", text: await confirmation(turn, stored, "✅ 已记录") };
}

/** Acts on 改为 / 加上 for a day-counter conflict. Conflicts are looked up again: the ledger may have moved on
 * since the question was asked. */
export async function resolveConflict(turn: Turn, records: NewFact[], mode: "replace" | "add"): Promise<Outcome> {
  const conflicts = await dayCounterConflicts(turn, records);
  const byIndex = new Map(conflicts.map((c) => [c.index, c.existing]));
  const by = { messageId: turn.messageId, actorId: turn.sender.userid };
  const resultIds: number[] = [];
  const changes: string[] = [];
  const stored: Fact[] = [];
  for (const [index, record] of records.entries()) {
    if (record.subsetOf !== undefined) {
      const parentId = resultIds[record.subsetOf];
      const [child] = await appendFacts(turn.db, [{ ...record, subsetOf: undefined, parentId }], by);
      resultIds[index] = child!.id;
      continue;
    }
    const existing = byIndex.get(index);
    if (!existing) {
      const [fact] = await appendFacts(turn.db, [{ ...record, subsetOf: undefined }], by);
      resultIds[index] = fact!.id;
      stored.push(fact!);
      continue;
    }
    const before = sumOf(existing);
    const sameDay = existing.length === 1 && existing[0]!.dateFrom === record.date.from && existing[0]!.dateTo === record.date.to;
    const label = turn.names.label(record.metric, record.eventType);
    const where = `${record.branch} ${formatRange(record.date)}`;
    let fact: Fact;
    // A new breakdown replaces the old one: then the old total goes with its breakdowns instead of carrying them.
    const bringsBreakdown = records.some((r) => r.subsetOf === index);
    if (mode === "replace") {
      if (sameDay && !bringsBreakdown) {
        fact = await replaceFact(turn.db, existing[0]!, { value: record.value, unit: record.unit, approx: record.approx ?? false }, { ...by, reason: "重复报数，回答“改为”" });
      } else {
        // The earlier figures cover other day ranges (周末两天合报): withdraw them and state the new one.
        for (const old of existing) await retractFact(turn.db, old, { ...by, reason: "重复报数，回答“改为”，被新数字取代" });
        [fact] = (await appendFacts(turn.db, [{ ...record, subsetOf: undefined }], { ...by, reason: "重复报数，回答“改为”" })) as [Fact];
      }
      changes.push(`${where} ${label} ${formatNumber(before)} → ${formatNumber(record.value)}${record.unit}`);
    } else {
      const after = Math.round((before + record.value) * 1e6) / 1e6;
      if (sameDay) {
        fact = await replaceFact(
          turn.db,
          existing[0]!,
          { value: after, approx: existing[0]!.approx || (record.approx ?? false) },
          { ...by, reason: `重复报数，回答“加上”：${formatNumber(before)} + ${formatNumber(record.value)}` },
        );
      } else {
        [fact] = (await appendFacts(turn.db, [{ ...record, subsetOf: undefined }], { ...by, reason: "重复报数，回答“加上”" })) as [Fact];
      }
      changes.push(`${where} ${label} ${formatNumber(before)} + ${formatNumber(record.value)} = ${formatNumber(after)}${record.unit}`);
    }
    resultIds[index] = fact.id;
  }
  const head = mode === "replace" ? "✅ 已更正" : "✅ 已加上";
  const also = stored.length ? `；另记录：${stored.map((f) => describeFigure(turn, { ...f, date: { from: f.dateFrom, to: f.dateTo } })).join("、")}` : "";
  return { kind: "answer", text: `${head}：${changes.join("；")}${also}` };
}

/** 「✅ 已记录：城东分馆 11月18日 到馆35人次、借阅86册次（本周累计到馆210人次）」 */
export async function confirmation(turn: Turn, stored: readonly Fact[], head: string): Promise<string> {
  const groups = new Map<string, Fact[]>();
  for (const fact of stored) {
    const key = `${fact.branch}|${fact.dateFrom}|${fact.dateTo}`;
    groups.set(key, [...(groups.get(key) ?? []), fact]);
  }
  const parts: string[] = [];
  for (const facts of groups.values()) {
    const first = facts[0]!;
    const top = facts.filter((f) => f.parentId === null);
    const figures = top.map((f) => {
      const children = facts.filter((c) => c.parentId === f.id);
      const breakdown = children.length
        ? `（其中${children.map((c) => (c.subset && !c.eventType && c.subset !== "其中" ? c.subset : "") + turn.names.figure(c.metric, c.value, c.unit, c.approx, c.eventType)).join("、")}）`
        : "";
      return turn.names.figure(f.metric, f.value, f.unit, f.approx, f.eventType) + breakdown;
    });
    const orphans = facts.filter((f) => f.parentId !== null && !top.some((t) => t.id === f.parentId));
    for (const o of orphans) figures.push(`其中${turn.names.figure(o.metric, o.value, o.unit, o.approx, o.eventType)}`);
    parts.push(`${first.branch} ${formatRange({ from: first.dateFrom, to: first.dateTo })} ${figures.join("、")}`);
  }
  const running = await weekToDate(turn, stored);
  return `${head}：${parts.join("；")}${running ? `（${running}）` : ""}`;
}

/** 本周累计到馆210人次 for the first day counter stored for a day of the current week, saying which days are
 * missing when the branch has gaps: a running total with gaps is never presented as complete. */
async function weekToDate(turn: Turn, stored: readonly Fact[]): Promise<string | undefined> {
  const monday = mondayOf(turn.today);
  const fact = stored.find((f) => f.parentId === null && turn.info(f.metric)?.behaviour === "day_counter" && f.dateFrom >= monday && f.dateTo <= turn.today);
  if (!fact) return undefined;
  const week = { from: monday, to: turn.today };
  const facts = await loadEffectiveFacts(turn.db, { from: week.from, to: week.to, metrics: [fact.metric], branches: [fact.branch] });
  const total = totalFor(facts, { metric: fact.metric, period: week, branch: fact.branch }, turn.info);
  if (total.factIds.length <= 1 || total.value === null) return undefined;
  const openDays = await loadOpenDays(turn.db, turn.site, turn.holidays, week);
  const coverage = dayCounterCoverage({ facts, metrics: [fact.metric], period: week, today: turn.today, ...coverageOver(openDays, week, fact.branch) });
  const label = turn.names.label(fact.metric);
  const value = `${total.approx ? "约" : ""}${formatNumber(total.value)}${total.unit}`;
  const missing = coverage.branches[0]?.missing ?? [];
  if (missing.length === 0) return `本周累计${label}${value}`;
  return `本周已报${label}${value}，${missingDays(missing, turn.today)}未报`;
}

/** A message that says 补报/补录 expects an old day. */
export function saysBackfill(text: string): boolean {
  return /补报|补录|补记|补发|补一下|补上/.test(text);
}
