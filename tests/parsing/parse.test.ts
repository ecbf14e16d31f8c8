// Whole-message behaviour: the contract the bot relies on, the traps, and robustness on arbitrary input.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildCatalogue, metricByKey } from "../../src/catalogue/index.ts";
import { resultToJson } from "../../src/parsing/json.ts";
import { parseMessage, MAX_MESSAGE_LENGTH } from "../../src/parsing/parse.ts";
import type { ParseContext } from "../../src/parsing/types.ts";

const branches = [
  { name: "总馆", aliases: ["本馆"] },
  { name: "城东分馆", aliases: ["东馆", "城东"] },
  { name: "城西分馆", aliases: ["西馆", "城西"] },
];
const catalogue = buildCatalogue();
const ctx = (now = "2026-11-18T10:00:00+08:00", extra: Partial<ParseContext> = {}): ParseContext => ({
  now: new Date(now), timezone: "Asia/Shanghai", branches, catalogue, ...extra,
});
const parse = (text: string, now?: string, extra?: Partial<ParseContext>) => resultToJson(parseMessage(text, ctx(now, extra)));

describe("reports", () => {
  it("stores canonical units and values", () => {
    expect(parse("今日到馆 35人").records).toEqual([{ metric: "visits", value: 35, unit: "人次", approx: false, date: "2026-11-18" }]);
    expect(parse("今年外借1.2万本").records[0]).toMatchObject({ metric: "loans", value: 12000, unit: "册次", date: "2026-01-01..2026-11-18" });
  });

  it("lets the unit decide the metric", () => {
    expect(parse("借阅6000人次").records[0]!.metric).toBe("loan_persons");
    expect(parse("借阅8000册次").records[0]!.metric).toBe("loans");
    expect(parse("捐赠1700元").records[0]!.metric).toBe("donated_money");
  });

  it("marks 其中 breakdowns so they are never added to the total", () => {
    const result = parseMessage("今天接待188人次，其中少儿56人次", ctx());
    expect(result.records[1]).toMatchObject({ metric: "visits", value: 56, subsetOf: 0, subset: "少儿" });
    expect(resultToJson(result).records[1]!.subset).toBe(true);
  });

  it("uses the sender's branch when the message names none, and the named one otherwise", () => {
    expect(parse("到馆35人", undefined, { defaultBranch: "城西分馆" }).records[0]!.branch).toBe("城西分馆");
    expect(parse("东馆到馆35人", undefined, { defaultBranch: "城西分馆" }).records[0]!.branch).toBe("城东分馆");
  });

  it("resolves dates in Asia/Shanghai whatever the instant's zone", () => {
    // 16:30 UTC on the 17th is 00:30 on the 18th in Shanghai.
    expect(parse("今天到馆35人", "2026-11-17T16:30:00Z").records[0]!.date).toBe("2026-11-18");
    expect(parse("昨天到馆35人", "2026-11-17T16:30:00Z").records[0]!.date).toBe("2026-11-17");
    expect(parse("今天到馆35人", "2026-11-18T15:59:59Z").records[0]!.date).toBe("2026-11-18");
    expect(parse("今天到馆35人", "2026-11-18T16:00:00Z").records[0]!.date).toBe("2026-11-19");
  });

  it("picks up a library's own metrics and aliases from the site config", () => {
    const custom = buildCatalogue({
      metrics: [{ key: "self_checkouts", name: "自助借还", aliases: ["自助借还"], unit: "册次", unitAliases: ["册", "本"], behaviour: "day_counter" }],
      aliases: { visits: ["扫码入馆"] },
    });
    expect(metricByKey(custom, "self_checkouts")?.section).toBe("other_work");
    const result = resultToJson(parseMessage("扫码入馆120人，自助借还45本", ctx(undefined, { catalogue: custom })));
    expect(result.records.map((r) => [r.metric, r.value, r.unit])).toEqual([["visits", 120, "人次"], ["self_checkouts", 45, "册次"]]);
  });
});

