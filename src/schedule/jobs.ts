// The schedule as a data table (OpenPanel's bootCron habit): each job says when it fires, in which timezone,
// how late a missed fire may still be caught up, and what it runs. The dispatcher (scheduler.ts) does the rest.
import type { HolidayCalendar } from "../calendar/holidays.js";
import { firstWorkdayFrom } from "../calendar/open-days.js";
import type { IsoDate } from "../parsing/types.js";
import { addDays, mondayOf } from "../records/dates.js";
import { periodsEndedBefore, weekContaining, type Period } from "../digests/periods.js";
import type { GroupPoster } from "../digests/poster.js";
import { produceSummary, produceWeeklyDigest, runReminder, type ProduceDeps } from "../digests/run.js";

export interface Fire {
  job: string;
  /** The instant the job was due: the claim key with the job name. */
  scheduledFor: Date;
  /** The library day it was due on. */
  day: IsoDate;
}

export interface JobOutcome {
  status: "ok" | "skipped";
  detail?: string;
}

export interface JobDefinition {
  name: string;
  /** 'HH:MM' in `timezone`. */
  time: string;
  timezone: string;
  /** 0 = Sunday … 6 = Saturday when the job is weekly. */
  weekday?: number;
  /** A further rule on the library day (e.g. the first working day after a quarter ends). */
  firesOn?: (day: IsoDate) => boolean;
  /** A missed fire younger than this is caught up at start; an older one is left alone. */
  catchUpHours: number;
  run: (fire: Fire) => Promise<JobOutcome>;
}

/** node-cron's expression for a job: minute, hour, any day of month, any month, weekday or any. */
export function cronExpression(job: Pick<JobDefinition, "time" | "weekday">): string {
  const [hh, mm] = job.time.split(":").map(Number) as [number, number];
  return `${mm} ${hh} * * ${job.weekday ?? "*"}`;
}

/** The last complete ISO week before `day` (Monday's digest reports the week that ended on Sunday). */
export function digestWeekFor(day: IsoDate): Period {
  return weekContaining(addDays(mondayOf(day), -1));
}

/** The summaries due on `day`: on the first official working day of January, April, July and October, the
 * quarter (and half year, year) that ended with the previous month. */
export function summariesDueOn(day: IsoDate, holidays: HolidayCalendar): Period[] {
  const monthStart = `${day.slice(0, 8)}01`;
  if (![1, 4, 7, 10].includes(Number(day.slice(5, 7)))) return [];
  if (firstWorkdayFrom(holidays, monthStart, addDays) !== day) return [];
  return periodsEndedBefore(monthStart);
}

export interface JobDeps extends ProduceDeps {
  poster: GroupPoster;
}

/** A reminder sent hours late would ask about the wrong evening; it is caught up only within this window. */
const REMINDER_CATCH_UP_HOURS = 2;

export const JOB_NAMES = { weeklyDigest: "weekly-digest", periodSummary: "period-summary", reminder: "daily-reminder" } as const;

export function buildJobTable(deps: JobDeps): JobDefinition[] {
  const { site, holidays } = deps;
  const timezone = site.library.timezone;
  const schedule = site.schedule;
  const jobs: JobDefinition[] = [];
  if (schedule.weeklyDigest.enabled) {
    jobs.push({
      name: JOB_NAMES.weeklyDigest,
      time: schedule.weeklyDigest.time,
      timezone,
      weekday: schedule.weeklyDigest.weekday,
      catchUpHours: schedule.catchUpHours,
      async run(fire) {
        const week = digestWeekFor(fire.day);
        const result = await produceWeeklyDigest(deps, week, { send: true, createdBy: "schedule", today: addDays(fire.day, -1) });
        return { status: "ok", detail: `${week.id} v${result.draft.version}, ${result.messages.length} message(s)${result.chartPng ? " + chart" : ""}` };
      },
    });
  }
  if (schedule.periodSummary.enabled) {
    jobs.push({
      name: JOB_NAMES.periodSummary,
      time: schedule.periodSummary.time,
      timezone,
      firesOn: (day) => summariesDueOn(day, holidays).length > 0,
      catchUpHours: schedule.catchUpHours,
      async run(fire) {
        const done: string[] = [];
        for (const period of summariesDueOn(fire.day, holidays)) {
          const result = await produceSummary(deps, period, { send: true, createdBy: "schedule" });
          done.push(`${period.id} v${result.draft.version}`);
        }
        return { status: "ok", detail: done.join(", ") };
      },
    });
  }
  if (schedule.reminder.enabled) {
    jobs.push({
      name: JOB_NAMES.reminder,
      time: schedule.reminder.time,
      timezone,
      catchUpHours: Math.min(REMINDER_CATCH_UP_HOURS, schedule.catchUpHours),
      async run(fire) {
        const plan = await runReminder(deps, fire.day, { send: true });
        if (plan.skipped) return { status: "skipped", detail: plan.skipped };
        return { status: "ok", detail: `reminded ${plan.missingBranches.join("、")} (${plan.mentions.join(",")})` };
      },
    });
  }
  return jobs;
}
