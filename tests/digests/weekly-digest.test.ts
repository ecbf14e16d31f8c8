// Golden test of the weekly digest on a fixed data set (real SQLite, facts inserted with Prisma; nothing mocked
// but the group poster, which records). Every figure the digest prints is compared with a tally computed here,
// from the fixture arrays, without the code under test; and every number in the text must be one of them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCatalogue } from "../../src/catalogue/index.js";
import { createHolidayCalendar } from "../../src/calendar/holidays.js";
import { parsePeriod } from "../../src/digests/periods.js";
import { produceWeeklyDigest, type DigestResult } from "../../src/digests/run.js";
import { byteLength } from "../../src/digests/split.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { insertFacts, numbersIn, PLACEHOLDERS, RecordingPoster, testSite, type FactRow } from "./helpers.js";

const WEEK = ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-21", "2026-11-22"];
// Daily figures; null = no report that day. 城东分馆 closes on Mondays; 少儿馆 did not report Wed/Thu.
const VISITS: Record<string, Array<number | null>> = {
  总馆: [120, 135, 98, 110, 142, 260, 275],
  城东分馆: [null, 60, 55, 70, 66, 130, 128],
  少儿馆: [40, 45, null, null, 52, 90, 96],
};
const LOANS: Record<string, Array<number | null>> = {
  总馆: [80, 85, 70, 75, 90, 150, 160],
  城东分馆: [null, 30, 28, 35, 33, 60, 62],
};
const PREVIOUS_WEEK = ["2026-11-09", "2026-11-10", "2026-11-11", "2026-11-12", "2026-11-13", "2026-11-14", "2026-11-15"];
const MONTHLY_VISITS_2026 = 8000; // 总馆, January to October, as month totals
const MONTHLY_LOANS_2026 = 6000;
const MONTHLY_EVENTS_2026 = 15;
const LAST_YEAR_WEEK_VISITS = 900; // 2025-W47, one week total

function sum(values: ReadonlyArray<number | null>): number {
  return values.reduce<number>((a, v) => a + (v ?? 0), 0);
}
function pct(ratio: number): string {
  return `${(Math.abs(ratio) * 100).toFixed(1)}%`;
}

function fixture(): FactRow[] {
  const rows: FactRow[] = [];
  for (const [metric, unit, table] of [["visits", "人次", VISITS], ["loans", "册次", LOANS]] as const) {
    for (const [branch, values] of Object.entries(table)) {
      values.forEach((value, i) => value !== null && rows.push({ metric, value, unit, from: WEEK[i]!, branch }));
    }
  }
  rows.push({ metric: "events", value: 1, unit: "场", from: "2026-11-18", branch: "总馆", eventType: "lecture", eventName: "家门口的讲堂" });
  rows.push({ metric: "event_attendance", value: 56, unit: "人次", from: "2026-11-18", branch: "总馆", eventType: "lecture", eventName: "家门口的讲堂" });
  rows.push({ metric: "events", value: 2, unit: "场", from: "2026-11-21", branch: "少儿馆", eventType: "parent_child", eventName: "书香童年" });
  rows.push({ metric: "event_attendance", value: 48, unit: "人次", from: "2026-11-21", branch: "少儿馆", eventType: "parent_child" });
  rows.push({ metric: "donated_books", value: 300, unit: "册", approx: true, from: "2026-11-20", branch: "总馆" });
  rows.push({ metric: "registered_readers", value: 12000, unit: "人", from: "2026-11-10", branch: "总馆" });
  rows.push({ metric: "registered_readers", value: 12100, unit: "人", from: "2026-11-20", branch: "总馆" });
  // The week before: 总馆 every day, 城东分馆 Tuesday to Sunday.
  PREVIOUS_WEEK.forEach((day, i) => {
    rows.push({ metric: "visits", value: 100, unit: "人次", from: day, branch: "总馆" });
    rows.push({ metric: "loans", value: 60, unit: "册次", from: day, branch: "总馆" });
    if (i > 0) rows.push({ metric: "visits", value: 50, unit: "人次", from: day, branch: "城东分馆" });
  });
  rows.push({ metric: "visits", value: LAST_YEAR_WEEK_VISITS, unit: "人次", from: "2025-11-17", to: "2025-11-23", branch: "总馆" });
  for (let month = 1; month <= 10; month++) {
    const mm = String(month).padStart(2, "0");
    const last = new Date(Date.UTC(2026, month, 0)).getUTCDate();
    const range = { from: `2026-${mm}-01`, to: `2026-${mm}-${last}` };
    rows.push({ metric: "visits", value: MONTHLY_VISITS_2026, unit: "人次", ...range, branch: "总馆" });
    rows.push({ metric: "loans", value: MONTHLY_LOANS_2026, unit: "册次", ...range, branch: "总馆" });
    rows.push({ metric: "events", value: MONTHLY_EVENTS_2026, unit: "场", ...range, branch: "总馆" });
  }
  return rows;
}

