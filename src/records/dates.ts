// Calendar arithmetic on library days ('YYYY-MM-DD'). A library day is a date in the library's timezone, not an
// instant, so all arithmetic here is on the calendar (UTC midnight stands in for "that day") and never depends
// on the server's zone.
import type { DayRange, IsoDate } from "../parsing/types.js";

const MS_PER_DAY = 86_400_000;

function toUtc(date: IsoDate): Date {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`not a library day (YYYY-MM-DD): ${JSON.stringify(date)}`);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
}

function fromUtc(date: Date): IsoDate {
  return date.toISOString().slice(0, 10);
}

/** The library day an instant falls on in `timezone`. */
export function libraryDay(instant: Date, timezone: string): IsoDate {
  return new Intl.DateTimeFormat("en-CA", { timeZone: timezone, year: "numeric", month: "2-digit", day: "2-digit" }).format(instant);
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromUtc(new Date(toUtc(date).getTime() + days * MS_PER_DAY));
}

/** Whole days from `a` to `b` (b − a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return Math.round((toUtc(b).getTime() - toUtc(a).getTime()) / MS_PER_DAY);
}

/** 0 = Sunday … 6 = Saturday, as in the site config's closedWeekdays. */
export function weekdayOf(date: IsoDate): number {
  return toUtc(date).getUTCDay();
}

export function daysInMonth(year: number, month1: number): number {
  return new Date(Date.UTC(year, month1, 0)).getUTCDate();
}

/** The same day `months` months away, clipped to the end of a shorter month (03-31 − 1 month → 02-28). */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const d = toUtc(date);
  const total = d.getUTCFullYear() * 12 + d.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month0 = total - year * 12;
  const day = Math.min(d.getUTCDate(), daysInMonth(year, month0 + 1));
  return fromUtc(new Date(Date.UTC(year, month0, day)));
}

export function eachDay(range: DayRange): IsoDate[] {
  const days: IsoDate[] = [];
  for (let day = range.from; day <= range.to; day = addDays(day, 1)) days.push(day);
  return days;
}

export function rangeLength(range: DayRange): number {
  return daysBetween(range.from, range.to) + 1;
}

export function contains(outer: DayRange, inner: DayRange): boolean {
  return outer.from <= inner.from && inner.to <= outer.to;
}

export function overlaps(a: DayRange, b: DayRange): boolean {
  return a.from <= b.to && b.from <= a.to;
}

/** The part of `range` up to and including `last`; undefined when the range starts after it. */
export function clipTo(range: DayRange, last: IsoDate): DayRange | undefined {
  if (range.from > last) return undefined;
  return { from: range.from, to: range.to < last ? range.to : last };
}

/** Monday of the week `date` is in (weeks start on Monday). */
export function mondayOf(date: IsoDate): IsoDate {
  return addDays(date, -((weekdayOf(date) + 6) % 7));
}

export function monthOf(date: IsoDate): DayRange {
  const [y, m] = date.split("-").map(Number) as [number, number];
  const mm = String(m).padStart(2, "0");
  return { from: `${y}-${mm}-01`, to: `${y}-${mm}-${String(daysInMonth(y, m)).padStart(2, "0")}` };
}

/** 11月18日 */
export function formatDay(date: IsoDate): string {
  const [, m, d] = date.split("-").map(Number);
  return `${m}月${d}日`;
}

/** 11月18日, 11月16日至22日, 2025年12月29日至2026年1月4日 */
export function formatRange(range: DayRange): string {
  if (range.from === range.to) return formatDay(range.from);
  const [fy, fm] = range.from.split("-").map(Number);
  const [ty, tm, td] = range.to.split("-").map(Number);
  if (fy !== ty) return `${fy}年${formatDay(range.from)}至${ty}年${formatDay(range.to)}`;
  if (fm === tm) return `${formatDay(range.from)}至${td}日`;
  return `${formatDay(range.from)}至${formatDay(range.to)}`;
}
