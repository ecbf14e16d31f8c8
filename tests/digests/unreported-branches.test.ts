// A branch that reports nothing all period, on SQLite and PostgreSQL through the real producers: the quarter draft
// and the weekly digest name it where the day-counter totals leave it out, a network stock (馆藏) says which branch
// it does not include, and a branch closed all period (announced closures) is not called silent. Every figure is
// compared with a tally computed here from the fixture formulas, and every number in the text must be one of them.
//
// Four branches: 总馆 reports 到馆 and 借阅 every day; 城东分馆 (closed Mondays) reports 到馆 on its open days but
// three; 城西分馆 reports no day counter at all (only an activity, or books donated); 少儿馆 is closed all quarter
// and all week for repairs, and reports its 馆藏. 城西分馆 never reports 馆藏.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCatalogue } from "../../src/catalogue/index.js";
import { createHolidayCalendar } from "../../src/calendar/holidays.js";
import { parsePeriod } from "../../src/digests/periods.js";
import { produceSummary, produceWeeklyDigest, type ProduceDeps } from "../../src/digests/run.js";
import { eachDay, weekdayOf } from "../../src/records/dates.js";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "../helpers/db.js";
import { insertFacts, numbersIn, PLACEHOLDERS, testSite, type FactRow } from "./helpers.js";

const site = testSite({
  branches: [
    { name: "总馆", closedWeekdays: [] },
    { name: "城东分馆", closedWeekdays: [1] },
    { name: "城西分馆", closedWeekdays: [1] },
    { name: "少儿馆", closedWeekdays: [] },
  ],
  targets: {},
});

const Q3 = eachDay({ from: "2026-07-01", to: "2026-09-30" });
const W47 = eachDay({ from: "2026-11-16", to: "2026-11-22" });
/** 城东分馆's unreported open days in Q3 (a Tuesday to a Thursday). */
const EAST_SKIPPED = new Set(["2026-08-04", "2026-08-05", "2026-08-06"]);
const visitsOn = (branch: "总馆" | "城东分馆", i: number) => (branch === "总馆" ? 150 + (i * 7) % 40 : 40 + (i * 3) % 15);
const loansOn = (i: number) => 60 + (i * 5) % 25;
const HOLDINGS = { 总馆: 300000, 城东分馆: 26000, 少儿馆: 20000 } as const;

function eastReports(day: string): boolean {
  return weekdayOf(day) !== 1 && !EAST_SKIPPED.has(day);
}

function fixture(): FactRow[] {
  const rows: FactRow[] = [];
  for (const days of [Q3, W47]) {
    days.forEach((day, i) => {
      rows.push({ metric: "visits", value: visitsOn("总馆", i), unit: "人次", from: day, branch: "总馆" });
      rows.push({ metric: "loans", value: loansOn(i), unit: "册次", from: day, branch: "总馆" });
      if (days === W47 ? weekdayOf(day) !== 1 : eastReports(day)) rows.push({ metric: "visits", value: visitsOn("城东分馆", i), unit: "人次", from: day, branch: "城东分馆" });
    });
  }
  // 城西分馆: figures, but never a day counter.
  rows.push({ metric: "events", value: 2, unit: "场", from: "2026-08-15", branch: "城西分馆" });
  rows.push({ metric: "donated_books", value: 50, unit: "册", from: "2026-11-18", branch: "城西分馆" });
  // 馆藏: 总馆 twice (the later one counts), 城东分馆 and the closed 少儿馆 once each; 城西分馆 never.
  rows.push({ metric: "collection_total", value: 290000, unit: "册", from: "2026-07-01", branch: "总馆" });
  rows.push({ metric: "collection_total", value: HOLDINGS.总馆, unit: "册", from: "2026-09-30", branch: "总馆" });
  rows.push({ metric: "collection_total", value: HOLDINGS.城东分馆, unit: "册", from: "2026-09-15", branch: "城东分馆" });
  rows.push({ metric: "collection_total", value: HOLDINGS.少儿馆, unit: "册", from: "2026-07-01", branch: "少儿馆" });
  rows.push({ metric: "collection_total", value: HOLDINGS.总馆, unit: "册", from: "2026-11-20", branch: "总馆" });
  rows.push({ metric: "collection_total", value: HOLDINGS.城东分馆, unit: "册", from: "2026-11-17", branch: "城东分馆" });
  rows.push({ metric: "collection_total", value: HOLDINGS.少儿馆, unit: "册", from: "2026-11-16", branch: "少儿馆" });
  // 2026-Q2: nobody reports a day counter; every branch reports 馆藏.
  rows.push({ metric: "events", value: 5, unit: "场", from: "2026-05-10", branch: "总馆" });
  for (const [branch, value] of [["总馆", 280000], ["城东分馆", 25000], ["城西分馆", 15000], ["少儿馆", 19000]] as const) {
    rows.push({ metric: "collection_total", value, unit: "册", from: "2026-06-30", branch });
  }
  return rows;
}

