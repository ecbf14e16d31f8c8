// Which library days a branch is open: the days staff are expected to report day counters, get reminded, and
// count in coverage. Pure: the announced closures (ClosedDay rows) are passed in.
//
// Order of the rules, first match wins:
//   1. a closure announced in chat (今天闭馆) for the branch, or for the whole library
//   2. the site's calendar.open: open although the holiday calendar says otherwise (法定节假日照常开馆)
//   3. the site's calendar.closed: the whole library is closed
//   4. a statutory holiday (chinese-days, or the fixed-date fallback)
//   5. the branch's regular closing weekday, except on a 调休 working weekend, when the offices of the town work and
//      a branch that normally closes at weekends opens
import type { Branch, SiteConfig } from "../config/site.js";
import type { DayRange, IsoDate } from "../parsing/types.js";
import { eachDay, weekdayOf } from "../records/dates.js";
import type { CoverageInput } from "../records/totals.js";
import type { HolidayCalendar } from "./holidays.js";

/** Branch names in ClosedDay rows that mean the whole library. */
export const WHOLE_LIBRARY = ["*", "全馆"];

export interface ClosureRow {
  branch: string;
  date: IsoDate;
  reason?: string | null;
}

export type ClosedReason = "announced" | "site_closed" | "holiday" | "regular";

export interface BranchDay {
  branch: string;
  date: IsoDate;
  open: boolean;
  reason?: ClosedReason;
  /** Human words for the reason: 国庆节, 例行闭馆, 群内通知闭馆 … */
  label?: string;
}

export interface OpenDays {
  branchDay(branch: string, date: IsoDate): BranchDay;
  /** Branches (site order) open on `date`. */
  openBranches(date: IsoDate): string[];
  /** Every (branch, day) in `period` the branch is closed: the shape coverage wants. */
  closedDays(period: DayRange): Array<{ branch: string; date: IsoDate }>;
  branches: readonly string[];
}

export const WEEKDAY_NAMES = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];

/** The branches of a site: the configured ones, and the head branch even when the config lists none. */
export function siteBranches(site: SiteConfig): Branch[] {
  const branches = [...site.branches];
  if (!branches.some((b) => b.name === site.library.headBranch)) {
    branches.unshift({ name: site.library.headBranch, aliases: [], closedWeekdays: [] });
  }
  return branches;
}

export function createOpenDays(site: SiteConfig, holidays: HolidayCalendar, closures: readonly ClosureRow[] = []): OpenDays {
  const branches = siteBranches(site);
  const siteOpen = new Set(site.calendar.open);
  const siteClosed = new Set(site.calendar.closed);
  const announced = new Map<string, ClosureRow>();
  for (const row of closures) announced.set(`${row.branch}|${row.date}`, row);

  function announcedFor(branch: string, date: IsoDate): ClosureRow | undefined {
    return announced.get(`${branch}|${date}`) ?? WHOLE_LIBRARY.map((b) => announced.get(`${b}|${date}`)).find(Boolean);
  }

  function branchDay(branch: string, date: IsoDate): BranchDay {
    const closure = announcedFor(branch, date);
    if (closure) return { branch, date, open: false, reason: "announced", label: closure.reason || "群内通知闭馆" };
    if (siteOpen.has(date)) return { branch, date, open: true };
    if (siteClosed.has(date)) return { branch, date, open: false, reason: "site_closed", label: "全馆闭馆" };
    const info = holidays.day(date);
    if (info.holiday) return { branch, date, open: false, reason: "holiday", label: info.name ?? "法定节假日" };
    const closedWeekdays = branches.find((b) => b.name === branch)?.closedWeekdays ?? [];
    const weekday = weekdayOf(date);
    if (closedWeekdays.includes(weekday) && !info.workingWeekend) {
      return { branch, date, open: false, reason: "regular", label: `${WEEKDAY_NAMES[weekday]}例行闭馆` };
    }
    return { branch, date, open: true };
  }

  return {
    branches: branches.map((b) => b.name),
    branchDay,
    openBranches: (date) => branches.map((b) => b.name).filter((name) => branchDay(name, date).open),
    closedDays: (period) =>
      eachDay(period).flatMap((date) =>
        branches.filter((b) => !branchDay(b.name, date).open).map((b) => ({ branch: b.name, date })),
      ),
  };
}

/** The branches and closed days `dayCounterCoverage` takes, from the open days: every caller (chat answers, the
 * running week total, digests, summaries) gets them here, so holidays, 调休 and closures count the same way
 * everywhere. Closing weekdays are already in `closedDays`, so the branches carry none. `branch` narrows to one. */
export function coverageOver(openDays: OpenDays, period: DayRange, branch?: string): Pick<CoverageInput, "branches" | "closedDays"> {
  const names = openDays.branches.filter((name) => branch === undefined || name === branch);
  return {
    branches: names.map((name) => ({ name })),
    closedDays: openDays.closedDays(period).filter((day) => names.includes(day.branch)),
  };
}

/** The first official working day on or after `date` (the default day a period summary goes out). */
export function firstWorkdayFrom(holidays: HolidayCalendar, date: IsoDate, addDays: (d: IsoDate, n: number) => IsoDate): IsoDate {
  let day = date;
  for (let guard = 0; guard < 60 && !holidays.day(day).officialWorkday; guard++) day = addDays(day, 1);
  return day;
}