describe("never a record from traps", () => {
  it.each([
    "读书会第3期圆满结束", "下午3点在3楼报告厅有讲座", "电话13812345678", "限50人", "明天讲座2场", "计划本月办讲座4场",
    "报告厅能容纳200人", "打印机卡纸3次", "今天是2026年11月18日", "3-6岁的孩子", "今年是建馆70周年", "wifi密码library2026",
    "老干部表示将把2万册藏书捐给我馆", "一起去开会", "统一周五提交",
  ])("%s", (text) => {
    const result = parse(text);
    expect(result.records).toEqual([]);
    expect(result.kind).not.toBe("report");
  });

  it("reads 2026人次 as a value and 2026年 as a year", () => {
    expect(parse("接待读者2026人次").records[0]!.value).toBe(2026);
  });
});

describe("asks instead of guessing", () => {
  it.each(["今天到馆两三百人", "城东和城西一共180人", "今天到馆4 6人", "今天35人", "估计不到20个读者今天", "今天到馆１，２００人", "十几个人来参加讲座"])("%s", (text) => {
    const result = parse(text);
    expect(result.ask).toBeTypeOf("string");
    expect(result.records).toEqual([]);
  });
});

describe("queries and corrections", () => {
  it("reads a question about 本月 as the whole calendar month", () => {
    expect(parse("本月到馆多少人?").query).toEqual({ metric: "visits", period: "2026-11-01..2026-11-30", period_label: "本月", aggregation: "sum" });
  });

  it("answers 汇总 with a summary of everything", () => {
    expect(parse("汇总")).toMatchObject({ kind: "query", query: { metric: "all", aggregation: "summary" } });
  });

  it("parses a replacement with its old value", () => {
    expect(parse("刚才报错了，还书是57不是75")).toMatchObject({
      kind: "correction", correction: { action: "replace", target: { metric: "returns", old_value: 75 }, value: 57 },
    });
  });
});

describe("robustness", () => {
  it("never throws and never records from arbitrary text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        const result = parseMessage(text, ctx());
        expect(["report", "query", "correction", "other"]).toContain(result.kind);
        for (const record of result.records) expect(Number.isFinite(record.value)).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it("never throws on text made of the grammar's own pieces", () => {
    const pieces = ["到馆", "借阅", "还书", "讲座", "其中", "各", "分别", "共", "35", "1.2万", "两三百", "人", "册", "场", "，", "。",
      "昨天", "本周", "周五", "11.20", "城东", "和", "不是", "改为", "撤销", "多少", "?", "第3期", "3点", "限", "@机器人 ", "\n", "１２"];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), (parts) => {
        const result = parseMessage(parts.join(""), ctx());
        for (const record of result.records) {
          expect(Number.isFinite(record.value)).toBe(true);
          expect(record.date.from <= record.date.to).toBe(true);
        }
      }),
      { numRuns: 1500, interruptAfterTimeLimit: 20_000 },
    );
  });

  it("bounds the work on very long input", () => {
    const long = "今天到馆35人，".repeat(5000);
    const result = parseMessage(long, ctx());
    expect(long.length).toBeGreaterThan(MAX_MESSAGE_LENGTH);
    expect(result.records.length).toBeLessThanOrEqual(MAX_MESSAGE_LENGTH);
  });
});