describe.each(PROVIDERS)("branches that report nothing, on %s", (provider) => {
  let test: TestDatabase;
  let deps: ProduceDeps;
  const holdings = HOLDINGS.总馆 + HOLDINGS.城东分馆 + HOLDINGS.少儿馆;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    await insertFacts(test.db.prisma, fixture());
    // 少儿馆 is closed for repairs all quarter and all week, announced in chat.
    await test.db.prisma.closedDay.createMany({ data: [...Q3, ...W47].map((date) => ({ branch: "少儿馆", date, reason: "闭馆维修" })) });
    deps = { prisma: test.db.prisma, site, catalogue: buildCatalogue(), holidays: createHolidayCalendar() };
  });
  afterAll(async () => test?.drop());

  describe("quarter draft (2026-Q3)", () => {
    let text: string;
    let body: string;
    /** 2026-Q2, when nobody reported a day counter and every branch reported 馆藏. */
    let quiet: string;
    const east = Q3.reduce((sum, day, i) => sum + (eastReports(day) ? visitsOn("城东分馆", i) : 0), 0);
    const head = Q3.reduce((sum, _, i) => sum + visitsOn("总馆", i), 0);
    const visits = head + east;
    const loans = Q3.reduce((sum, _, i) => sum + loansOn(i), 0);

    beforeAll(async () => {
      text = (await produceSummary(deps, parsePeriod("2026-Q3"), { createdBy: "test" })).draft.markdown;
      body = text.slice(0, text.indexOf("## 附：数据来源"));
      quiet = (await produceSummary(deps, parsePeriod("2026-Q2"), { createdBy: "test" })).draft.markdown;
      if (process.env.PRINT_DRAFT) console.log(text);
    });

    it("names the silent branch in 存在的问题 before the partial gap, and not the branch closed all quarter", () => {
      expect(body).toContain(
        "## 四、存在的问题\n在取得成绩的同时，我们也看到了工作中的不足：一是城西分馆本季度未报送每日数据，以上到馆、借阅等数据不含该馆；" +
          `二是城东分馆有${EAST_SKIPPED.size}个开放日未报送到馆、借阅等日常数据，统计数据不够完整，报送工作还需加强。\n`,
      );
      // 少儿馆 had no open day (announced closures): not silent, and named nowhere.
      expect(body).not.toContain("少儿馆");
    });

    it("names nobody when nobody reported a day counter, as before", () => {
      expect(body).toContain("一是城西分馆本季度未报送每日数据");
      // Q2: no daily figures to qualify, so no reporting problem and no 据各馆已报数据; a 馆藏 every branch
      // reported says nothing extra.
      expect(quiet).toContain("本季度共举办各类活动5场。现将本季度工作总结如下：");
      expect(quiet).toContain(`1、馆藏规模：截至6月底，馆藏总量达${280000 + 25000 + 15000 + 19000}册。`);
      expect(quiet).not.toMatch(/未报|不含|据各馆已报数据|存在的问题/);
    });

    it("opens with what was reported, and says who the visits leave out", () => {
      expect(body).toContain(`据各馆已报数据，本季度接待读者${visits}人次，外借图书${loans}册次，举办各类活动2场。`);
      expect(body).toContain(
        `1、到馆服务：本季度共接待读者${visits}人次（不含城西分馆，该馆未报；城东分馆部分数据未报），其中总馆${head}人次、城东分馆${east}人次。`,
      );
    });

    it("says which branch the network 馆藏 leaves out, and prints only tallied numbers", () => {
      expect(body).toContain(`1、馆藏规模：截至9月底，馆藏总量达${holdings}册（不含城西分馆，该馆未报）。`);
      const allowed = new Set([2026, visits, loans, head, east, holdings, 2, 9, EAST_SKIPPED.size, 1, 3, 4]);
      expect(numbersIn(body).filter((n) => !allowed.has(n))).toEqual([]);
      expect(text).not.toMatch(PLACEHOLDERS);
    });
  });

  describe("weekly digest (2026-W47)", () => {
    let text: string;
    const head = W47.reduce((sum, _, i) => sum + visitsOn("总馆", i), 0);
    const east = W47.reduce((sum, day, i) => sum + (weekdayOf(day) !== 1 ? visitsOn("城东分馆", i) : 0), 0);
    const loans = W47.reduce((sum, _, i) => sum + loansOn(i), 0);

    beforeAll(async () => {
      text = (await produceWeeklyDigest(deps, parsePeriod("2026-W47"), { createdBy: "test" })).messages.join("\n\n");
      if (process.env.PRINT_DIGEST) console.log(text);
    });

    it("says the week's day-counter totals leave the silent branch out", () => {
      expect(text).toContain(`- 到馆：${head + east}人次\n- 借阅：${loans}册次\n`);
      expect(text).toContain("**报送情况**\n- 城西分馆：本周开放日均未报送，到馆、借阅等合计不含该馆\n");
      expect(text).not.toMatch(/少儿馆：[^\n]*未报/);
      // Closed all week: neither silent nor among those that reported.
      expect(text).toMatch(/- 少儿馆本周闭馆，无需报送(?:\n|$)/);
      expect(text).not.toMatch(/均已报送[^\n]*少儿馆|少儿馆[^\n]*均已报送/);
    });

    it("says which branch the network 馆藏 leaves out, and prints only tallied numbers", () => {
      expect(text).toContain(`- 馆藏：截至11月20日${holdings}册（不含城西分馆，该馆未报）\n`);
      expect(text).toContain("- 捐书：50册");
      const allowed = new Set([2026, 47, 11, 16, 20, 22, head + east, loans, head, east, holdings, 50]);
      expect(numbersIn(text).filter((n) => !allowed.has(n))).toEqual([]);
    });
  });
});
