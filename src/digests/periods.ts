// Reporting periods by name: ISO weeks for digests ('2026-W47'), quarters, halves and years for summaries.
import type { DayRange, IsoDate } from "../parsing/types.js";
import { addDays, addMonths, mondayOf } from "../records/dates.js";

export type PeriodKind = "week" | "quarter" | "half" | "year";

export interface Period {
  kind: PeriodKind;
  /** '2026-W47', '2026-Q3', '2026-H1', '2026' */
  id: string;
  year: number;
  /** Week number, quarter 1–4, half 1–2; absent for a year. */
  index?: number;
  range: DayRange;
}

const CHINESE_DIGITS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}

/** ISO 8601 week: Monday first; week 1 holds the year's first Thursday. */
export function isoWeekOf(date: IsoDate): { year: number; week: number } {
  const thursday = addDays(mondayOf(date), 3);
  const year = Number(thursday.slice(0, 4));
  const firstThursday = addDays(mondayOf(`${year}-01-04`), 3);
  const week = Math.round((Date.parse(thursday) - Date.parse(firstThursday)) / (7 * 86_400_000)) + 1;
  return { year, week };
}

export function weekPeriod(year: number, week: number): Period {
  const monday = addDays(mondayOf(`${year}-01-04`), (week - 1) * 7);
  return { kind: "week", id: `${year}-W${pad2(week)}`, year, index: week, range: { from: monday, to: addDays(monday, 6) } };
}

export function weekContaining(date: IsoDate): Period {
  const { year, week } = isoWeekOf(date);
  return weekPeriod(year, week);
}

export function quarterPeriod(year: number, quarter: number): Period {
  const from = `${year}-${pad2((quarter - 1) * 3 + 1)}-01`;
  return { kind: "quarter", id: `${year}-Q${quarter}`, year, index: quarter, range: { from, to: addDays(addMonths(from, 3), -1) } };
}

export function halfPeriod(year: number, half: number): Period {
  const from = half === 1 ? `${year}-01-01` : `${year}-07-01`;
  return { kind: "half", id: `${year}-H${half}`, year, index: half, range: { from, to: half === 1 ? `${year}-06-30` : `${year}-12-31` } };
}

export function yearPeriod(year: number): Period {
  return { kind: "year", id: String(year), year, range: { from: `${year}-01-01`, to: `${year}-12-31` } };
}

export class PeriodError extends Error {
  override name = "PeriodError";
}

/** '2026-W47' | '2026-Q3' | '2026-H1' | '2026' → Period. */
export function parsePeriod(text: string): Period {
  const trimmed = text.trim().toUpperCase();
  let m = /^(\d{4})-?W(\d{1,2})$/.exec(trimmed);
  if (m) {
    const year = Number(m[1]);
    const week = Number(m[2]);
    const last = isoWeekOf(`${year}-12-28`).week;
    if (week < 1 || week > last) throw new PeriodError(`${year}年只有第1至${last}周：${text}`);
    return weekPeriod(year, week);
  }
  m = /^(\d{4})-?Q([1-4])$/.exec(trimmed);
  if (m) return quarterPeriod(Number(m[1]), Number(m[2]));
  m = /^(\d{4})-?H([12])$/.exec(trimmed);
  if (m) return halfPeriod(Number(m[1]), Number(m[2]));
  m = /^(\d{4})$/.exec(trimmed);
  if (m) return yearPeriod(Number(m[1]));
  throw new PeriodError(`不认识的期间"${text}"：请写 2026-W47、2026-Q3、2026-H1 或 2026`);
}

/** The same period one year earlier (同比). For weeks, the same ISO week number, so weekdays line up. */
export function sameLastYear(period: Period): Period {
  const year = period.year - 1;
  switch (period.kind) {
    case "week": {
      const last = isoWeekOf(`${year}-12-28`).week;
      return weekPeriod(year, Math.min(period.index!, last));
    }
    case "quarter":
      return quarterPeriod(year, period.index!);
    case "half":
      return halfPeriod(year, period.index!);
    case "year":
      return yearPeriod(year);
  }
}

/** The period just before (环比). */
export function previousPeriod(period: Period): Period {
  switch (period.kind) {
    case "week":
      return weekContaining(addDays(period.range.from, -1));
    case "quarter":
      return period.index === 1 ? quarterPeriod(period.year - 1, 4) : quarterPeriod(period.year, period.index! - 1);
    case "half":
      return period.index === 1 ? halfPeriod(period.year - 1, 2) : halfPeriod(period.year, 1);
    case "year":
      return yearPeriod(period.year - 1);
  }
}

/** 第三季度, 上半年, 全年, 第47周 */
export function periodName(period: Period): string {
  switch (period.kind) {
    case "week":
      return `第${period.index}周`;
    case "quarter":
      return `第${CHINESE_DIGITS[period.index!]}季度`;
    case "half":
      return period.index === 1 ? "上半年" : "下半年";
    case "year":
      return "全年";
  }
}

/** The last day a draft's figures cover when the period has not ended by then; undefined for a finished period
 * (no `coveredUntil`, or one on or after the period's last day). */
export function unfinishedAsOf(period: Period, coveredUntil: IsoDate | undefined): IsoDate | undefined {
  return coveredUntil !== undefined && coveredUntil < period.range.to ? coveredUntil : undefined;
}

/** The summaries due once `day` has begun: the periods that ended the day before. */
export function periodsEndedBefore(day: IsoDate): Period[] {
  const ended = addDays(day, -1);
  const year = Number(ended.slice(0, 4));
  const month = Number(ended.slice(5, 7));
  if (addDays(ended, 1).slice(8) !== "01" || month % 3 !== 0) return [];
  const periods = [quarterPeriod(year, month / 3)];
  if (month === 6) periods.push(halfPeriod(year, 1));
  if (month === 12) periods.push(yearPeriod(year));
  return periods;
}

