// Corrections: find the fact meant, check the sender may change it, and write a new fact superseding it, with
// who and why. The reply shows the change as a diff (35 → 53人次) so the sender sees exactly what moved.
import type { Fact } from "../db/open.js";
import type { ParsedCorrection } from "../parsing/types.js";
import { addDays, formatRange } from "../records/dates.js";
import { AlreadySupersededError, findEffective, findOverlapping, lastReportedBy, replaceFact, retractFact } from "../records/ledger.js";
import { formatNumber } from "./format.js";
import { isManager, mayCorrect, mayReportFor } from "./people.js";
import { describeFigure, type Outcome, type Turn } from "./turn.js";

function describeStored(turn: Turn, fact: Fact): string {
  return describeFigure(turn, { ...fact, date: { from: fact.dateFrom, to: fact.dateTo } });
}

async function findTargets(turn: Turn, correction: ParsedCorrection): Promise<Fact[]> {
  const target = correction.target;
  const explicit = target.date !== undefined || target.branch !== undefined;
  if (target.last || !explicit) {
    // 再加上自助机的17册 names no metric but a unit: the sender's latest figure in that unit is meant, not simply
    // the latest figure (which may be 到馆).
    const family = target.metric ? undefined : unitFamily(turn.text);
    if (family) {
      const recent = await findEffective(turn.db, { actorId: turn.sender.userid, value: target.oldValue, date: { from: addDays(turn.today, -62), to: turn.today } });
      const latest = recent.filter((f) => f.unit.startsWith(family)).at(-1);
      return latest ? recent.filter((f) => f.messageId === latest.messageId && f.unit.startsWith(family)) : [];
    }
    const last = await lastReportedBy(turn.db, turn.sender.userid, { metric: target.metric, value: target.oldValue });
    // 上一条的42改成24: the old value names the fact; fall back to the last report when it names none.
    if (last.length > 0 || target.oldValue === undefined) return last;
    return lastReportedBy(turn.db, turn.sender.userid, { metric: target.metric });
  }
  // Staff mean their own branch when they name none; a manager without a branch means any branch.
  const branch = target.branch ?? (isManager(turn.sender) ? undefined : turn.sender.branch);
  return findEffective(turn.db, { metric: target.metric, branch, date: target.date, value: target.oldValue });
}

function notFound(turn: Turn, correction: ParsedCorrection): string {
  const t = correction.target;
  const what = [t.branch, t.date ? formatRange(t.date) : undefined, t.metric ? turn.names.label(t.metric) : undefined, t.oldValue !== undefined ? formatNumber(t.oldValue) : undefined]
    .filter(Boolean)
    .join(" ");
  return what ? `没有找到要更正的记录（${what}），没有改动。请说明日期、馆和指标，例如“更正：昨天到馆应为142人”。` : "没有找到您最近报的记录，没有改动。";
}

export async function handleCorrection(turn: Turn, correction: ParsedCorrection): Promise<Outcome> {
  const targets = await findTargets(turn, correction);
  if (targets.length === 0) return { kind: "correction", text: notFound(turn, correction) };
  const forbidden = targets.filter((f) => !mayCorrect(turn.sender, f));
  if (forbidden.length > 0) {
    return {
      kind: "refused",
      text: `抱歉，${forbidden.map((f) => describeStored(turn, f)).join("、")}不是您馆报的，没有改动。如有出入，请告诉${[...new Set(forbidden.map((f) => f.branch))].join("、")}的同事或馆领导更正。`,
    };
  }
  const by = { messageId: turn.messageId, actorId: turn.sender.userid, reason: turn.text };
  try {
    if (correction.action === "retract") {
      for (const fact of targets) await retractFact(turn.db, fact, by);
      return { kind: "correction", text: `✅ 已撤销：${targets.map((f) => describeStored(turn, f)).join("、")}` };
    }
    const narrowed = targets.length > 1 ? narrowByUnit(turn.text, targets) : targets;
    if (narrowed.length === 1) return await applyOne(turn, narrowed[0]!, correction, by);
    if (targets.length > 1) {
      return {
        kind: "correction",
        text: `找到${targets.length}条记录：${targets.map((f) => describeStored(turn, f)).join("；")}。请说明要改哪一条（例如“更正：${formatRange({ from: targets[0]!.dateFrom, to: targets[0]!.dateTo })}${turn.names.label(targets[0]!.metric)}应为…”）。`,
      };
    }
    const fact = targets[0]!;
    return await applyOne(turn, fact, correction, by);
  } catch (error) {
    if (error instanceof AlreadySupersededError) {
      return { kind: "correction", text: "这条记录刚刚已被别人更正或撤销，没有改动。请查看最新数字后再试。" };
    }
    throw error;
  }
}

