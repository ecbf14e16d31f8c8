// Wiring for the running service: the job table over the real producers, one dispatcher.
//
//   const schedule = startSchedule({ prisma, site, catalogue, poster, log });
//   await schedule.start();   // registers node-cron tasks, catches up missed fires
//   ...
//   await schedule.stop();    // on SIGTERM, before the database closes
import type { SiteConfig } from "../config/site.js";
import type { Db } from "../db/open.js";
import type { Logger } from "../log.js";
import type { Catalogue } from "../parsing/types.js";
import { createHolidayCalendar, type HolidayCalendar } from "../calendar/holidays.js";
import type { GroupPoster } from "../digests/poster.js";
import { buildJobTable } from "./jobs.js";
import { createScheduler, type Clock, type Scheduler } from "./scheduler.js";

export interface ScheduleDeps {
  prisma: Db;
  site: SiteConfig;
  catalogue: Catalogue;
  poster: GroupPoster;
  log: Logger;
  clock?: Clock;
  holidays?: HolidayCalendar;
  instanceId?: string;
  fontFile?: string;
}

/** The service's schedule; call start() after the database is ready and stop() before it closes. */
export function createSchedule(deps: ScheduleDeps): Scheduler {
  const holidays = deps.holidays ?? createHolidayCalendar({ warn: (message, year) => deps.log.warn({ year }, message) });
  const jobs = buildJobTable({ ...deps, holidays });
  return createScheduler({ prisma: deps.prisma, jobs, clock: deps.clock, instanceId: deps.instanceId, log: deps.log });
}

export { buildJobTable, cronExpression, digestWeekFor, summariesDueOn, JOB_NAMES, type Fire, type JobDefinition, type JobOutcome } from "./jobs.js";
export { createScheduler, duesOf, type Clock, type FireResult, type Scheduler, type SchedulerOptions } from "./scheduler.js";