// Rules added after the blind fresh2/fresh3 rounds (docs/parsing.md, "Evaluation").
describe("generalisation rules", () => {
  const brief = (text: string, now?: string) => parse(text, now).records.map((r) => `${r.metric} ${r.value}${r.approx ? "~" : ""}${r.branch ? " " + r.branch : ""}${r.event_type ? " " + r.event_type : ""}`);

  it("reads verb complements and fillers between an alias and its number", () => {
    expect(brief("借出去84本 还回来71本")).toEqual(["loans 84", "returns 71"]);
    expect(brief("嗯今天那个到馆的话是一百五十六然后借书是七十二")).toEqual(["visits 156", "loans 72"]);
    expect(brief("今天咱们馆来了差不多三百人借出去一百来本书")).toEqual(["visits 300~", "loans 100~"]);
  });

  it("binds a classifier phrase forward only to a noun that takes that unit itself", () => {
    expect(brief("今天来了8个志愿者")).toEqual(["volunteer_attendances 8"]);
    expect(brief("今天来了三百人借出去一百本")).toEqual(["visits 300", "loans 100"]);
  });

  it("treats 一批 + noun as a batch and goes on with the last clause's words after 共", () => {
    expect(brief("剔旧了一批旧书，共计650册")).toEqual(["weeded 650"]);
    expect(brief("今天捐赠了一批图书，共120册")).toEqual(["donated_books 120"]);
  });

  it("pairs a list of metrics with 分别, and asks when metrics joined by 和/加 share one number", () => {
    expect(brief("今天到馆数和借阅数分别是143和87")).toEqual(["visits 143", "loans 87"]);
    expect(parse("今天到馆加借阅一共300").ask).toBeDefined();
    expect(parse("到馆和借阅分别是120").ask).toBeDefined();
    expect(parse("城东加城西今天一共借出去156本").ask).toBeDefined();
  });

  it("distributes 各 over event types and leaves a joint total untyped", () => {
    expect(brief("亲子活动和讲座各1场")).toEqual(["events 1 parent_child", "events 1 lecture"]);
    expect(brief("本周讲座和读书会共5场，参与180人")).toEqual(["events 5", "event_attendance 180"]);
  });

  it("multiplies 每场 by the number of events", () => {
    expect(brief("今天故事会2场，每场20个孩子左右")).toEqual(["events 2 storytelling", "event_attendance 40~ storytelling"]);
  });

  it("continues a metric through branch + bare number clauses and a trailing 都是…的 scope", () => {
    expect(brief("今天各馆到馆：总馆380，东馆102，西馆87")).toEqual(["visits 380 总馆", "visits 102 城东分馆", "visits 87 城西分馆"]);
    expect(brief("到馆248，借书175，都是城西的")).toEqual(["visits 248 城西分馆", "loans 175 城西分馆"]);
  });

  it("counts online viewers as online participation and 突破 as approximate", () => {
    expect(brief("线上直播讲座今晚观看人数达到1.5万")).toEqual(["online_participation 15000"]);
    expect(brief("注册读者已经突破2万人了")).toEqual(["registered_readers 20000~"]);
  });

  it("reads 这周末 as this week's (an announcement) and a bare 周末 as the last one", () => {
    expect(parse("这周末少儿馆有3场故事会，欢迎带孩子来").kind).toBe("other");
    expect(parse("周末两天到馆共计620人次").records[0]!.date).toBe("2026-11-14..2026-11-15");
  });

  it("replaces rather than retracts when 发错 comes with the right value, and reads 其实是", () => {
    expect(parse("借阅数发错了 是67不是76").correction).toEqual({ action: "replace", target: { metric: "loans", old_value: 76 }, value: 67 });
    expect(parse("刚才发的借阅其实是还书").correction).toEqual({ action: "recategorize", target: { metric: "loans", last: true }, new_metric: "returns" });
  });

  it("asks about a branch-shaped name the directory does not know", () => {
    expect(parse("新洲分馆今天到馆60人").ask).toBeDefined();
    expect(parse("今天新开的分馆到馆60人").ask).toBeUndefined();
  });
});

describe("announcements", () => {
  it("drops the records of a sentence with an announcement marker, not of the next sentence", () => {
    expect(parse("城东有3场故事会，欢迎带孩子来").kind).toBe("other");
    expect(parse("今天讲座来了80人。欢迎大家下次参加").records).toHaveLength(1);
  });
});