async function applyOne(turn: Turn, fact: Fact, correction: ParsedCorrection, by: { messageId: number; actorId: string; reason: string }): Promise<Outcome> {
  const where = `${fact.branch} ${formatRange({ from: fact.dateFrom, to: fact.dateTo })}`;
  const label = turn.names.label(fact.metric, fact.eventType);
  switch (correction.action) {
    case "replace": {
      if (correction.value === undefined) return { kind: "correction", text: `请说明${where} ${label}应改为多少。` };
      await replaceFact(turn.db, fact, { value: correction.value, approx: false }, by);
      return { kind: "correction", text: `✅ 已更正：${where} ${label} ${formatNumber(fact.value)} → ${formatNumber(correction.value)}${fact.unit}` };
    }
    case "increment": {
      if (correction.value === undefined) return { kind: "correction", text: `请说明${where} ${label}要加多少。` };
      const after = Math.round((fact.value + correction.value) * 1e6) / 1e6;
      await replaceFact(turn.db, fact, { value: after }, by);
      const sign = correction.value < 0 ? "-" : "+";
      return {
        kind: "correction",
        text: `✅ 已更正：${where} ${label} ${formatNumber(fact.value)} ${sign} ${formatNumber(Math.abs(correction.value))} = ${formatNumber(after)}${fact.unit}`,
      };
    }
    case "redate": {
      const newDate = correction.newDate;
      if (!newDate) return { kind: "correction", text: `请说明${describeStored(turn, fact)}应该是哪一天的。` };
      if (newDate.to > turn.today) return { kind: "correction", text: `${formatRange(newDate)}还没到，没有改动。` };
      if (newDate.from === fact.dateFrom && newDate.to === fact.dateTo) {
        return { kind: "correction", text: `${describeStored(turn, fact)}本来就记在这一天，没有改动。` };
      }
      const clash = await dayCounterClash(turn, fact.metric, fact.branch, newDate, fact.id);
      if (clash) return { kind: "correction", text: `${fact.branch} ${formatRange(newDate)}已有${clash}，没有改动。请先更正或撤销那一条。` };
      await replaceFact(turn.db, fact, { date: newDate }, by);
      return { kind: "correction", text: `✅ 已更正：${fact.branch} ${label}${formatNumber(fact.value)}${fact.unit}，日期 ${formatRange({ from: fact.dateFrom, to: fact.dateTo })} → ${formatRange(newDate)}` };
    }
    case "recategorize": {
      const metric = correction.newMetric ?? fact.metric;
      const branch = correction.newBranch ?? fact.branch;
      const eventType = correction.newEventType ?? fact.eventType;
      const info = turn.info(metric);
      if (!info) return { kind: "correction", text: `还不认识“${metric}”这个指标，没有改动。` };
      if (!mayReportFor(turn.sender, branch)) {
        return { kind: "refused", text: `抱歉，您不能为${branch}报数，没有改动。` };
      }
      const clash = await dayCounterClash(turn, metric, branch, { from: fact.dateFrom, to: fact.dateTo }, fact.id);
      if (clash) return { kind: "correction", text: `${branch} ${formatRange({ from: fact.dateFrom, to: fact.dateTo })}已有${clash}，没有改动。请先更正那一条。` };
      // The value stays; a new metric takes its own canonical unit (1700元 not 1700册).
      const replacement = await replaceFact(turn.db, fact, { metric, unit: info.unit, branch, eventType }, by);
      return {
        kind: "correction",
        text: `✅ 已更正：${describeStored(turn, fact)} → ${describeStored(turn, replacement)}`,
      };
    }
    default:
      return { kind: "correction", text: "没看懂要怎样更正，没有改动。可以说“更正：今天到馆应为142人”或“撤销上一条”。" };
  }
}

/** The unit after a number (17册 → 册, 26人 → 人), as the start of canonical units (册次, 人次). */
function unitFamily(text: string): string | undefined {
  const unit = /\d\s*(人次|人|位|名|册次|册|本|场|元)/.exec(text)?.[1];
  if (!unit) return undefined;
  return /人|位|名/.test(unit) ? "人" : /册|本/.test(unit) ? "册" : unit;
}

/** 「到馆35人，借阅80册」 then 「借阅…17册」: the unit says which of several figures is meant. */
function narrowByUnit(text: string, targets: readonly Fact[]): Fact[] {
  const family = unitFamily(text);
  return family ? targets.filter((f) => f.unit.startsWith(family)) : [...targets];
}

/** A day counter already recorded for that metric, branch and day by another fact: moving a figure onto it would
 * silently add two day totals. */
async function dayCounterClash(turn: Turn, metric: string, branch: string, date: { from: string; to: string }, except: number): Promise<string | undefined> {
  if (turn.info(metric)?.behaviour !== "day_counter") return undefined;
  const existing = (await findOverlapping(turn.db, { metric, branch, date })).filter((f) => f.id !== except);
  if (existing.length === 0) return undefined;
  return existing.map((f) => turn.names.figure(f.metric, f.value, f.unit, f.approx, f.eventType)).join("、");
}
