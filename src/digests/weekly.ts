// The weekly digest (周报简报): last week's figures as a short markdown post for the staff group. Pure: the facts
// for the week, the week before, the same week last year and the year to date are passed in, with the open days.
// It is a digest, not a 总结 (summary-structure.md §6): bullet lines, the change against last week, who did not
// report, the week's activities, progress against the year's targets.
import type { IsoDate } from "../parsing/types.js";
import { daysBetween, eachDay, formatDay, formatRange } from "../records/dates.js";
import { compareTotals, dayCounterCoverage, type MetricTotal } from "../records/totals.js";
import { coverageOver, type OpenDays } from "../calendar/open-days.js";
import { changeArrow, dayList, digits, percent, quantity, quoteName, unreportedNote } from "./format.js";
import { unfinishedAsOf, type Period } from "./periods.js";
import { dayCounterWords, hasValue, type DigestFact, type Tally, type TraceEntry } from "./tally.js";

export interface WeeklyDigestInput {
  libraryName: string;
  week: Period;
  tally: Tally;
  /** Effective facts, 其中 breakdowns included, overlapping each range. */
  facts: {
    week: readonly DigestFact[];
    previousWeek: readonly DigestFact[];
    sameWeekLastYear: readonly DigestFact[];
    /** 1 January of the week's end year to the week's end (for targets). */
    yearToDate: readonly DigestFact[];
  };
  previousWeek: Period;
  sameWeekLastYear: Period;
  openDays: OpenDays;
  /** This year's targets: metric → annual figure. */
  targets: Readonly<Record<string, number>>;
  /** The library day it is now: coverage does not expect days after it (default: the week's last day). */
  today?: IsoDate;
  /** Overrides the 截至 day (a request in chat on the week's last day, which is still under way). */
  asOf?: IsoDate;
}

export interface DigestSection {
  /** Bold heading line; empty for the title block. */
  heading: string;
  lines: string[];
}

export interface ChartSeries {
  name: string;
  values: number[];
}

export interface WeekChartData {
  title: string;
  unit: string;
  /** 周一 11/16 … */
  categories: string[];
  series: ChartSeries[];
}

export interface WeeklyDigest {
  title: string;
  sections: DigestSection[];
  trace: TraceEntry[];
  chart?: WeekChartData;
}

/** Events and attendance get their own section (with the breakdown by type), not a line among the totals. */
const ACTIVITY_METRICS = new Set(["events", "event_attendance"]);
const WEEKDAY_SHORT = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];

function metricLabel(tally: Tally, key: string): string {
  return tally.metric(key)?.shortName ?? key;
}

function figureText(total: MetricTotal): string {
  const main = quantity({ value: total.value!, unit: total.unit, approx: total.approx });
  const others = Object.entries(total.otherUnits).map(([unit, value]) => `${digits(value)}${unit}`);
  return others.length ? `${main}（另有${others.join("、")}）` : main;
}

function totalsSection(input: WeeklyDigestInput, trace: TraceEntry[]): DigestSection | undefined {
  const { tally, week, facts } = input;
  const keys = tally.order(facts.week.filter((f) => f.parentId === null).map((f) => f.metric)).filter((k) => !ACTIVITY_METRICS.has(k));
  const lines: string[] = [];
  let straddling = false;
  for (const key of keys) {
    const total = tally.total(facts.week, key, week.range);
    if (total.straddlingIds.length) straddling = true;
    if (!hasValue(total)) continue;
    const parts = [`${metricLabel(tally, key)}：${figureText(total)}`];
    trace.push({ figure: `${week.id} ${metricLabel(tally, key)} ${figureText(total)}`, factIds: total.factIds });
    if (total.behaviour === "stock") {
      // The network stock is the sum of the branches' latest values: say who is not in it.
      const missing = input.openDays.branches.filter((b) => !total.branches.includes(b));
      parts[0] = `${metricLabel(tally, key)}：截至${formatDay(total.asOf!)}${figureText(total)}${missing.length ? `（${unreportedNote(missing)}）` : ""}`;
    } else {
      const previous = tally.total(facts.previousWeek, key, input.previousWeek.range);
      const mom = hasValue(previous) ? changeArrow(compareTotals(total, previous)) : undefined;
      if (mom) {
        parts.push(`环比${mom}`);
        trace.push({ figure: `${input.previousWeek.id} ${metricLabel(tally, key)} ${figureText(previous)}`, factIds: previous.factIds });
      }
      const lastYear = tally.total(facts.sameWeekLastYear, key, input.sameWeekLastYear.range);
      const yoy = hasValue(lastYear) ? changeArrow(compareTotals(total, lastYear)) : undefined;
      if (yoy) {
        parts.push(`同比${yoy}`);
        trace.push({ figure: `${input.sameWeekLastYear.id} ${metricLabel(tally, key)} ${figureText(lastYear)}`, factIds: lastYear.factIds });
      }
    }
    lines.push(`- ${parts.join("，")}`);
  }
  if (straddling) lines.push("- 另有跨周报送的合计数，未计入本周");
  return lines.length ? { heading: "本周合计", lines } : undefined;
}

