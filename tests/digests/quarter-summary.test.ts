// Golden test of a quarter draft on day counters: three branches reporting daily through 2026-Q3, one with five
// unreported open days, last year's Q3 as month totals (visits lower, loans higher), and an annual target. Every
// figure is compared with a tally computed here from the fixture formulas; every number in the text must be one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCatalogue } from "../../src/catalogue/index.js";
import { createHolidayCalendar } from "../../src/calendar/holidays.js";
import { parsePeriod } from "../../src/digests/periods.js";
import { produceSummary, type SummaryResult } from "../../src/digests/run.js";
import { byteLength } from "../../src/digests/split.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { insertFacts, numbersIn, PLACEHOLDERS, RecordingPoster, testSite, type FactRow } from "./helpers.js";

const BRANCHES = ["总馆", "城东分馆", "少儿馆"] as const;
const SKIPPED = new Set(["2026-07-14", "2026-07-15", "2026-07-16", "2026-07-17", "2026-07-21"]); // 少儿馆, all open weekdays
const LAST_YEAR_VISITS = [9000, 9500, 8800]; // 2025 July–September, 总馆 month totals
const LAST_YEAR_LOANS = [9000, 9000, 9000];
const H1_VISITS = 50000; // 2026 January–June, one total

function q3Days(): string[] {
  const days: string[] = [];
  for (let t = Date.UTC(2026, 6, 1); t <= Date.UTC(2026, 8, 30); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}
const visitsOn = (branch: number, i: number) => 80 + branch * 40 + (i * 7) % 30;
const loansOn = (i: number) => 50 + (i * 5) % 20;

function fixture(): FactRow[] {
  const rows: FactRow[] = [];
  q3Days().forEach((day, i) => {
    BRANCHES.forEach((branch, b) => {
      if (branch === "少儿馆" && SKIPPED.has(day)) return;
      rows.push({ metric: "visits", value: visitsOn(b, i), unit: "人次", from: day, branch });
    });
    rows.push({ metric: "loans", value: loansOn(i), unit: "册次", from: day, branch: "总馆" });
  });
  ["07", "08", "09"].forEach((mm, m) => {
    const range = { from: `2025-${mm}-01`, to: `2025-${mm}-${mm === "09" ? 30 : 31}` };
    rows.push({ metric: "visits", value: LAST_YEAR_VISITS[m]!, unit: "人次", ...range, branch: "总馆" });
    rows.push({ metric: "loans", value: LAST_YEAR_LOANS[m]!, unit: "册次", ...range, branch: "总馆" });
  });
  rows.push({ metric: "visits", value: H1_VISITS, unit: "人次", from: "2026-01-01", to: "2026-06-30", branch: "总馆" });
  rows.push({ metric: "new_cards", value: 35, unit: "个", from: "2026-08-08", branch: "总馆" });
  rows.push({ metric: "new_cards", value: 17, unit: "个", from: "2026-09-12", branch: "城东分馆" });
  return rows;
}

describe("quarter draft (golden, 2026-Q3)", () => {
  let test: TestDatabase;
  let result: SummaryResult;
  let text: string;
  const days = q3Days();
  const byBranch = BRANCHES.map((branch, b) => days.reduce((sum, day, i) => sum + (branch === "少儿馆" && SKIPPED.has(day) ? 0 : visitsOn(b, i)), 0));
  const visits = byBranch.reduce((a, b) => a + b, 0);
  const loans = days.reduce((sum, _, i) => sum + loansOn(i), 0);
  const lastYearVisits = LAST_YEAR_VISITS.reduce((a, b) => a + b, 0);
  const lastYearLoans = LAST_YEAR_LOANS.reduce((a, b) => a + b, 0);
  const ytdVisits = H1_VISITS + visits;
  const pct = (r: number) => `${(Math.abs(r) * 100).toFixed(1)}%`;

  beforeAll(async () => {
    test = await createTestDatabase("sqlite");
    await insertFacts(test.db.prisma, fixture());
    result = await produceSummary(
      { prisma: test.db.prisma, site: testSite({ targets: { "2026": { visits: 120000 } } }), catalogue: buildCatalogue(), holidays: createHolidayCalendar(), poster: new RecordingPoster() },
      parsePeriod("2026-Q3"),
      { send: true, createdBy: "test" },
    );
    text = result.draft.markdown;
    if (process.env.PRINT_DRAFT) console.log(text);
  });
  afterAll(async () => test?.drop());

  it("titles and opens a quarter report", () => {
    expect(text).toMatch(/^# 示例区图书馆2026年第三季度工作总结\n/);
    expect(text).toContain("2026年第三季度，示例区图书馆");
    expect(text).toContain("现将本季度工作总结如下：");
    // 少儿馆 has unreported days: the opening gives what was reported and says so, without 共.
    expect(text).toContain(`据各馆已报数据，本季度接待读者${visits}人次，外借图书${loans}册次，新办读者证52个。`);
  });

  it("states visits with 同比, the branch breakdown, the gap and the target", () => {
    expect(text).toContain(
      `1、到馆服务：本季度共接待读者${visits}人次（少儿馆部分数据未报），同比增长${pct(visits / lastYearVisits - 1)}，` +
        `其中总馆${byBranch[0]}人次、城东分馆${byBranch[1]}人次、少儿馆${byBranch[2]}人次，` +
        `2026年累计接待读者${ytdVisits}人次，完成年度目标120000人次的${pct(ytdVisits / 120000)}。`,
    );
    expect(text).toContain(`2、借阅流通：外借图书${loans}册次，同比下降${pct(loans / lastYearLoans - 1)}。`);
    expect(text).toContain("3、读者办证：新办读者证52个。");
  });

  it("raises the decline and the reporting gap as 存在的问题, and nothing else", () => {
    expect(text).toContain(
      `## 二、存在的问题\n在取得成绩的同时，我们也看到了工作中的不足：一是外借册次同比下降${pct(loans / lastYearLoans - 1)}，需分析原因，改进服务；` +
        `二是少儿馆有${SKIPPED.size}个开放日未报送到馆、借阅等日常数据，统计数据不够完整，报送工作还需加强。`,
    );
    expect(text).toContain("## 三、第四季度工作计划\n1、【待补充：");
  });

  it("prints only tallied numbers, no placeholders, and splits for WeCom", () => {
    const body = text.slice(0, text.indexOf("## 附：数据来源"));
    const allowed = new Set([
      2026, visits, loans, 52, ...byBranch, ytdVisits, 120000, SKIPPED.size, 1, 2, 3,
      ...[visits / lastYearVisits - 1, loans / lastYearLoans - 1, ytdVisits / 120000].map((r) => Number((Math.abs(r) * 100).toFixed(1))),
    ]);
    expect(numbersIn(body).filter((n) => !allowed.has(n))).toEqual([]);
    expect(text).not.toMatch(PLACEHOLDERS);
    for (const message of result.messages) expect(byteLength(message)).toBeLessThanOrEqual(4096);
    expect(result.messages.join("\n\n")).not.toContain("附：数据来源");
  });

  it("regenerating after a correction stores a new version; unchanged figures keep the version", async () => {
    const deps = { prisma: test.db.prisma, site: testSite({ targets: { "2026": { visits: 120000 } } }), catalogue: buildCatalogue(), holidays: createHolidayCalendar() };
    const again = await produceSummary(deps, parsePeriod("2026-Q3"), { createdBy: "test" });
    expect([again.draft.version, again.draft.created]).toEqual([1, false]);
    const wrong = await test.db.prisma.fact.findFirstOrThrow({ where: { metric: "new_cards", branch: "城东分馆" } });
    await test.db.prisma.fact.create({
      data: { metric: "new_cards", value: 18, unit: "个", dateFrom: wrong.dateFrom, dateTo: wrong.dateTo, branch: wrong.branch, supersedesId: wrong.id, actorId: "test" },
    });
    const corrected = await produceSummary(deps, parsePeriod("2026-Q3"), { createdBy: "test" });
    expect([corrected.draft.version, corrected.draft.created]).toEqual([2, true]);
    expect(corrected.draft.markdown).toContain("新办读者证53个");
    expect(await test.db.prisma.draft.count({ where: { kind: "summary", period: "2026-Q3" } })).toBe(2);
  });
});
