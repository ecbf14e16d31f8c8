// Answers to questions about the figures: totals, by event type, 同比/环比, rank of branches, missing reports and
// 汇总. Every answer says the period it covers and, for day counters, whether every branch has reported: a
// partial total is always called 已报 and never 共.
import type { HolidayCalendar } from "../calendar/holidays.js";
import { loadOpenDays } from "../calendar/closures.js";
import { coverageOver, siteBranches } from "../calendar/open-days.js";
import type { SiteConfig } from "../config/site.js";
import type { Catalogue, DayRange, IsoDate, ParsedQuery } from "../parsing/types.js";
import { clipTo, formatDay } from "../records/dates.js";
import { loadEffectiveFacts } from "../records/facts.js";
import type { DbClient } from "../records/ledger.js";
import {
  compareTotals,
  dayCounterCoverage,
  likeForLike,
  metricInfoFrom,
  rankBranches,
  totalFor,
  totalsByBranch,
  totalsByMetric,
  type Coverage,
  type MetricInfoLookup,
  type MetricTotal,
} from "../records/totals.js";
import { unreportedNote } from "../digests/format.js";
import { formatNumber, formatPercent, formatRange, labeller, missingDays, type Labeller } from "./format.js";
import { isManager, mayQuery, type Sender } from "./people.js";

export interface AnswerContext {
  prisma: DbClient;
  site: SiteConfig;
  /** Statutory holidays and 调休: a holiday is not a day missing a report. */
  holidays: HolidayCalendar;
  catalogue: Catalogue;
  sender: Sender;
  today: IsoDate;
  /** The question as typed: 全馆 asks for the whole network even when no branch is named. */
  text?: string;
}

const NETWORK_WORDS = /全馆|全区|全市|全县|各馆|各分馆|所有馆|全部馆|总分馆/;

interface Scope {
  ctx: AnswerContext;
  info: MetricInfoLookup;
  names: Labeller;
  /** The asked period cut at today. */
  period: DayRange;
  /** 本月（11月1日至18日） */
  periodText: string;
  branch?: string;
  /** 城东分馆 / 全馆 */
  where: string;
}

/** A range in another year says which year (去年同期 must not read like this year). */
function rangeWithYear(range: DayRange, today: IsoDate): string {
  const text = formatRange(range);
  return range.from.slice(0, 4) === today.slice(0, 4) || text.includes("年") ? text : `${range.from.slice(0, 4)}年${text}`;
}

/** 「总馆今天未报」「城西分馆11月17日未报」「少儿馆有16天未报」; without the branch when the answer is about one;
 * 「总馆还没报」 when the question is about a single day, which the answer has already named. */
function gapText(branch: string | undefined, days: readonly IsoDate[], today: IsoDate, detail = false, oneDay = false): string {
  if (oneDay) return `${branch ?? ""}还没报`;
  const when = missingDays(days, today, detail);
  return `${branch ?? ""}${days.length > 3 && !detail ? "有" : ""}${when}未报`;
}

/** 「总馆今天未报，城西分馆11月17日未报」 or 「各馆均已报齐」. */
export function coverageText(coverage: Coverage, today: IsoDate, oneDay = false): string {
  const single = coverage.branches.length === 1;
  if (coverage.isComplete) return single ? "已报齐" : "各馆均已报齐";
  return coverage.branches
    .filter((b) => b.missing.length > 0)
    .map((b) => gapText(single ? undefined : b.branch, b.missing, today, false, oneDay))
    .join("，");
}

/** 「4个馆缺报，共60天」 / 「城东分馆缺报2天」 — for answers that already carry two periods. */
function coverageBrief(coverage: Coverage): string {
  const days = coverage.branches.reduce((n, b) => n + b.missing.length, 0);
  const names = coverage.incomplete;
  return names.length === 1 ? `${names[0]}缺报${days}天` : `${names.length}个馆缺报，共${days}天`;
}

/** What the earlier period of a comparison is called: 去年同期, 上周同期, 上月同期. */
function previousName(kind: "yoy" | "mom", periodLabel: string | undefined): string {
  if (kind === "yoy") return "去年同期";
  if (periodLabel?.includes("周")) return "上周同期";
  if (periodLabel?.includes("季度")) return "上季度同期";
  if (periodLabel?.includes("月")) return "上月同期";
  return "上期";
}

function siteBranchNames(site: SiteConfig): string[] {
  return siteBranches(site).map((b) => b.name);
}

