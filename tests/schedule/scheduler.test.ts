// The schedule with an injected clock: real databases (SQLite, and PostgreSQL for two instances), the real job
// table and producers; only the group poster is a recording fake. No timers: each test says what time it is.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildCatalogue } from "../../src/catalogue/index.js";
import { createHolidayCalendar } from "../../src/calendar/holidays.js";
import { openDatabase, type Database } from "../../src/db/open.js";
import { buildJobTable, JOB_NAMES, summariesDueOn } from "../../src/schedule/jobs.js";
import { hostname } from "node:os";
import { createScheduler, duesOf, isDeadLocalClaim, type Scheduler } from "../../src/schedule/scheduler.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { insertFacts, RecordingPoster, testSite, type Posted } from "../digests/helpers.js";

const catalogue = buildCatalogue();
const holidays = createHolidayCalendar();

/** An instant given in Beijing time. */
function beijing(local: string): Date {
  return new Date(`${local}+08:00`);
}

function schedulerFor(db: Database, poster: RecordingPoster, clock: { now: Date }, instanceId: string, site = testSite()): Scheduler {
  const jobs = buildJobTable({ prisma: db.prisma, site, catalogue, holidays, poster });
  return createScheduler({ prisma: db.prisma, jobs, clock: () => clock.now, instanceId });
}

describe("job table", () => {
  it("fires the digest on Mondays at 09:00 Beijing time and the summary on the first working day after a quarter", () => {
    const jobs = buildJobTable({ prisma: undefined as never, site: testSite(), catalogue, holidays, poster: new RecordingPoster() });
    const digest = jobs.find((j) => j.name === JOB_NAMES.weeklyDigest)!;
    const fires = duesOf(digest, beijing("2026-11-24T10:00:00"));
    expect(fires.map((f) => f.scheduledFor.toISOString())).toEqual(["2026-11-23T01:00:00.000Z"]);
    // 国庆节 and the 调休: 1–7 October 2026 are holidays, so Q3's draft goes out on 8 October.
    expect(summariesDueOn("2026-10-08", holidays).map((p) => p.id)).toEqual(["2026-Q3"]);
    expect(summariesDueOn("2026-10-01", holidays)).toEqual([]);
    expect(summariesDueOn("2026-07-01", holidays).map((p) => p.id)).toEqual(["2026-Q2", "2026-H1"]);
    expect(summariesDueOn("2027-01-04", createHolidayCalendar({ warn: () => {} })).map((p) => p.id)).toEqual(["2026-Q4", "2026"]);
  });
});