function branchSection(input: WeeklyDigestInput): DigestSection | undefined {
  const { tally, week, facts } = input;
  const dayCounters = tally.order(
    facts.week.filter((f) => f.parentId === null && tally.metric(f.metric)?.behaviour === "day_counter").map((f) => f.metric),
  );
  const branches = [...input.openDays.branches, ...new Set(facts.week.map((f) => f.branch))].filter((b, i, all) => all.indexOf(b) === i);
  const lines: string[] = [];
  for (const branch of branches) {
    const parts = dayCounters
      .map((key) => ({ key, total: tally.total(facts.week, key, week.range, { branch }) }))
      .filter(({ total }) => hasValue(total))
      .map(({ key, total }) => `${metricLabel(tally, key)}${figureText(total)}`);
    if (parts.length) lines.push(`- ${branch}：${parts.join("，")}`);
  }
  // One branch only: the totals already say it.
  return lines.length > 1 ? { heading: "各馆情况", lines } : undefined;
}

function coverageSection(input: WeeklyDigestInput): DigestSection {
  const { week, facts } = input;
  const dayCounters = input.tally.catalogue.metrics.filter((m) => m.behaviour === "day_counter").map((m) => m.key);
  const coverage = dayCounterCoverage({
    facts: facts.week,
    metrics: dayCounters,
    period: week.range,
    today: input.today && input.today < week.range.to ? input.today : week.range.to,
    ...coverageOver(input.openDays, week.range),
  });
  // A branch silent all week while others reported is missing from every day-counter total above: say so. When
  // nobody reported, there are no such totals (本周没有收到数据报送).
  const anyReported = coverage.branches.some((b) => b.reported.length > 0);
  const lines = coverage.branches
    .filter((b) => b.missing.length > 0)
    .map((b) =>
      b.reported.length > 0
        ? `- ${b.branch}：${dayList(b.missing)}未报`
        : `- ${b.branch}：本周开放日均未报送${anyReported ? `，${dayCounterWords(input.tally, facts.week, week.range) || "每日数据"}合计不含该馆` : ""}`,
    );
  // A branch closed all week had nothing to send: it is not among those that "reported".
  const closedAllWeek = coverage.branches.filter((b) => b.expected.length === 0).map((b) => b.branch);
  const reporters = coverage.complete.filter((b) => !closedAllWeek.includes(b));
  if (lines.length === 0 && closedAllWeek.length === 0) lines.push("- 各馆开放日均已报送");
  else if (lines.length === 0 && reporters.length) lines.push(`- ${reporters.join("、")}开放日均已报送`);
  else if (reporters.length) lines.push(`- 其余各馆（${reporters.join("、")}）均已报送`);
  if (closedAllWeek.length) lines.push(`- ${closedAllWeek.join("、")}本周闭馆，无需报送`);
  return { heading: "报送情况", lines };
}

function activitySection(input: WeeklyDigestInput, trace: TraceEntry[]): DigestSection | undefined {
  const { tally, week, facts } = input;
  const events = tally.total(facts.week, "events", week.range);
  const attendance = tally.total(facts.week, "event_attendance", week.range);
  if (!hasValue(events) && !hasValue(attendance)) return undefined;
  const lines: string[] = [];
  const head: string[] = [];
  if (hasValue(events)) {
    // 共举办活动9场, but 举办活动约9场: 共 is not written before an approximate figure.
    head.push(`${events.approx ? "" : "共"}举办活动${figureText(events)}`);
    trace.push({ figure: `${week.id} 活动 ${figureText(events)}`, factIds: events.factIds });
  }
  if (hasValue(attendance)) {
    head.push(`参与${figureText(attendance)}`);
    trace.push({ figure: `${week.id} 活动参与 ${figureText(attendance)}`, factIds: attendance.factIds });
  }
  lines.push(`- ${head.join("，")}`);
  const types = [...new Set(facts.week.filter((f) => ACTIVITY_METRICS.has(f.metric) && f.eventType).map((f) => f.eventType!))];
  for (const type of types) {
    const typed = tally.total(facts.week, "events", week.range, { eventType: type });
    const typedAttendance = tally.total(facts.week, "event_attendance", week.range, { eventType: type });
    const names = [
      ...new Set(
        facts.week
          .filter((f) => ACTIVITY_METRICS.has(f.metric) && f.eventType === type && f.eventName && week.range.from <= f.dateFrom && f.dateTo <= week.range.to)
          .map((f) => quoteName(f.eventName!)),
      ),
    ];
    const parts: string[] = [];
    if (hasValue(typed)) {
      parts.push(`${tally.eventTypeName(type)}${figureText(typed)}`);
      trace.push({ figure: `${week.id} ${tally.eventTypeName(type)} ${figureText(typed)}`, factIds: typed.factIds });
    } else {
      parts.push(tally.eventTypeName(type));
    }
    if (hasValue(typedAttendance)) {
      parts.push(`参与${figureText(typedAttendance)}`);
      trace.push({ figure: `${week.id} ${tally.eventTypeName(type)}参与 ${figureText(typedAttendance)}`, factIds: typedAttendance.factIds });
    }
    lines.push(`- ${parts.join("，")}${names.length ? `：${names.join("、")}` : ""}`);
  }
  return { heading: "活动开展", lines };
}

