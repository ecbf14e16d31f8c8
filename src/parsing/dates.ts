// Dates and periods in the library's timezone. Days are plain integers (days since 1970-01-01) so arithmetic
// never touches the server's timezone; "today" comes from Intl with the library's zone.
import { parseNumeral } from "./numerals.ts";
import type { DayRange } from "./types.ts";

export type DayNumber = number;

const MS_PER_DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar day of `now` in `timezone` (never the server's zone). */
export function todayIn(now: Date, timezone: string): DayNumber {
  let formatter = formatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timezone, formatter);
  }
  const parts = formatter.formatToParts(now);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return dayNumber(part("year"), part("month"), part("day"));
}

const hourFormatters = new Map<string, Intl.DateTimeFormat>();

/** The hour (0–23) of `now` on the library's clock. */
export function hourIn(now: Date, timezone: string): number {
  let formatter = hourFormatters.get(timezone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-GB", { timeZone: timezone, hour: "2-digit", hourCycle: "h23" });
    hourFormatters.set(timezone, formatter);
  }
  return Number(formatter.formatToParts(now).find((p) => p.type === "hour")?.value) % 24;
}

export function dayNumber(year: number, month: number, day: number): DayNumber {
  return Math.round(Date.UTC(year, month - 1, day) / MS_PER_DAY);
}

export function civil(day: DayNumber): { year: number; month: number; day: number } {
  const date = new Date(day * MS_PER_DAY);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function isoDay(day: DayNumber): string {
  const { year, month, day: d } = civil(day);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

export function dayFromIso(iso: string): DayNumber {
  const [year, month, day] = iso.split("-").map(Number);
  return dayNumber(year!, month!, day!);
}

/** 1 = Monday … 7 = Sunday; weeks start on Monday. */
export function weekday(day: DayNumber): number {
  return ((((day + 3) % 7) + 7) % 7) + 1;
}

export function daysInMonth(year: number, month: number): number {
  return dayNumber(year, month + 1, 1) - dayNumber(year, month, 1);
}

export function isValidCivil(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** A resolved period in day numbers, both ends inclusive. */
export interface Span {
  from: DayNumber;
  to: DayNumber;
}

export function toDayRange(span: Span): DayRange {
  return { from: isoDay(span.from), to: isoDay(span.to) };
}

export function formatDayRange(range: DayRange): string {
  return range.from === range.to ? range.from : `${range.from}..${range.to}`;
}

export const periods = {
  week(today: DayNumber, weeksBack = 0): Span {
    const monday = today - (weekday(today) - 1) - 7 * weeksBack;
    return { from: monday, to: monday + 6 };
  },
  month(year: number, month: number): Span {
    const normalized = normalizeMonth(year, month);
    return {
      from: dayNumber(normalized.year, normalized.month, 1),
      to: dayNumber(normalized.year, normalized.month, daysInMonth(normalized.year, normalized.month)),
    };
  },
  months(year: number, first: number, last: number): Span {
    return { from: periods.month(year, first).from, to: periods.month(year, last).to };
  },
  quarter(year: number, quarter: number): Span {
    return periods.months(year, quarter * 3 - 2, quarter * 3);
  },
  year(year: number): Span {
    return { from: dayNumber(year, 1, 1), to: dayNumber(year, 12, 31) };
  },
};

function normalizeMonth(year: number, month: number): { year: number; month: number } {
  const index = year * 12 + (month - 1);
  return { year: Math.floor(index / 12), month: (((index % 12) + 12) % 12) + 1 };
}

/** Small numbers in dates: 11, 十一, 二十三, 3. */
export function smallNumber(text: string): number | undefined {
  const numeral = parseNumeral(text);
  if (!numeral || numeral.kind !== "exact" || !Number.isInteger(numeral.value)) return undefined;
  return numeral.value;
}

/** The most recent day on or before `today` with this weekday (1 = Monday … 7 = Sunday). Staff report the past:
 * on a Wednesday, 周五 is last Friday. */
export function mostRecentWeekday(today: DayNumber, target: number): DayNumber {
  const back = (weekday(today) - target + 7) % 7;
  return today - back;
}