describe("scheduler on SQLite", () => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase("sqlite");
    await insertFacts(test.db.prisma, [{ metric: "visits", value: 321, unit: "人次", from: "2026-11-18", branch: "总馆" }]);
  });
  afterAll(async () => test?.drop());
  afterEach(async () => {
    await test.db.prisma.jobRun.deleteMany();
    await test.db.prisma.draft.deleteMany();
  });

  it("catches up a digest missed during downtime, once, and leaves fires older than the window alone", async () => {
    const poster = new RecordingPoster();
    // Down from Sunday evening; back on Tuesday 10:00 — Monday 09:00's digest was missed (25 hours ago).
    const clock = { now: beijing("2026-11-24T10:00:00") };
    const scheduler = schedulerFor(test.db, poster, clock, "a");
    await scheduler.start();
    await scheduler.stop();
    const runs = await test.db.prisma.jobRun.findMany({ orderBy: { scheduledFor: "asc" } });
    expect(runs.map((r) => [r.job, r.scheduledFor.toISOString(), r.status])).toEqual([["weekly-digest", "2026-11-23T01:00:00.000Z", "ok"]]);
    expect(runs[0]!.detail).toContain("2026-W47 v1");
    expect(poster.posted.filter((p) => p.kind === "markdown")[0]!.markdown).toContain("到馆：321人次");
    // Monday's 17:00 reminder is 17 hours late: not caught up (it would ask about the wrong evening).
    expect(runs.some((r) => r.job === JOB_NAMES.reminder)).toBe(false);

    // Running again (a second tick, or a restart) does nothing new.
    const postedBefore = poster.posted.length;
    clock.now = beijing("2026-11-24T10:05:00");
    expect((await scheduler.runDue()).filter((r) => r.outcome !== "claimed-elsewhere")).toEqual([]);
    expect(poster.posted.length).toBe(postedBefore);
  });

  it("takes over a fire whose claim was left running by a process of this host that crashed", async () => {
    const poster = new RecordingPoster();
    // The digest was claimed at 09:00 by a process that died a minute later; the service is back at 09:05.
    const deadPid = 2 ** 22 + 12_345; // above Linux's pid_max default: no such process
    await test.db.prisma.jobRun.create({
      data: { job: JOB_NAMES.weeklyDigest, scheduledFor: beijing("2026-11-23T09:00:00"), claimedBy: `${hostname()}:${deadPid}:abc123`, startedAt: beijing("2026-11-23T09:00:00") },
    });
    const scheduler = schedulerFor(test.db, poster, { now: beijing("2026-11-23T09:05:00") }, `${hostname()}:${process.pid}:def456`);
    const results = await scheduler.runDue();
    expect(results.find((r) => r.job === JOB_NAMES.weeklyDigest)?.outcome).toBe("ok");
    expect(poster.posted.filter((p) => p.kind === "markdown")[0]!.markdown).toContain("到馆：321人次");
    // A live claim (this very process) is left alone.
    expect(isDeadLocalClaim(`${hostname()}:${process.pid}:zzz`, "other")).toBe(false);
    expect(isDeadLocalClaim(`another-host:${deadPid}:zzz`, "other")).toBe(false);
  });

  it("does not catch up a fire older than catchUpHours", async () => {
    const poster = new RecordingPoster();
    // Monday 09:00 + 73 hours: outside the 72-hour window.
    const scheduler = schedulerFor(test.db, poster, { now: beijing("2026-11-26T10:00:00") }, "a");
    const results = await scheduler.runDue();
    expect(results.filter((r) => r.job === JOB_NAMES.weeklyDigest)).toEqual([]);
    expect(poster.posted).toEqual([]);
  });

  it("records a failed run with its error and does not run it again", async () => {
    const jobs = [{ name: "boom", time: "09:00", timezone: "Asia/Shanghai", catchUpHours: 24, run: async () => Promise.reject(new Error("webhook 93000")) }];
    const scheduler = createScheduler({ prisma: test.db.prisma, jobs, clock: () => beijing("2026-11-24T10:00:00"), instanceId: "a" });
    expect((await scheduler.runDue()).map((r) => r.outcome)).toEqual(["failed"]);
    const run = await test.db.prisma.jobRun.findFirstOrThrow({ where: { job: "boom" } });
    expect([run.status, run.detail]).toEqual(["failed", "Error: webhook 93000"]);
    expect((await scheduler.runDue()).map((r) => r.outcome)).toEqual(["claimed-elsewhere"]);
  });

  it("takes over a claim whose runner died, once", async () => {
    let runs = 0;
    const jobs = [{ name: "job", time: "09:00", timezone: "Asia/Shanghai", catchUpHours: 24, run: async () => (runs++, { status: "ok" as const }) }];
    await test.db.prisma.jobRun.create({ data: { job: "job", scheduledFor: beijing("2026-11-24T09:00:00"), claimedBy: "dead", startedAt: beijing("2026-11-24T09:00:01") } });
    const early = createScheduler({ prisma: test.db.prisma, jobs, clock: () => beijing("2026-11-24T09:30:00"), instanceId: "a" });
    expect((await early.runDue()).map((r) => r.outcome)).toEqual(["claimed-elsewhere"]);
    const late = createScheduler({ prisma: test.db.prisma, jobs, clock: () => beijing("2026-11-24T10:30:00"), instanceId: "b" });
    expect((await late.runDue()).map((r) => r.outcome)).toEqual(["ok"]);
    expect(runs).toBe(1);
  });
});