function targetSection(input: WeeklyDigestInput, trace: TraceEntry[]): DigestSection | undefined {
  const { tally, week, facts, targets } = input;
  const keys = tally.order(Object.keys(targets));
  if (keys.length === 0) return undefined;
  const year = week.range.to.slice(0, 4);
  const ytd = { from: `${year}-01-01`, to: week.range.to };
  const daysInYear = daysBetween(`${year}-01-01`, `${year}-12-31`) + 1;
  // Mid-week, time has only run to the last day the figures cover.
  const elapsed = daysBetween(ytd.from, input.asOf ?? unfinishedAsOf(week, input.today) ?? ytd.to) + 1;
  const lines: string[] = [];
  for (const key of keys) {
    const target = targets[key]!;
    const total = tally.total(facts.yearToDate, key, ytd);
    const unit = tally.metric(key)?.unit ?? total.unit;
    if (!hasValue(total)) {
      lines.push(`- ${metricLabel(tally, key)}：年度目标${quantity({ value: target, unit, approx: false })}，今年尚无数据`);
      continue;
    }
    trace.push({ figure: `${year}年累计${metricLabel(tally, key)} ${figureText(total)}`, factIds: total.factIds });
    lines.push(
      `- ${metricLabel(tally, key)}：累计${figureText(total)}，完成年度目标${quantity({ value: target, unit, approx: false })}的${percent(total.value! / target)}`,
    );
  }
  return { heading: `年度目标进度（时间进度${percent(elapsed / daysInYear)}）`, lines };
}

/** Daily figures of the week's main day counter (到馆 when reported), one series per branch. */
function chartData(input: WeeklyDigestInput): WeekChartData | undefined {
  const { tally, week, facts } = input;
  const singleDay = facts.week.filter((f) => f.parentId === null && f.dateFrom === f.dateTo && tally.metric(f.metric)?.behaviour === "day_counter");
  const metricKey = ["visits", ...tally.order(singleDay.map((f) => f.metric))].find((key) => singleDay.some((f) => f.metric === key));
  if (!metricKey) return undefined;
  const metric = tally.metric(metricKey)!;
  const days: IsoDate[] = eachDay(week.range);
  const branches = [...input.openDays.branches, ...new Set(singleDay.map((f) => f.branch))].filter((b, i, all) => all.indexOf(b) === i);
  const series = branches
    .map((branch) => ({
      name: branch,
      values: days.map((day) =>
        singleDay.filter((f) => f.metric === metricKey && f.branch === branch && f.dateFrom === day && f.unit === metric.unit).reduce((sum, f) => sum + f.value, 0),
      ),
    }))
    .filter((s) => s.values.some((v) => v > 0));
  if (series.length === 0) return undefined;
  return {
    title: `${input.libraryName}${week.year}年第${week.index}周每日${metric.name}`,
    unit: metric.unit,
    categories: days.map((day) => `${WEEKDAY_SHORT[new Date(`${day}T00:00:00Z`).getUTCDay()]}\n${Number(day.slice(5, 7))}/${Number(day.slice(8))}`),
    series,
  };
}

export function buildWeeklyDigest(input: WeeklyDigestInput): WeeklyDigest {
  const trace: TraceEntry[] = [];
  // Asked for mid-week (in chat, or `digest --week` for the current week): the title says how far it goes.
  const asOf = input.asOf ?? unfinishedAsOf(input.week, input.today);
  const title = `${input.libraryName}${input.week.year}年第${input.week.index}周数据简报${asOf ? `（截至${formatDay(asOf)}）` : ""}`;
  const span = asOf ? `${formatRange(input.week.range)}，本周尚未结束` : formatRange(input.week.range);
  const titleBlock: DigestSection = { heading: "", lines: [`## ${title}`, span] };
  const hasAny = input.facts.week.length > 0;
  const sections = [
    titleBlock,
    ...(hasAny ? [] : [{ heading: "", lines: ["本周没有收到数据报送。"] }]),
    totalsSection(input, trace),
    branchSection(input),
    activitySection(input, trace),
    coverageSection(input),
    targetSection(input, trace),
  ].filter((s): s is DigestSection => s !== undefined);
  return { title, sections, trace, chart: chartData(input) };
}

/** Sections as markdown blocks (for splitting) — WeCom renders **bold** and "- " lists on phones. */
export function digestBlocks(digest: WeeklyDigest): string[] {
  return digest.sections.map((s) => (s.heading ? [`**${s.heading}**`, ...s.lines] : s.lines).join("\n"));
}