async function coverageFor(scope: Scope, metrics: readonly string[], facts: Parameters<typeof dayCounterCoverage>[0]["facts"]): Promise<Coverage> {
  const { site, prisma, holidays } = scope.ctx;
  const openDays = await loadOpenDays(prisma, site, holidays, scope.period);
  return dayCounterCoverage({ facts, metrics, period: scope.period, today: scope.ctx.today, ...coverageOver(openDays, scope.period, scope.branch) });
}

function caveats(total: MetricTotal): string[] {
  const notes: string[] = [];
  if (total.straddlingIds.length > 0) notes.push(`另有${total.straddlingIds.length}条跨时段合报的数据未计入`);
  for (const [unit, value] of Object.entries(total.otherUnits)) notes.push(`另有${formatNumber(value)}${unit}未折算计入`);
  return notes;
}

function withNotes(sentence: string, notes: readonly string[]): string {
  return notes.length ? `${sentence}；${notes.join("；")}。` : `${sentence}。`;
}

async function answerTotal(scope: Scope, query: ParsedQuery): Promise<string> {
  const metric = query.metric;
  const behaviour = scope.info(metric)?.behaviour;
  const label = scope.names.label(metric, query.eventType);
  const facts = await loadEffectiveFacts(scope.ctx.prisma, {
    from: scope.period.from,
    to: scope.period.to,
    metrics: [metric],
    ...(scope.branch ? { branches: [scope.branch] } : {}),
    includeSubsets: query.eventType !== undefined,
  });
  const total = totalFor(facts, { metric, period: scope.period, branch: scope.branch, eventType: query.eventType }, scope.info);
  const unit = total.unit;
  const head = `${scope.periodText}${scope.where}`;
  if (behaviour === "rate" || behaviour === "derived") {
    return `${scope.names.label(metric)}是比率或推算值，不能按时段相加，请问具体某天或某馆的数值。`;
  }
  if (behaviour === "stock") {
    if (total.value === null) return `${head}还没有${label}的记录。`;
    const missing = scope.branch ? [] : siteBranchNames(scope.ctx.site).filter((b) => !total.branches.includes(b));
    const notes = missing.length ? [`${missing.join("、")}没有报过${label}，未计入`] : [];
    return withNotes(`${head}${label}最新为${total.approx ? "约" : ""}${formatNumber(total.value)}${unit}（截至${formatDay(total.asOf!)}）`, notes);
  }
  const value = `${total.approx ? "约" : ""}${formatNumber(total.value ?? 0)}${unit}`;
  if (behaviour === "day_counter") {
    const coverage = await coverageFor(scope, [metric], facts);
    if (total.factIds.length === 0) return withNotes(`${head}还没有${label}的记录`, [coverageText(coverage, scope.ctx.today, scope.period.from === scope.period.to), ...caveats(total)]);
    // 共 only for a complete exact total: 共约 is not written, and a partial total is 已报.
    if (coverage.isComplete) return withNotes(`${head}${label}${total.approx ? "" : "共"}${value}，${coverageText(coverage, scope.ctx.today, scope.period.from === scope.period.to)}`, caveats(total));
    return withNotes(`${head}${label}已报${value}；${coverageText(coverage, scope.ctx.today, scope.period.from === scope.period.to)}`, caveats(total));
  }
  // Additive metrics have no daily report to miss: the figure is what has been recorded, and says so.
  if (total.factIds.length === 0) return withNotes(`${head}还没有${label}的记录`, caveats(total));
  return withNotes(`${head}已记录${label}${value}`, caveats(total));
}

