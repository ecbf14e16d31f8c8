// Claiming scheduled fires in the database. (job, scheduledFor) is unique in JobRun, so of all the instances that
// try to claim the same fire exactly one insert succeeds; that one runs the job and records the outcome. A claim
// whose runner died (still 'running' long after it started) can be taken over, once, by a conditional update.
import type { Db, JobRun } from "../db/open.js";
import { isUniqueViolation } from "../db/errors.js";

export type JobStatus = "running" | "ok" | "failed" | "skipped";


/** The claim row when this instance won the fire; undefined when another instance holds it. */
export async function claimFire(prisma: Db, job: string, scheduledFor: Date, claimedBy: string, now: Date): Promise<JobRun | undefined> {
  try {
    return await prisma.jobRun.create({ data: { job, scheduledFor, claimedBy, startedAt: now, status: "running" } });
  } catch (error) {
    if (isUniqueViolation(error)) return undefined;
    throw error;
  }
}

/** Takes over a fire whose runner stopped without finishing (crash, kill -9). Only one taker can win: the update
 * matches the exact row state it read. */
export async function takeOverStale(prisma: Db, run: JobRun, claimedBy: string, now: Date): Promise<JobRun | undefined> {
  const { count } = await prisma.jobRun.updateMany({
    where: { id: run.id, status: "running", claimedBy: run.claimedBy, startedAt: run.startedAt },
    data: { claimedBy, startedAt: now, detail: `taken over from ${run.claimedBy}` },
  });
  return count === 1 ? { ...run, claimedBy, startedAt: now } : undefined;
}

export async function finishFire(prisma: Db, id: number, status: Exclude<JobStatus, "running">, detail: string | undefined, now: Date): Promise<void> {
  await prisma.jobRun.update({ where: { id }, data: { status, detail: detail?.slice(0, 2000) ?? null, finishedAt: now } });
}
