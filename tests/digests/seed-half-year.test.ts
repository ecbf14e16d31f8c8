// The seed scenario (shared/seeds/): half a year of chat reports whose figures add up to the seed summaries'
// numbers — seed 000 篇4 (活动186场 with its eight 其中 parts adding to 185, 参与6932人次, 报道26次, 荣誉六项其中
// 市级三项区级三项, 捐赠178次, 图书15822本, 期刊8234本, 捐款1700元, 读者对象12770余人, 出资近四万元), seed 000 篇1
// (采购图书20000册, 电子图书20000册, 5月13日捐赠活动5280册) and seed 002 (古籍录入49件, 上报30件, 送书二批1200册,
// 借阅6000多人次/8000多册次, 地方文献1000余册, 简报6期, 培训6学时). The half-year draft must state them, with the
// breakdowns, and the .docx must open (LibreOffice converts it back to text).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCatalogue } from "../../src/catalogue/index.js";
import { createHolidayCalendar } from "../../src/calendar/holidays.js";
import { parsePeriod } from "../../src/digests/periods.js";
import { produceSummary, type SummaryResult } from "../../src/digests/run.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";
import { insertFacts, insertWithParts, numbersIn, PLACEHOLDERS, RecordingPoster, testSite, type FactRow } from "./helpers.js";

const MONTHS = ["01", "02", "03", "04", "05", "06"];
const LAST_DAY = ["31", "28", "31", "30", "31", "30"];

/** Splits a total into six monthly parts that add up to it exactly. */
function monthly(total: number): number[] {
  const base = Math.floor(total / 6);
  return MONTHS.map((_, i) => base + (i < total - base * 6 ? 1 : 0));
}

// Seed 000 篇4: the typed parts of 活动186场 (they add up to 185, not 186: printed as reported).
const EVENT_PARTS: Array<{ eventType: string; subset?: string; value: number; label: string }> = [
  { eventType: "other", subset: "妇女之家", value: 4, label: "妇女之家" },
  { eventType: "parent_child", value: 80, label: "亲子活动" },
  { eventType: "outdoor", value: 19, label: "户外活动" },
  { eventType: "exhibition", value: 3, label: "展览" },
  { eventType: "calligraphy", value: 4, label: "书法" },
  { eventType: "training", value: 21, label: "培训" },
  { eventType: "lecture", value: 40, label: "讲座" },
  { eventType: "reading_club", value: 14, label: "读书会" },
];

