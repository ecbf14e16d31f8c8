// One dispatcher for the job table. node-cron (with the library's timezone stated on every task) only says
// "something may be due now"; what is due is computed from the table and the clock, and every fire is claimed in
// the database before it runs. So:
//   - at start, fires missed while the service was down (within each job's catch-up window) are run once;
//   - with several instances on PostgreSQL, each fire runs on exactly one of them (unique job + scheduledFor);
//   - outcomes (ok / skipped / failed, with a detail line) are recorded in JobRun.
// The clock is injected: tests drive `runDue(now)` with any instant, no timers.
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import cron, { type ScheduledTask } from "node-cron";
import type { Db } from "../db/open.js";
import type { Logger } from "../log.js";
import type { IsoDate } from "../parsing/types.js";
import { addDays, libraryDay, weekdayOf } from "../records/dates.js";
import { claimFire, finishFire, takeOverStale } from "./claims.js";
import { cronExpression, type Fire, type JobDefinition } from "./jobs.js";
import { zonedInstant } from "../calendar/zoned.js";

export type Clock = () => Date;

export interface FireResult {
  job: string;
  scheduledFor: Date;
  /** ran here, or someone else holds the claim */
  outcome: "ok" | "skipped" | "failed" | "claimed-elsewhere";
  detail?: string;
}

export interface SchedulerOptions {
  prisma: Db;
  jobs: readonly JobDefinition[];
  clock?: Clock;
  /** Recorded in JobRun.claimedBy. */
  instanceId?: string;
  log?: Logger;
  /** A claim still 'running' this long after it started is presumed dead and may be taken over. */
  staleAfterMinutes?: number;
}

export interface Scheduler {
  /** Registers the cron tasks and catches up missed fires. */
  start(): Promise<void>;
  /** Stops the cron tasks and waits for a run in progress. */
  stop(): Promise<void>;
  /** Claims and runs every fire due at `now` (default: the clock) that no instance has claimed. */
  runDue(now?: Date): Promise<FireResult[]>;
  readonly instanceId: string;
}

/** Fires of one job in (now − catchUpHours, now], oldest first. */
export function duesOf(job: JobDefinition, now: Date): Fire[] {
  const earliest = new Date(now.getTime() - job.catchUpHours * 3_600_000);
  const fires: Fire[] = [];
  const lastDay = libraryDay(now, job.timezone);
  for (let day: IsoDate = libraryDay(earliest, job.timezone); day <= lastDay; day = addDays(day, 1)) {
    if (job.weekday !== undefined && weekdayOf(day) !== job.weekday) continue;
    const scheduledFor = zonedInstant(day, job.time, job.timezone);
    if (scheduledFor <= earliest || scheduledFor > now) continue;
    if (job.firesOn && !job.firesOn(day)) continue;
    fires.push({ job: job.name, scheduledFor, day });
  }
  return fires;
}

/** A claim made on this host by a process that no longer exists: it crashed mid-run, and waiting for the
 * staleness window would lose the fire after a quick restart. Instance ids are `host:pid:random`. */
export function isDeadLocalClaim(claimedBy: string, self: string): boolean {
  const [host, pidText] = claimedBy.split(":");
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || claimedBy === self) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ESRCH";
  }
}

/** Every so often the dispatcher looks again at the catch-up window, so a fire whose claim went stale (its
 * instance died on another host) is run without waiting for a restart. */
const SWEEP_CRON = "*/15 * * * *";

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { prisma, jobs } = options;
  const clock = options.clock ?? (() => new Date());
  const instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
  const staleMs = (options.staleAfterMinutes ?? 60) * 60_000;
  const log = options.log;
  let tasks: ScheduledTask[] = [];
  // Runs are serialised within an instance: a tick during a long digest waits instead of racing it.
  let queue: Promise<unknown> = Promise.resolve();
  let stopped = false;

  async function runFire(job: JobDefinition, fire: Fire): Promise<FireResult> {
    const existing = await prisma.jobRun.findUnique({ where: { job_scheduledFor: { job: fire.job, scheduledFor: fire.scheduledFor } } });
    const now = clock();
    const abandoned =
      existing?.status === "running" && (now.getTime() - existing.startedAt.getTime() > staleMs || isDeadLocalClaim(existing.claimedBy, instanceId));
    const claim = existing
      ? abandoned
        ? await takeOverStale(prisma, existing, instanceId, now)
        : undefined
      : await claimFire(prisma, fire.job, fire.scheduledFor, instanceId, now);
    if (!claim) return { job: fire.job, scheduledFor: fire.scheduledFor, outcome: "claimed-elsewhere" };
    log?.info({ job: fire.job, scheduledFor: fire.scheduledFor.toISOString(), day: fire.day, instanceId }, "job run claimed");
    try {
      const outcome = await job.run(fire);
      await finishFire(prisma, claim.id, outcome.status, outcome.detail, clock());
      log?.info({ job: fire.job, day: fire.day, status: outcome.status, detail: outcome.detail }, "job run finished");
      return { job: fire.job, scheduledFor: fire.scheduledFor, outcome: outcome.status, detail: outcome.detail };
    } catch (error) {
      const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      await finishFire(prisma, claim.id, "failed", detail, clock()).catch((finishError: unknown) =>
        log?.error({ err: finishError, job: fire.job }, "could not record the failed run"),
      );
      log?.error({ err: error, job: fire.job, day: fire.day }, "job run failed");
      return { job: fire.job, scheduledFor: fire.scheduledFor, outcome: "failed", detail };
    }
  }

  async function runDueNow(now: Date): Promise<FireResult[]> {
    const results: FireResult[] = [];
    for (const job of jobs) {
      for (const fire of duesOf(job, now)) {
        if (stopped) return results;
        results.push(await runFire(job, fire));
      }
    }
    return results;
  }

  function runDue(now?: Date): Promise<FireResult[]> {
    const next = queue.then(() => runDueNow(now ?? clock()));
    queue = next.catch(() => undefined);
    return next;
  }

  return {
    instanceId,
    runDue,
    async start() {
      stopped = false;
      tasks = jobs.map((job) =>
        cron.schedule(
          cronExpression(job),
          // node-cron's own date is the due minute; the clock may read a few ms earlier on a busy machine.
          async (context) => {
            const now = clock();
            await runDue(context.date > now ? context.date : now).catch((error: unknown) => log?.error({ err: error }, "schedule tick failed"));
          },
          { timezone: job.timezone, name: `libtally:${job.name}`, noOverlap: false },
        ),
      );
      tasks.push(
        cron.schedule(SWEEP_CRON, async () => {
          await runDue().catch((error: unknown) => log?.error({ err: error }, "schedule sweep failed"));
        }, { name: "libtally:sweep", noOverlap: true }),
      );
      log?.info({ jobs: jobs.map((j) => ({ name: j.name, cron: cronExpression(j), timezone: j.timezone })), instanceId }, "schedule started");
      const caughtUp = await runDue();
      if (caughtUp.length) log?.info({ fires: caughtUp.map((r) => `${r.job}@${r.scheduledFor.toISOString()}:${r.outcome}`) }, "schedule caught up");
    },
    async stop() {
      stopped = true;
      for (const task of tasks) {
        await task.stop();
        await task.destroy();
      }
      tasks = [];
      await queue;
    },
  };
}