async function answerCompare(scope: Scope, query: ParsedQuery): Promise<string> {
  const kind = query.compare ?? "yoy";
  const word = kind === "yoy" ? "同比" : "环比";
  const periods = likeForLike(query.period, scope.ctx.today, kind);
  if (!periods) return `${scope.periodText}还没开始，无法${word}。`;
  const metric = query.metric;
  const label = scope.names.label(metric, query.eventType);
  const load = (period: DayRange) =>
    loadEffectiveFacts(scope.ctx.prisma, {
      from: period.from,
      to: period.to,
      metrics: [metric],
      ...(scope.branch ? { branches: [scope.branch] } : {}),
      includeSubsets: query.eventType !== undefined,
    });
  const [nowFacts, beforeFacts] = await Promise.all([load(periods.current), load(periods.previous)]);
  const q = { metric, branch: scope.branch, eventType: query.eventType };
  const current = totalFor(nowFacts, { ...q, period: periods.current }, scope.info);
  const previous = totalFor(beforeFacts, { ...q, period: periods.previous }, scope.info);
  const comparison = compareTotals(current, previous);
  const unit = current.unit;
  const earlier = previousName(kind, query.periodLabel);
  const earlierRange = rangeWithYear(periods.previous, scope.ctx.today);
  const head = `${scope.periodText}${scope.where}${label}${formatNumber(current.value ?? 0)}${unit}`;
  const notes: string[] = [];
  if (scope.info(metric)?.behaviour === "day_counter") {
    const [nowCoverage, beforeCoverage] = await Promise.all([
      coverageFor({ ...scope, period: periods.current }, [metric], nowFacts),
      coverageFor({ ...scope, period: periods.previous }, [metric], beforeFacts),
    ]);
    // Both sides in brief: the full list of gaps is one question away (“本月哪些馆没报？”).
    if (!nowCoverage.isComplete) notes.push(`本期${coverageBrief(nowCoverage)}`);
    if (!beforeCoverage.isComplete && previous.factIds.length) notes.push(`${earlier}${coverageBrief(beforeCoverage)}`);
  }
  if (current.factIds.length === 0) {
    const before = previous.factIds.length ? `（${earlierRange}为${formatNumber(previous.value ?? 0)}${unit}）` : "";
    return withNotes(`${scope.periodText}${scope.where}${label}暂无记录，无法${word}${before}`, notes);
  }
  if (comparison.change === null) {
    return withNotes(`${head}；${earlier}（${earlierRange}）没有记录，无法${word}`, notes);
  }
  const direction = comparison.change > 0 ? "增长" : comparison.change < 0 ? "下降" : "持平";
  const ratio = comparison.ratio === null ? "" : direction === "持平" ? "" : formatPercent(comparison.ratio);
  return withNotes(
    `${head}，${word}${direction}${ratio}（${earlierRange}为${formatNumber(previous.value ?? 0)}${unit}）`,
    notes,
  );
}

async function answerRank(scope: Scope, query: ParsedQuery): Promise<string> {
  const metric = query.metric === "all" ? "visits" : query.metric;
  const label = scope.names.label(metric, query.eventType);
  const facts = await loadEffectiveFacts(scope.ctx.prisma, {
    from: scope.period.from,
    to: scope.period.to,
    metrics: [metric],
    includeSubsets: query.eventType !== undefined,
  });
  const ranks = rankBranches(totalsByBranch(facts, { metric, period: scope.period, eventType: query.eventType }, scope.info));
  const isDayCounter = scope.info(metric)?.behaviour === "day_counter";
  const coverage = isDayCounter ? await coverageFor({ ...scope, branch: undefined }, [metric], facts) : undefined;
  const missingOf = new Map(coverage?.branches.map((b) => [b.branch, b.missing]) ?? []);
  const rows = ranks.map((r) => {
    const missing = missingOf.get(r.branch) ?? [];
    const gap = missing.length ? `（${missingDays(missing, scope.ctx.today)}未报）` : "";
    return `${r.rank}.${r.branch}${r.total.approx ? "约" : ""}${formatNumber(r.total.value!)}${r.total.unit}${gap}`;
  });
  const absent = siteBranchNames(scope.ctx.site).filter((b) => !ranks.some((r) => r.branch === b));
  const tail = absent.length ? `；${absent.join("、")}暂无记录` : "";
  if (rows.length === 0) return `${scope.periodText}还没有${label}的记录，无法排名。`;
  return `${scope.periodText}${label}排名：${rows.join("；")}${tail}。`;
}

function dayCounterMetrics(catalogue: Catalogue): string[] {
  return catalogue.metrics.filter((m) => m.behaviour === "day_counter").map((m) => m.key);
}

async function answerMissing(scope: Scope, query: ParsedQuery): Promise<string> {
  const metrics = query.metric === "all" ? dayCounterMetrics(scope.ctx.catalogue) : [query.metric];
  const facts = await loadEffectiveFacts(scope.ctx.prisma, {
    from: scope.period.from,
    to: scope.period.to,
    metrics,
    ...(scope.branch ? { branches: [scope.branch] } : {}),
  });
  const coverage = await coverageFor(scope, metrics, facts);
  const what = query.metric === "all" ? "" : scope.names.label(query.metric);
  if (coverage.isComplete) {
    return coverage.branches.length > 1 ? `${scope.periodText}各馆${what}均已报齐。` : `${scope.periodText}${scope.where}${what}已报齐。`;
  }
  const gaps = coverage.branches
    .filter((b) => b.missing.length > 0)
    .map((b) => gapText(b.branch, b.missing, scope.ctx.today, true, scope.period.from === scope.period.to));
  const rest = coverage.complete.length ? [`其余${coverage.complete.length}个馆已报齐`] : [];
  return `${scope.periodText}${what ? `${what}：` : ""}${[...gaps, ...rest].join("，")}。`;
}