describe("weekly digest (golden, 2026-W47)", () => {
  let test: TestDatabase;
  let result: DigestResult;
  let text: string;
  const poster = new RecordingPoster();

  // The independent tally.
  const visitsByBranch = Object.fromEntries(Object.entries(VISITS).map(([b, v]) => [b, sum(v)]));
  const loansByBranch = Object.fromEntries(Object.entries(LOANS).map(([b, v]) => [b, sum(v)]));
  const visits = Object.values(visitsByBranch).reduce((a, b) => a + b, 0);
  const loans = Object.values(loansByBranch).reduce((a, b) => a + b, 0);
  const previousVisits = 100 * 7 + 50 * 6;
  const previousLoans = 60 * 7;
  const ytdVisits = MONTHLY_VISITS_2026 * 10 + previousVisits + visits;
  const ytdLoans = MONTHLY_LOANS_2026 * 10 + previousLoans + loans;
  const ytdEvents = MONTHLY_EVENTS_2026 * 10 + 3;
  const elapsed = 334 - 8; // days from 1 January to 22 November 2026 inclusive (Nov 30 is day 334)

  beforeAll(async () => {
    test = await createTestDatabase("sqlite");
    await insertFacts(test.db.prisma, fixture());
    const site = testSite();
    result = await produceWeeklyDigest(
      { prisma: test.db.prisma, site, catalogue: buildCatalogue(), holidays: createHolidayCalendar(), poster },
      parsePeriod("2026-W47"),
      { send: true, createdBy: "test" },
    );
    text = result.messages.join("\n\n");
    if (process.env.PRINT_DIGEST) console.log(text);
  });
  afterAll(async () => test?.drop());

  it("states last week's totals with 环比 and, where last year has data, 同比", () => {
    expect(text).toContain("## 示例区图书馆2026年第47周数据简报");
    expect(text).toContain("11月16日至22日");
    expect(text).toContain(
      `- 到馆：${visits}人次，环比↑${visits - previousVisits}（+${pct(visits / previousVisits - 1)}），同比↑${visits - LAST_YEAR_WEEK_VISITS}（+${pct(visits / LAST_YEAR_WEEK_VISITS - 1)}）`,
    );
    // No loans last year: no 同比 on that line.
    expect(text).toContain(`- 借阅：${loans}册次，环比↑${loans - previousLoans}（+${pct(loans / previousLoans - 1)}）\n`);
    expect(text).toMatch(/：约300册/);
    // 持证读者 is a stock: the network figure is the sum of the branches' latest values, and only 总馆 reported one.
    expect(text).toContain("- 持证读者：截至11月20日12100人（不含城东分馆、少儿馆，两馆均未报）\n");
  });

  it("breaks the day counters down per branch", () => {
    expect(text).toContain(`- 总馆：到馆${visitsByBranch["总馆"]}人次，借阅${loansByBranch["总馆"]}册次`);
    expect(text).toContain(`- 城东分馆：到馆${visitsByBranch["城东分馆"]}人次，借阅${loansByBranch["城东分馆"]}册次`);
    expect(text).toContain(`- 少儿馆：到馆${visitsByBranch["少儿馆"]}人次`);
  });

  it("names who did not report which open days (a Monday closing day is not missing)", () => {
    expect(text).toContain("- 少儿馆：11月18日、19日未报");
    expect(text).not.toMatch(/城东分馆：[^\n]*未报/);
    expect(text).toContain("- 其余各馆（总馆、城东分馆）均已报送");
  });

  it("lists the week's activities by type with attendance and names", () => {
    expect(text).toContain(`- 共举办活动3场，参与${56 + 48}人次`);
    expect(text).toContain("- 讲座1场，参与56人次：“家门口的讲堂”");
    expect(text).toContain("- 亲子活动2场，参与48人次：“书香童年”");
  });

  it("shows progress against the annual targets", () => {
    expect(text).toContain(`年度目标进度（时间进度${pct(elapsed / 365)}）`);
    expect(text).toContain(`- 到馆：累计${ytdVisits}人次，完成年度目标120000人次的${pct(ytdVisits / 120000)}`);
    expect(text).toContain(`- 借阅：累计${ytdLoans}册次，完成年度目标90000册次的${pct(ytdLoans / 90000)}`);
    expect(text).toContain(`- 活动：累计${ytdEvents}场，完成年度目标200场的${pct(ytdEvents / 200)}`);
  });

  it("prints no number that is not in the tally, and no placeholder", () => {
    const allowed = new Set<number>([
      2026, 47, 11, 16, 18, 19, 20, 22, 1, 2, 3, 56, 48, 56 + 48, 300, 12100, 120000, 90000, 200,
      visits, loans, ...Object.values(visitsByBranch), ...Object.values(loansByBranch),
      visits - previousVisits, loans - previousLoans, visits - LAST_YEAR_WEEK_VISITS, ytdVisits, ytdLoans, ytdEvents,
      ...[visits / previousVisits - 1, loans / previousLoans - 1, visits / LAST_YEAR_WEEK_VISITS - 1, ytdVisits / 120000, ytdLoans / 90000, ytdEvents / 200, elapsed / 365].map(
        (r) => Number((Math.abs(r) * 100).toFixed(1)),
      ),
    ]);
    const stray = numbersIn(text).filter((n) => !allowed.has(n));
    expect(stray).toEqual([]);
    expect(text).not.toMatch(PLACEHOLDERS);
  });

  it("posts messages within WeCom's byte limit, then the chart, and stores a traced draft", () => {
    for (const message of result.messages) expect(byteLength(message)).toBeLessThanOrEqual(4096);
    expect(poster.posted.map((p) => p.kind)).toEqual([...result.messages.map(() => "markdown"), "file"]);
    const chart = poster.posted.at(-1)!;
    expect(chart.fileName).toBe("示例区图书馆2026年第47周数据简报.png");
    expect(chart.bytes!.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(result.draft.version).toBe(1);
    const visitsTrace = result.draft.trace.find((t) => t.figure === `2026-W47 到馆 ${visits}人次`);
    expect(visitsTrace?.factIds.length).toBe(Object.values(VISITS).flat().filter((v) => v !== null).length);
  });
});