async function seedHalfYear(test: TestDatabase): Promise<void> {
  const prisma = test.db.prisma;
  const monthRange = (i: number) => ({ from: `2026-${MONTHS[i]}-01`, to: `2026-${MONTHS[i]}-${LAST_DAY[i]}` });
  // 活动: one report a month, "本月举办活动N场，其中…"; the extra 186th activity sits in March's total only.
  const partsByMonth = EVENT_PARTS.map((p) => monthly(p.value));
  for (let i = 0; i < 6; i++) {
    const parts = EVENT_PARTS.map((p, k) => ({
      metric: "events", value: partsByMonth[k]![i]!, unit: "场", ...monthRange(i), branch: "总馆", eventType: p.eventType,
      ...(p.subset ? { subset: p.subset } : {}),
      ...(i === 4 && p.eventType === "lecture" ? { eventName: "我和我的祖国" } : {}),
    })).filter((p) => p.value > 0);
    const total = parts.reduce((a, p) => a + p.value, 0) + (i === 2 ? 1 : 0);
    await insertWithParts(prisma, { metric: "events", value: total, unit: "场", ...monthRange(i), branch: "总馆" }, parts);
  }
  const rows: FactRow[] = [];
  const spread = (metric: string, unit: string, total: number) =>
    monthly(total).forEach((value, i) => value > 0 && rows.push({ metric, value, unit, ...monthRange(i), branch: "总馆" }));
  spread("event_attendance", "人次", 6932);
  spread("media_reports", "次", 26);
  spread("donation_events", "次", 178);
  spread("donated_periodicals", "册", 8234);
  // 图书15822本: the 5月13日 donation of 5280册 (seed 篇1) plus the rest over the months.
  spread("donated_books", "册", 15822 - 5280);
  rows.push({ metric: "donated_books", value: 5280, unit: "册", from: "2026-05-13", branch: "总馆", eventName: "书香·全民阅读" });
  rows.push({ metric: "donated_money", value: 1000, unit: "元", from: "2026-02-10", branch: "总馆" });
  rows.push({ metric: "donated_money", value: 700, unit: "元", from: "2026-05-20", branch: "总馆" });
  rows.push({ metric: "registered_readers", value: 12500, unit: "人", from: "2026-03-31", branch: "总馆", approx: true });
  rows.push({ metric: "registered_readers", value: 12770, unit: "人", from: "2026-06-30", branch: "总馆", approx: true });
  rows.push({ metric: "facility_spend", value: 40000, unit: "元", from: "2026-03-15", branch: "总馆", approx: true });
  rows.push({ metric: "acquisitions", value: 20000, unit: "册", from: "2026-05-06", branch: "总馆" });
  rows.push({ metric: "ebooks_added", value: 20000, unit: "册", from: "2026-05-06", branch: "总馆" });
  // Seed 002 (第一季度).
  rows.push({ metric: "ancient_books_cataloged", value: 20, unit: "件", from: "2026-01-01", to: "2026-01-31", branch: "总馆" });
  rows.push({ metric: "ancient_books_cataloged", value: 29, unit: "件", from: "2026-02-01", to: "2026-03-31", branch: "总馆" });
  rows.push({ metric: "ancient_books_reported", value: 30, unit: "件", from: "2026-03-28", branch: "总馆" });
  rows.push({ metric: "outreach_trips", value: 1, unit: "次", from: "2026-02-26", branch: "总馆" });
  rows.push({ metric: "outreach_books_delivered", value: 600, unit: "册", from: "2026-02-26", branch: "总馆" });
  rows.push({ metric: "outreach_trips", value: 1, unit: "次", from: "2026-03-19", branch: "总馆" });
  rows.push({ metric: "outreach_books_delivered", value: 600, unit: "册", from: "2026-03-19", branch: "总馆" });
  rows.push({ metric: "loan_persons", value: 6000, unit: "人次", from: "2026-01-01", to: "2026-03-31", branch: "总馆", approx: true });
  rows.push({ metric: "loans", value: 8000, unit: "册次", from: "2026-01-01", to: "2026-03-31", branch: "总馆", approx: true });
  rows.push({ metric: "local_docs_collected", value: 1000, unit: "册", from: "2026-01-01", to: "2026-03-31", branch: "总馆", approx: true });
  rows.push({ metric: "bulletins", value: 6, unit: "期", from: "2026-01-01", to: "2026-03-31", branch: "总馆" });
  rows.push({ metric: "training_hours", value: 6, unit: "学时", from: "2026-03-03", to: "2026-03-31", branch: "总馆" });
  await insertFacts(prisma, rows);
  // 荣誉六项，其中市级三项，区级三项.
  await insertWithParts(prisma, { metric: "honors", value: 6, unit: "项", from: "2026-06-20", branch: "总馆" }, [
    { metric: "honors", value: 3, unit: "项", from: "2026-06-20", branch: "总馆", subset: "市级" },
    { metric: "honors", value: 3, unit: "项", from: "2026-06-20", branch: "总馆", subset: "区级" },
  ]);
}

