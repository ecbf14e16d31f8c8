// Drafts on request in chat (issue 6: 「@机器人 生成第三季度总结」): the pure matcher, the reply line, and the core
// with the real DraftPort (src/digests/on-request.ts) and the real outbox on SQLite and PostgreSQL. Every
// figure in the checks comes from the facts this file inserts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createBotCore } from "../../src/bot/core.js";
import { matchDraftRequest } from "../../src/bot/draft-requests.js";
import { DRAFT_REFUSAL, draftReply, type DraftPort } from "../../src/bot/drafts.js";
import type { BotCore } from "../../src/bot/types.js";
import { createHolidayCalendar } from "../../src/calendar/holidays.js";
import { createDraftPort } from "../../src/digests/on-request.js";
import { parsePeriod } from "../../src/digests/periods.js";
import { silentLogger } from "../../src/log.js";
import { outboxGroupPoster } from "../../src/outbox/group-poster.js";
import { createOutbox } from "../../src/outbox/outbox.js";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "../helpers/db.js";
import { insertFacts, type FactRow } from "../digests/helpers.js";
import { CATALOGUE, SITE } from "./harness.js";

describe("matchDraftRequest", () => {
  const today = "2026-11-18"; // a Wednesday in week 47, in the fourth quarter
  it.each([
    ["生成第三季度总结", "summary", "2026-Q3"],
    ["请帮我生成一下第三季度的工作总结。", "summary", "2026-Q3"],
    ["生成三季度总结", "summary", "2026-Q3"],
    ["生成第四季度总结", "summary", "2026-Q4"],
    ["生成本季度总结", "summary", "2026-Q4"],
    ["上季度总结", "summary", "2026-Q3"],
    ["生成上半年总结", "summary", "2026-H1"],
    ["生成2025年下半年总结", "summary", "2025-H2"],
    ["去年上半年总结", "summary", "2025-H1"],
    ["生成年度总结", "summary", "2026"],
    ["2025年度总结", "summary", "2025"],
    ["生成2025年度工作总结", "summary", "2025"],
    ["今年的总结", "summary", "2026"],
    ["去年全年总结", "summary", "2025"],
    ["生成本周周报", "digest", "2026-W47"],
    ["上周周报", "digest", "2026-W46"],
    ["周报", "digest", "2026-W46"],
    ["生成上周的数据简报", "digest", "2026-W46"],
    ["第45周周报", "digest", "2026-W45"],
    ["本周总结", "digest", "2026-W47"],
  ])("%s → %s %s", (text, kind, id) => {
    const request = matchDraftRequest(text, today);
    expect(request).toMatchObject({ kind, period: { id } });
  });

  it.each(["今日到馆35人", "年度总结会参与50人", "总结", "工作总结", "活动总结", "汇总", "本周到馆多少人", "第三季度到馆多少"])(
    "%s is not a request",
    (text) => expect(matchDraftRequest(text, today)).toBeUndefined(),
  );

  it("without a year, a quarter or half is the latest one that has begun; 年度 in January is last year's", () => {
    expect(matchDraftRequest("生成第四季度总结", "2027-02-03")).toMatchObject({ period: { id: "2026-Q4" } });
    expect(matchDraftRequest("生成第一季度总结", "2027-02-03")).toMatchObject({ period: { id: "2027-Q1" } });
    expect(matchDraftRequest("生成下半年总结", "2027-01-05")).toMatchObject({ period: { id: "2026-H2" } });
    expect(matchDraftRequest("生成年度总结", "2027-01-05")).toMatchObject({ period: { id: "2026" } });
    expect(matchDraftRequest("生成年度总结", "2027-12-05")).toMatchObject({ period: { id: "2027" } });
  });

  it("explains a week number the year does not have", () => {
    expect(matchDraftRequest("第60周周报", "2026-11-18")).toEqual({ kind: "invalid", reply: "2026年只有第1至53周，没有第60周。" });
  });
});