describe("reminders on open days only", () => {
  let test: TestDatabase;
  // 城西分馆 closes on Sundays; on a 调休 Sunday (2026-09-20 is a working day for 国庆节) it opens.
  const site = testSite({
    branches: [
      { name: "总馆", closedWeekdays: [] },
      { name: "城东分馆", closedWeekdays: [1] },
      { name: "少儿馆", closedWeekdays: [] },
      { name: "城西分馆", closedWeekdays: [0] },
    ],
    people: [
      { userid: "wangwu", name: "王五", branch: "总馆", role: "staff" },
      { userid: "zhangsan", name: "张三", branch: "城东分馆", role: "staff" },
      { userid: "zhaoliu", name: "赵六", branch: "少儿馆", role: "staff" },
      { userid: "lisi", name: "李四", branch: "城西分馆", role: "staff" },
      { userid: "guanzhang", name: "刘馆长", branch: "总馆", role: "manager" },
    ],
  });
  beforeAll(async () => {
    test = await createTestDatabase("sqlite");
    await insertFacts(test.db.prisma, [
      { metric: "visits", value: 200, unit: "人次", from: "2026-11-23", branch: "总馆" },
      { metric: "loans", value: 40, unit: "册次", from: "2026-11-24", branch: "总馆" },
      { metric: "visits", value: 80, unit: "人次", from: "2026-11-24", branch: "城西分馆" },
      { metric: "visits", value: 10, unit: "人次", from: "2026-09-20", branch: "总馆" },
      { metric: "visits", value: 10, unit: "人次", from: "2026-09-20", branch: "城东分馆" },
      { metric: "visits", value: 10, unit: "人次", from: "2026-09-20", branch: "少儿馆" },
    ]);
    await test.db.prisma.closedDay.create({ data: { branch: "少儿馆", date: "2026-11-24", reason: "设备检修" } });
  });
  afterAll(async () => test?.drop());

  /** Runs what is due at `local` (the Monday digest may be due too); returns the reminder's posts and row. */
  async function reminderAt(local: string): Promise<{ poster: { posted: Posted[] }; status: string | undefined; detail: string | null | undefined }> {
    const poster = new RecordingPoster();
    const clock = { now: beijing(local) };
    const scheduler = schedulerFor(test.db, poster, clock, "a", site);
    const results = await scheduler.runDue();
    const fire = results.find((r) => r.job === JOB_NAMES.reminder);
    const row = fire ? await test.db.prisma.jobRun.findUnique({ where: { job_scheduledFor: { job: fire.job, scheduledFor: fire.scheduledFor } } }) : undefined;
    return { poster: { posted: poster.posted.filter((p) => p.kind === "text") }, status: row?.status, detail: row?.detail };
  }

  it("on a statutory holiday nobody is reminded (国庆节)", async () => {
    const { poster, status, detail } = await reminderAt("2026-10-01T17:00:30");
    expect(status).toBe("skipped");
    expect(detail).toContain("国庆节");
    expect(poster.posted).toEqual([]);
  });

  it("on Monday the branch closed on Mondays is not reminded; the others that did not report are, by userid", async () => {
    const { poster } = await reminderAt("2026-11-23T17:00:30");
    expect(poster.posted).toHaveLength(1);
    const post = poster.posted[0]!;
    expect(post.kind).toBe("text");
    expect(post.mentions!.sort()).toEqual(["lisi", "zhaoliu"]);
    expect(post.text).toBe("少儿馆、城西分馆11月23日的到馆、借阅等数据还没有报送，请在群里发一下今天的数字；今天如果闭馆，也请说一声“今天闭馆”。");
  });

  it("a closure announced in chat (ClosedDay) is not reminded", async () => {
    const { poster } = await reminderAt("2026-11-24T17:00:30");
    expect(poster.posted[0]!.mentions).toEqual(["zhangsan"]);
    expect(poster.posted[0]!.text).toMatch(/^城东分馆11月24日/);
  });

  it("on a 调休 working Sunday a branch that closes on Sundays opens and is reminded", async () => {
    const { poster } = await reminderAt("2026-09-20T17:00:30");
    expect(poster.posted[0]!.mentions).toEqual(["lisi"]);
  });

  it("on an ordinary Sunday it is not", async () => {
    const { poster } = await reminderAt("2026-11-29T17:00:30");
    expect(poster.posted[0]!.mentions!.sort()).toEqual(["wangwu", "zhangsan", "zhaoliu"]);
  });
});

describe("two instances on PostgreSQL", () => {
  let test: TestDatabase;
  let second: Database;
  beforeAll(async () => {
    test = await createTestDatabase("postgresql");
    second = await openDatabase(test.url);
    await insertFacts(test.db.prisma, [{ metric: "visits", value: 321, unit: "人次", from: "2026-11-18", branch: "总馆" }]);
  });
  afterAll(async () => {
    await second?.close();
    await test?.drop();
  });

  it("each fire runs exactly once, whichever instance claims it", async () => {
    const posterA = new RecordingPoster();
    const posterB = new RecordingPoster();
    const clock = { now: beijing("2026-11-24T10:00:00") };
    const a = schedulerFor(test.db, posterA, clock, "instance-a");
    const b = schedulerFor(second, posterB, clock, "instance-b");
    // Both start at once after the same downtime, then both tick at Monday-evening-like moments repeatedly.
    const results = (await Promise.all([a.runDue(), b.runDue(), a.runDue(), b.runDue()])).flat();
    const ran = results.filter((r) => r.outcome !== "claimed-elsewhere");
    expect(ran.map((r) => r.job)).toEqual(["weekly-digest"]);
    const runs = await test.db.prisma.jobRun.findMany();
    expect(runs).toHaveLength(1);
    expect(runs[0]!.status).toBe("ok");
    const digests = [...posterA.posted, ...posterB.posted].filter((p) => p.kind === "markdown");
    expect(digests.length).toBeGreaterThan(0);
    expect(new Set(digests.map((p) => p.dedupeKey)).size).toBe(digests.length);
    expect(posterA.posted.length === 0 || posterB.posted.length === 0).toBe(true);
    expect(await test.db.prisma.draft.count({ where: { kind: "digest" } })).toBe(1);
  });

  it("many concurrent ticks of the same reminder fire post it once", async () => {
    const posters = [new RecordingPoster(), new RecordingPoster()];
    const clock = { now: beijing("2026-11-25T17:00:05") };
    const schedulers = [schedulerFor(test.db, posters[0]!, clock, "a"), schedulerFor(second, posters[1]!, clock, "b")];
    await Promise.all(Array.from({ length: 6 }, (_, i) => schedulers[i % 2]!.runDue()));
    const texts = posters.flatMap((p) => p.posted).filter((p) => p.kind === "text");
    expect(texts).toHaveLength(1);
    expect(await test.db.prisma.jobRun.count({ where: { job: JOB_NAMES.reminder } })).toBe(1);
  });
});