describe("half-year draft from the seed figures (2026-H1)", () => {
  let test: TestDatabase;
  let result: SummaryResult;
  let text: string;
  const poster = new RecordingPoster();

  beforeAll(async () => {
    test = await createTestDatabase("sqlite");
    await seedHalfYear(test);
    result = await produceSummary(
      { prisma: test.db.prisma, site: testSite({ targets: {} }), catalogue: buildCatalogue(), holidays: createHolidayCalendar(), poster },
      parsePeriod("2026-H1"),
      { send: true, createdBy: "test" },
    );
    text = result.draft.markdown;
    if (process.env.PRINT_DRAFT) console.log(text);
  });
  afterAll(async () => test?.drop());

  it("has the seed's title, opening and numbered sections", () => {
    expect(text).toMatch(/^# 示例区图书馆2026年上半年工作总结\n/);
    expect(text).toContain("2026年上半年，示例区图书馆在上级主管部门的正确领导下");
    expect(text).toContain("现将上半年工作总结如下：");
    const headings = [...text.matchAll(/^## (.+?)、/gm)].map((m) => m[1]);
    expect(headings).toEqual(["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]);
    expect(text).toMatch(/^## [一二三四五六七八九十]+、下半年工作计划$/m);
  });

  it("states the activities with every 其中 part as reported (parts 185, total 186)", () => {
    const line = text.split("\n").find((l) => l.includes("共举办各类活动"))!;
    expect(line).toContain("上半年共举办各类活动186场，其中");
    for (const part of EVENT_PARTS) expect(line).toContain(`${part.label}${part.value}场`);
    expect(line).toContain("参与6932人次");
    expect(text).toContain("“我和我的祖国”");
  });

  it("states donations, publicity and honours with their breakdowns", () => {
    expect(text).toContain("接受社会各界爱心人士捐赠178次，其中图书15822册、期刊8234册，社会捐款1700元");
    expect(text).toContain("5月13日“书香·全民阅读”收到捐赠图书5280册");
    expect(text).toContain("电视台、报社等媒体报道26次");
    expect(text).toContain("出刊信息简报6期");
    expect(text).toContain("获得荣誉六项，其中市级三项、区级三项");
  });

  it("states collection, heritage, outreach and reader figures, approximate ones with 约", () => {
    expect(text).toContain("新增图书20000册，电子图书20000册");
    // Only 总馆 reported 持证读者: the network figure says the other branches are not in it.
    expect(text).toContain("2、读者办证：截至6月底，持证读者约12770人（不含城东分馆、少儿馆，两馆均未报）。");
    expect(text).toContain("投入设施改造资金约4万元");
    expect(text).toContain("完成古籍普查录入49件，上报古籍30件");
    expect(text).toContain("开展流动服务2次，送书共1200册");
    expect(text).toContain("征集地方文献资料约1000册");
    expect(text).toContain("外借图书约8000册次，借阅约6000人次");
    expect(text).toContain("开展培训6学时");
  });

  it("raises only the real signals: two branches with no daily figure all half-year, and 总馆's April–June", () => {
    // Open days April–June 2026 for a branch with no closing weekday: 91 days less the statutory holidays
    // (国务院办公厅 2026 schedule: 清明 4月4–6日, 劳动节 5月1–5日, 端午 6月19–21日).
    const openDays = 30 + 31 + 30 - 3 - 5 - 3;
    // 城东分馆 and 少儿馆 reported no day counter in the whole half-year while 总馆 did: the 借阅 figures above leave
    // them out entirely, which comes first; 总馆 reported 第一季度 as totals and none for April–June.
    expect(text).toContain(
      "## 九、存在的问题\n在取得成绩的同时，我们也看到了工作中的不足：一是城东分馆、少儿馆上半年均未报送每日数据，以上借阅数据不含上述两馆；" +
        `二是总馆有${openDays}个开放日未报送到馆、借阅等日常数据，统计数据不够完整，报送工作还需加强。\n`,
    );
    expect(text).toContain("据各馆已报数据，上半年外借图书约8000册次");
    // Named there and beside the one network stock they are missing from, nowhere else; no decline is claimed
    // without last year's data.
    const body = text.slice(0, text.indexOf("## 附：数据来源"));
    expect(body.match(/城东分馆/g)).toHaveLength(2);
    expect(body.match(/少儿馆/g)).toHaveLength(2);
    expect(text).not.toMatch(/同比/);
  });

  it("invents nothing: no placeholder, plan items are marked slots", () => {
    expect(text).not.toMatch(PLACEHOLDERS);
    expect(text).toMatch(/1、【待补充：[^】]+】/);
    const seedNumbers = new Set([
      2026, 186, 185, 6932, 26, 6, 178, 15822, 8234, 1700, 12770, 4, 20000, 49, 30, 2, 1200, 6000, 8000, 1000, 5280, 5, 13,
      ...EVENT_PARTS.map((p) => p.value), 1, 3, 80,
    ]);
    const body = text.slice(0, text.indexOf("## 附：数据来源"));
    expect(numbersIn(body).filter((n) => !seedNumbers.has(n))).toEqual([]);
  });

  it("traces every figure to its facts in the appendix", () => {
    expect(text).toContain("## 附：数据来源");
    const events = result.draft.trace.find((t) => t.figure === "上半年活动场次 186场")!;
    expect(events.factIds).toHaveLength(6);
    expect(result.draft.trace.every((t) => t.factIds.length > 0)).toBe(true);
  });

  it("posts the draft (markdown then .docx) and the .docx opens in LibreOffice with the same text", () => {
    expect(poster.posted.at(-1)!.fileName).toBe("示例区图书馆2026年上半年工作总结（草稿第1版）.docx");
    expect(poster.posted[0]!.markdown).toContain("草稿（第1版）");
    const dir = mkdtempSync(join(tmpdir(), "libtally-docx-"));
    const file = join(dir, "draft.docx");
    writeFileSync(file, result.docx);
    // CI installs LibreOffice (Debian: libreoffice-writer-nogui); without it this throws and the test fails.
    execFileSync("soffice", ["--headless", `-env:UserInstallation=file://${dir}/profile`, "--convert-to", "txt:Text (encoded):UTF8", "--outdir", dir, file], {
      timeout: 120_000,
      stdio: "pipe",
    });
    const back = readFileSync(join(dir, "draft.txt"), "utf8");
    expect(back).toContain("示例区图书馆2026年上半年工作总结");
    expect(back).toContain("一、");
    expect(back).toContain("获得荣誉六项，其中市级三项、区级三项");
    expect(back).toContain("上半年共举办各类活动186场");
    expect(back).toContain("附：数据来源");
  });
});