describe("draftReply", () => {
  it("says what was generated, which version, and where it went", () => {
    expect(draftReply(parsePeriod("2026-Q3"), { version: 2, unchanged: false, posted: true, attachments: ["Word文档"] })).toBe(
      "已生成2026年第三季度工作总结（第2版），已发到群里，含Word文档。",
    );
    expect(draftReply(parsePeriod("2026-W47"), { version: 1, unchanged: false, posted: true, attachments: ["图表"] })).toBe(
      "已生成2026年第47周数据简报（11月16日至22日，第1版），已发到群里，含图表。",
    );
    expect(draftReply(parsePeriod("2026-Q4"), { version: 1, unchanged: true, posted: false, asOf: "2026-11-18", attachments: [] })).toBe(
      "已生成2026年第四季度工作总结（截至11月18日，第1版，数据与上次相同）。因未配置群机器人，没有发到群里；如需取得Word文档，请信息部在服务器上运行 summary --period 2026-Q4 --docx 文件名。",
    );
  });
});

/** 总馆 and 城东分馆 report 到馆 every day from 1 July to 18 November 2026; 总馆 also 借阅. */
function fixture(): { rows: FactRow[]; visits: (from: string, to: string) => number } {
  const rows: FactRow[] = [];
  for (let t = Date.UTC(2026, 6, 1); t <= Date.UTC(2026, 10, 18); t += 86_400_000) {
    const day = new Date(t).toISOString().slice(0, 10);
    const i = (t - Date.UTC(2026, 6, 1)) / 86_400_000;
    rows.push({ metric: "visits", value: 100 + (i % 13), unit: "人次", from: day, branch: "总馆" });
    rows.push({ metric: "visits", value: 40 + (i % 7), unit: "人次", from: day, branch: "城东分馆" });
    rows.push({ metric: "loans", value: 60 + (i % 5), unit: "册次", from: day, branch: "总馆" });
  }
  const visits = (from: string, to: string) => rows.filter((r) => r.metric === "visits" && r.from >= from && r.from <= to).reduce((sum, r) => sum + r.value, 0);
  return { rows, visits };
}

