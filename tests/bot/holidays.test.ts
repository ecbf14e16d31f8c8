// Chat answers count the days a branch was due to report the way the digests do (calendar/open-days): statutory
// holidays are not 未报, a 调休 working weekend is due even at a branch that closes at weekends, and an ordinary
// missed workday still is 未报. Through the real bot core, parser and ledger on SQLite and PostgreSQL.
//
// The week of 2026-10-05 (Mon) … 10-11 (Sun), from chinese-days' published 2026 schedule: 10-05…07 are 国庆节
// holidays, Saturday 10-10 is a 调休 working day, Sunday 10-11 an ordinary weekend day.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHolidayCalendar } from "../../src/calendar/holidays.js";
import type { SiteConfig } from "../../src/config/site.js";
import { PROVIDERS } from "../helpers/db.js";
import { createHarness, SITE, Tally, type Harness } from "./harness.js";

const WEEK = { from: "2026-10-05", to: "2026-10-11" };

// 城东分馆 here closes at weekends (say, in a government building), so only a 调休 Saturday makes it due then.
const site: SiteConfig = {
  ...SITE,
  branches: SITE.branches.map((b) => (b.name === "城东分馆" ? { ...b, closedWeekdays: [0, 6] } : b)),
};

describe("the published 2026 schedule the scenario relies on", () => {
  it("has 国庆节 on 10-01…07 and Saturday 10-10 as a 调休 working day", () => {
    const calendar = createHolidayCalendar({ warn: () => {} });
    for (const day of ["2026-10-05", "2026-10-06", "2026-10-07"]) expect(calendar.day(day)).toMatchObject({ holiday: true, name: "国庆节", official: true });
    expect(calendar.day("2026-10-10")).toMatchObject({ holiday: false, workingWeekend: true, official: true });
    expect(calendar.day("2026-10-11")).toMatchObject({ holiday: false, workingWeekend: false, officialWorkday: false });
  });
});

describe.each(PROVIDERS)("coverage over 国庆 and 调休 on %s", (provider) => {
  let h: Harness;
  const tally = new Tally();
  const report = async (who: string, branch: string, day: string, value: number) => {
    const reply = await h.say(who, `${day}T17:00`, `今日到馆 ${value}人`);
    tally.set("visits", branch, day, value);
    return reply;
  };

  beforeAll(async () => {
    h = await createHarness(provider, site);
    // Nobody reports on the holidays. 总馆 and 少儿馆 report every other day; 城东分馆 misses the 调休 Saturday
    // (it is closed on Sunday); 城西分馆 (closed Mondays) misses Friday, an ordinary workday.
    for (const day of ["2026-10-08", "2026-10-09", "2026-10-10", "2026-10-11"]) {
      await report("wangwu", "总馆", day, 200);
      await report("zhaoliu", "少儿馆", day, 70);
    }
    await report("zhangsan", "城东分馆", "2026-10-08", 30);
    await report("lisi", "城西分馆", "2026-10-08", 40);
    await report("lisi", "城西分馆", "2026-10-10", 45);
    await report("lisi", "城西分馆", "2026-10-11", 50);
  });
  afterAll(async () => {
    await h?.drop();
  });

  it("does not call the holidays missing in the running week total", async () => {
    // Thursday and Friday are all 城东分馆 owed this week so far: 10-05…07 were 国庆.
    expect((await report("zhangsan", "城东分馆", "2026-10-09", 35)).text).toBe("✅ 已记录：城东分馆 10月9日 到馆35人次（本周累计到馆65人次）");
  });

  it("lists the missed workday and the missed 调休 Saturday, and no holiday, when asked who did not report", async () => {
    expect((await h.say("guanzhang", "2026-10-12T09:00", "上周哪些馆没报？")).text).toBe(
      "上周（10月5日至11日）城东分馆10月10日未报，城西分馆10月9日未报，其余2个馆已报齐。",
    );
  });

  it("calls the week's total 已报 with only those two gaps", async () => {
    const total = tally.sum("visits", WEEK.from, WEEK.to);
    const answer = (await h.say("guanzhang", "2026-10-12T09:00", "上周到馆多少人？")).text;
    expect(answer).toBe(`上周（10月5日至11日）全馆到馆已报${total}人次；城东分馆10月10日未报，城西分馆10月9日未报。`);
    const gaps = answer.split("；")[1]!;
    for (const holiday of ["5日", "6日", "7日"]) expect(gaps).not.toContain(holiday);
  });

  it("says a branch that reported every day but the holidays is complete", async () => {
    const total = tally.sum("visits", WEEK.from, WEEK.to, "总馆");
    expect((await h.say("guanzhang", "2026-10-12T09:00", "总馆上周到馆多少人？")).text).toBe(`上周（10月5日至11日）总馆到馆共${total}人次，已报齐。`);
  });

  it("counts the holidays as reported once a branch reports them anyway", async () => {
    // A branch open on a holiday may report it: data is data, and the day is not missing either way.
    await h.say("wangwu", "2026-10-12T09:05", "补报10月5日到馆 300人");
    tally.set("visits", "总馆", "2026-10-05", 300);
    const total = tally.sum("visits", WEEK.from, WEEK.to, "总馆");
    expect((await h.say("guanzhang", "2026-10-12T09:10", "总馆上周到馆多少人？")).text).toBe(`上周（10月5日至11日）总馆到馆共${total}人次，已报齐。`);
  });
});

describe.each(PROVIDERS)("the holiday calendar the bot is given on %s", (provider) => {
  let h: Harness;
  beforeAll(async () => {
    // A schedule in which 2026's only holiday is Wednesday 11-18: the bot must use this one, not its default.
    const holidays = createHolidayCalendar({ data: { holidays: { "2026-11-18": "Test Day,测试假日,1" }, workdays: {} } });
    h = await createHarness(provider, SITE, { holidays });
    for (const day of ["2026-11-16", "2026-11-17", "2026-11-19"]) await h.say("wangwu", `${day}T17:00`, "今日到馆 100人");
  });
  afterAll(async () => {
    await h?.drop();
  });

  it("answers coverage from the calendar passed in", async () => {
    // With the default schedule 11-18 would be 未报.
    expect((await h.say("guanzhang", "2026-11-19T20:00", "总馆本周到馆多少人？")).text).toBe("本周（11月16日至19日）总馆到馆共300人次，已报齐。");
  });
});