async function answerSummary(scope: Scope): Promise<string> {
  const facts = await loadEffectiveFacts(scope.ctx.prisma, {
    from: scope.period.from,
    to: scope.period.to,
    ...(scope.branch ? { branches: [scope.branch] } : {}),
  });
  const byMetric = totalsByMetric(facts, { period: scope.period, branch: scope.branch }, scope.info);
  const order = new Map(scope.ctx.catalogue.metrics.map((m, i) => [m.key, i]));
  const parts = [...byMetric.values()]
    .filter((t) => t.value !== null && t.factIds.length > 0)
    .sort((a, b) => (order.get(a.metric) ?? 999) - (order.get(b.metric) ?? 999))
    .map((t) => {
      // A network stock is the sum of the branches' latest values: 馆藏346000册（截至11月18日，不含城西分馆，该馆未报）.
      const missing = t.behaviour === "stock" && !scope.branch ? siteBranchNames(scope.ctx.site).filter((b) => !t.branches.includes(b)) : [];
      const stockNote = t.behaviour === "stock" ? `（截至${formatDay(t.asOf!)}${missing.length ? `，${unreportedNote(missing)}` : ""}）` : "";
      return `${scope.names.label(t.metric)}${t.approx ? "约" : ""}${formatNumber(t.value!)}${t.unit}${stockNote}`;
    });
  const head = `${scope.periodText}${scope.where}汇总`;
  if (parts.length === 0) return `${head}：还没有任何记录。`;
  const coverage = await coverageFor(scope, dayCounterMetrics(scope.ctx.catalogue), facts);
  const straddling = [...byMetric.values()].reduce((n, t) => n + t.straddlingIds.length, 0);
  const notes = [
    coverage.isComplete
      ? coverage.branches.length === 1
        ? "每日数据已报齐"
        : "各馆每日数据均已报齐"
      : coverageText(coverage, scope.ctx.today, scope.period.from === scope.period.to),
    ...(straddling ? [`另有${straddling}条跨时段合报的数据未计入`] : []),
  ];
  // A partial 汇总 says 已报, as a partial total does.
  const lead = coverage.isComplete ? `${head}：` : `${scope.periodText}${scope.where}已报：`;
  return `${lead}${parts.join("、")}；${notes.join("；")}。`;
}

/** One answer per query, one line each. */
export async function answerQuery(ctx: AnswerContext, query: ParsedQuery): Promise<string> {
  const names = labeller(ctx.catalogue);
  const info = metricInfoFrom(ctx.catalogue);
  const networkAsked = !query.branch && NETWORK_WORDS.test(ctx.text ?? "");
  const branch = query.branch ?? (isManager(ctx.sender) || networkAsked ? undefined : ctx.sender.branch);
  if (!mayQuery(ctx.sender, branch)) {
    const own = ctx.sender.reportsFor.join("、");
    return own
      ? `抱歉，${branch ?? "全馆"}的统计只对馆领导开放；您可以查询${own}的数据，例如“${ctx.sender.reportsFor[0]}本月到馆多少人？”。`
      : "抱歉，统计查询只对馆领导和各馆报数人员开放。";
  }
  if (query.metric !== "all" && !info(query.metric)) return `还不认识“${query.metric}”这个指标。`;
  const period = clipTo(query.period, ctx.today);
  const label = query.periodLabel ?? "";
  if (!period) return `${label || formatRange(query.period)}还没开始，暂无数据。`;
  // The label says what was asked (本月), the range what the figure covers so far (11月1日至18日).
  const periodText = label ? `${label}（${formatRange(period)}）` : formatRange(period);
  const scope: Scope = { ctx, info, names, period, periodText, branch, where: branch ?? "全馆" };
  switch (query.aggregation) {
    case "compare":
      return answerCompare(scope, query);
    case "rank":
      return answerRank(scope, query);
    case "missing":
      return answerMissing(scope, query);
    case "summary":
      return answerSummary(scope);
    default:
      return query.metric === "all" ? answerSummary(scope) : answerTotal(scope, query);
  }
}