describe.each(PROVIDERS)("drafts on request on %s", (provider) => {
  let test: TestDatabase;
  let core: BotCore;
  let sequence = 0;
  const { rows, visits } = fixture();
  const holidays = createHolidayCalendar();

  function coreWith(drafts: DraftPort | undefined): BotCore {
    return createBotCore({ prisma: test.db.prisma, config: { site: SITE }, catalogue: CATALOGUE, log: silentLogger, redeliveryWaitMs: 20_000, ...(drafts ? { drafts } : {}) });
  }

  function say(as: string, text: string, options: { msgid?: string; at?: string; to?: BotCore } = {}) {
    return (options.to ?? core).handle({
      channel: "wecom-bot",
      externalId: options.msgid ?? `draft-${++sequence}`,
      senderId: as,
      chatId: "wrSTAFF01",
      chatType: "group",
      text,
      sentAt: new Date(`${options.at ?? "2026-11-18T17:30"}:00+08:00`),
    });
  }

  const drafts = (period: string) => test.db.prisma.draft.findMany({ where: { period }, orderBy: { version: "asc" } });
  const queued = () => test.db.prisma.outboxMessage.findMany({ orderBy: { id: "asc" } });

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    await insertFacts(test.db.prisma, rows);
    const poster = outboxGroupPoster(createOutbox({ prisma: test.db.prisma }));
    core = coreWith(createDraftPort({ prisma: test.db.prisma, site: SITE, catalogue: CATALOGUE, holidays, poster }));
  });
  afterAll(async () => test?.drop());
  beforeEach(async () => {
    await test.db.prisma.outboxMessage.deleteMany();
  });

  it("a manager's 生成第三季度总结 stores a Draft version and queues the markdown and the Word file for the group", async () => {
    const reply = await say("guanzhang", "生成第三季度总结", { msgid: "q3-request" });
    expect(reply.text).toBe("已生成2026年第三季度工作总结（第1版），已发到群里，含Word文档。");

    const [draft, ...more] = await drafts("2026-Q3");
    expect(more).toHaveLength(0);
    expect(draft).toMatchObject({ kind: "summary", version: 1, createdBy: "guanzhang" });
    expect(draft!.markdown).toMatch(/^# 示例区图书馆2026年第三季度工作总结\n/);
    expect(draft!.markdown).toContain(`本季度共接待读者${visits("2026-07-01", "2026-09-30")}人次`);
    expect(draft!.markdown).not.toContain("截至9月");

    const rowsQueued = await queued();
    expect(rowsQueued.every((r) => r.channel === "webhook" && r.target === "default")).toBe(true);
    expect(rowsQueued.filter((r) => r.msgType === "markdown").length).toBeGreaterThanOrEqual(1);
    const files = rowsQueued.filter((r) => r.msgType === "file");
    expect(files).toHaveLength(1);
    expect((JSON.parse(files[0]!.payload) as { file: { name: string } }).file.name).toBe("示例区图书馆2026年第三季度工作总结（草稿第1版）.docx");
    expect(rowsQueued.every((r) => r.dedupeKey.startsWith("summary:2026-Q3:v1:req:wecom-bot:q3-request"))).toBe(true);

    const message = await test.db.prisma.message.findUnique({ where: { channel_externalId: { channel: "wecom-bot", externalId: "q3-request" } } });
    expect(message).toMatchObject({ kind: "draft", reply: reply.text });
  });

  it("a redelivered request gets the same reply and posts nothing twice", async () => {
    const first = await say("guanzhang", "生成上半年总结", { msgid: "h1-request" });
    const before = (await queued()).length;
    const again = await Promise.all([1, 2, 3].map(() => say("guanzhang", "生成上半年总结", { msgid: "h1-request" })));
    expect(again.map((r) => r.text)).toEqual([first.text, first.text, first.text]);
    expect(again.every((r) => r.redelivery)).toBe(true);
    expect((await queued()).length).toBe(before);
    expect(await drafts("2026-H1")).toHaveLength(1);
    expect(await test.db.prisma.message.count({ where: { externalId: "h1-request" } })).toBe(1);
  });

  it("asking again after a correction stores a new version; with nothing changed, it says so and posts it again", async () => {
    expect((await say("guanzhang", "生成2026年第三季度总结")).text).toBe("已生成2026年第三季度工作总结（第1版，数据与上次相同），已发到群里，含Word文档。");
    expect((await queued()).some((r) => r.msgType === "file")).toBe(true);

    await insertFacts(test.db.prisma, [{ metric: "new_cards", value: 12, unit: "个", from: "2026-09-10", branch: "总馆" }]);
    expect((await say("guanzhang", "生成第三季度总结")).text).toBe("已生成2026年第三季度工作总结（第2版），已发到群里，含Word文档。");
    const versions = await drafts("2026-Q3");
    expect(versions.map((d) => d.version)).toEqual([1, 2]);
    expect(versions[1]!.markdown).toContain("新办读者证12个");
  });

  it("a request for a period not yet over is labelled 截至 in the reply, the title and the opening", async () => {
    const reply = await say("guanzhang", "生成第四季度总结");
    expect(reply.text).toBe("已生成2026年第四季度工作总结（截至11月18日，第1版），已发到群里，含Word文档。");
    const [draft] = await drafts("2026-Q4");
    expect(draft!.markdown).toMatch(/^# 示例区图书馆2026年第四季度工作总结（截至11月18日）\n/);
    expect(draft!.markdown).toContain("2026年第四季度（10月1日至11月18日），示例区图书馆");
    expect(draft!.markdown).toContain(`本季度共接待读者${visits("2026-10-01", "2026-11-18")}人次`);
    expect(draft!.markdown).toContain("现将本季度截至11月18日的工作总结如下：");
    const file = (await queued()).find((r) => r.msgType === "file")!;
    expect((JSON.parse(file.payload) as { file: { name: string } }).file.name).toBe("示例区图书馆2026年第四季度工作总结（截至11月18日）（草稿第1版）.docx");
  });

  it("生成本周周报 mid-week drafts the week so far, with its chart", async () => {
    const reply = await say("guanzhang", "生成本周周报");
    expect(reply.text).toBe("已生成2026年第47周数据简报（截至11月18日，第1版），已发到群里，含图表。");
    const [draft] = await drafts("2026-W47");
    expect(draft!.markdown).toContain("## 示例区图书馆2026年第47周数据简报（截至11月18日）\n11月16日至22日，本周尚未结束");
    expect(draft!.markdown).toContain(`- 到馆：${visits("2026-11-16", "2026-11-18")}人次`);
    const rowsQueued = await queued();
    expect(rowsQueued.map((r) => r.msgType)).toContain("file");
    expect(rowsQueued.find((r) => r.msgType === "file")!.dedupeKey).toMatch(/^digest:2026-W47:v1:req:wecom-bot:[^:]+:chart$/);

    expect((await say("guanzhang", "上周周报")).text).toBe("已生成2026年第46周数据简报（11月9日至15日，第1版），已发到群里，含图表。");
    const [lastWeek] = await drafts("2026-W46");
    expect(lastWeek!.markdown).not.toContain("截至");
    expect(lastWeek!.markdown).toContain(`- 到馆：${visits("2026-11-09", "2026-11-15")}人次`);
  });

  it("on a period's last day the request is still mid-day: labelled 截至 that day", async () => {
    expect((await say("guanzhang", "生成第45周周报", { at: "2026-11-08T12:00" })).text).toBe("已生成2026年第45周数据简报（截至11月8日，第1版），已发到群里，含图表。");
    const [draft] = await drafts("2026-W45");
    expect(draft!.markdown).toContain("## 示例区图书馆2026年第45周数据简报（截至11月8日）\n11月2日至8日，本周尚未结束");
    // The next morning the same week is complete, and says so by not saying 截至.
    expect((await say("guanzhang", "生成第45周周报", { at: "2026-11-09T09:00" })).text).toBe("已生成2026年第45周数据简报（11月2日至8日，第2版），已发到群里，含图表。");
  });

  it("staff are refused politely; nothing is drafted or posted", async () => {
    const before = await test.db.prisma.draft.count();
    expect((await say("zhangsan", "生成第三季度总结")).text).toBe(DRAFT_REFUSAL);
    expect((await say("wangwu", "生成本周周报")).text).toBe(DRAFT_REFUSAL);
    expect(await test.db.prisma.draft.count()).toBe(before);
    expect(await queued()).toHaveLength(0);
  });

  it("a period that has not begun is not drafted", async () => {
    expect((await say("guanzhang", "生成2027年第一季度总结")).text).toBe("2027年第一季度还没开始，暂时不能生成总结。");
    expect(await drafts("2027-Q1")).toHaveLength(0);
  });

  it("without a group robot the draft is stored and the reply names the command that gets it", async () => {
    const noRobot = coreWith(createDraftPort({ prisma: test.db.prisma, site: SITE, catalogue: CATALOGUE, holidays }));
    const reply = await say("guanzhang", "2025年度总结", { to: noRobot });
    expect(reply.text).toBe("已生成2025年度工作总结（第1版）。因未配置群机器人，没有发到群里；如需取得Word文档，请信息部在服务器上运行 summary --period 2025 --docx 文件名。");
    expect(await drafts("2025")).toHaveLength(1);
    expect(await queued()).toHaveLength(0);

    const noPort = coreWith(undefined);
    expect((await say("guanzhang", "生成第三季度总结", { to: noPort })).text).toBe(
      "这里不能直接生成2026年第三季度工作总结；请信息部在服务器上运行 summary --period 2026-Q3 --docx 文件名。",
    );
  });

  it("a failing draft is answered with an apology and kept as an error", async () => {
    const failing = coreWith({
      summary: async () => {
        throw new Error("docx exploded");
      },
      digest: async () => {
        throw new Error("chart exploded");
      },
    });
    const reply = await say("guanzhang", "生成第三季度总结", { to: failing, msgid: "failing-draft" });
    expect(reply.text).toBe("抱歉，生成2026年第三季度工作总结时出错了，没有发到群里。请稍后再试，或联系信息部。");
    const message = await test.db.prisma.message.findUnique({ where: { channel_externalId: { channel: "wecom-bot", externalId: "failing-draft" } } });
    expect(message).toMatchObject({ kind: "error", reply: reply.text });
  });

  it("an open question stays open across a draft request", async () => {
    // 城东分馆 already has 到馆40人次 for 11月18日 (the fixture): a second report asks 改为还是再加.
    const question = await say("zhangsan", "今日到馆 50人", { at: "2026-11-18T17:01" });
    expect(question.text).toContain("改为");
    expect((await say("zhangsan", "生成本周周报", { at: "2026-11-18T17:02" })).text).toBe(DRAFT_REFUSAL);
    expect((await say("zhangsan", "改为", { at: "2026-11-18T17:03" })).text).toContain("✅ 已更正");
  });
});
