// A week at the example library (Mon 2026-11-16 … Fri 11-20) through the real bot core, parser and ledger, on
// SQLite and PostgreSQL: four branches, five people, a redelivery, each kind of correction, second reports
// answered 改为 and 加上, a refusal, and the manager's questions. Every figure is checked against the test's own
// tally; nothing is mocked.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS } from "../helpers/db.js";
import { createHarness, Tally, type Harness } from "./harness.js";

const WEEK = { from: "2026-11-16", to: "2026-11-22" };

describe.each(PROVIDERS)("a week of messages on %s", (provider) => {
  let h: Harness;
  const tally = new Tally();
  beforeAll(async () => {
    h = await createHarness(provider);
  });
  afterAll(async () => {
    await h?.drop();
  });

  it("records Monday's reports and confirms day and branch", async () => {
    expect((await h.say("wangwu", "2026-11-16T17:00", "今日到馆 210人，借阅156册，还书98册")).text).toBe(
      "✅ 已记录：总馆 11月16日 到馆210人次、借阅156册次、还书98册次",
    );
    tally.set("visits", "总馆", "2026-11-16", 210);
    tally.set("loans", "总馆", "2026-11-16", 156);
    tally.set("returns", "总馆", "2026-11-16", 98);
    expect((await h.say("zhaoliu", "2026-11-16T17:05", "今日到馆 80人")).text).toBe("✅ 已记录：少儿馆 11月16日 到馆80人次");
    tally.set("visits", "少儿馆", "2026-11-16", 80);
  });

  it("answers a redelivery with the stored reply and stores nothing twice", async () => {
    await h.say("wangwu", "2026-11-17T17:00", "今日到馆 190人，借阅140册");
    tally.set("visits", "总馆", "2026-11-17", 190);
    tally.set("loans", "总馆", "2026-11-17", 140);
    const first = await h.say("lisi", "2026-11-17T17:00", "今日到馆 50人", { msgid: "wx-1001" });
    const again = await h.say("lisi", "2026-11-17T17:00", "今日到馆 50人", { msgid: "wx-1001" });
    tally.set("visits", "城西分馆", "2026-11-17", 50);
    expect(first.text).toBe("✅ 已记录：城西分馆 11月17日 到馆50人次");
    expect(again).toEqual({ text: first.text, redelivery: true });
    const [concurrentA, concurrentB] = await Promise.all([
      h.say("zhangsan", "2026-11-17T17:10", "今日到馆 35人，借阅86册次，还书74册", { msgid: "wx-1002" }),
      h.say("zhangsan", "2026-11-17T17:10", "今日到馆 35人，借阅86册次，还书74册", { msgid: "wx-1002" }),
    ]);
    tally.set("visits", "城东分馆", "2026-11-17", 35);
    tally.set("loans", "城东分馆", "2026-11-17", 86);
    tally.set("returns", "城东分馆", "2026-11-17", 74);
    expect(concurrentA.text).toBe(concurrentB.text);
    expect([concurrentA.redelivery, concurrentB.redelivery].filter(Boolean)).toHaveLength(1);
    await h.say("zhaoliu", "2026-11-17T17:20", "今日到馆 75人");
    tally.set("visits", "少儿馆", "2026-11-17", 75);
    expect(await h.test.db.prisma.message.count({ where: { externalId: { in: ["wx-1001", "wx-1002"] } } })).toBe(2);
    expect(await h.figure("visits", "2026-11-17", "2026-11-17")).toBe(tally.sum("visits", "2026-11-17", "2026-11-17"));
  });

  it("asks on a second day-counter report and acts on 改为 and on 加上", async () => {
    await h.say("wangwu", "2026-11-18T17:00", "今日到馆 200人");
    tally.set("visits", "总馆", "2026-11-18", 200);
    expect((await h.say("wangwu", "2026-11-18T17:01", "少儿馆 今天讲座2场 参与120人次")).text).toBe(
      "✅ 已记录：少儿馆 11月18日 讲座2场、讲座参与120人次",
    );
    tally.add("events", "少儿馆", "2026-11-18", 2);
    tally.add("event_attendance", "少儿馆", "2026-11-18", 120);

    await h.say("zhangsan", "2026-11-18T17:00", "今日到馆 40人");
    const question = await h.say("zhangsan", "2026-11-18T17:30", "今日到馆 50人");
    expect(question.text).toBe("城东分馆今天已记录到馆40人次，改为50人次还是再加50人次？请回复“改为”或“加上”。");
    expect((await h.say("zhangsan", "2026-11-18T17:31", "改为")).text).toBe("✅ 已更正：城东分馆 11月18日 到馆 40 → 50人次");
    tally.set("visits", "城东分馆", "2026-11-18", 50);

    await h.say("lisi", "2026-11-18T12:00", "今日到馆 60人");
    await h.say("lisi", "2026-11-18T18:00", "今日到馆 20人");
    expect((await h.say("lisi", "2026-11-18T18:01", "加上")).text).toBe("✅ 已加上：城西分馆 11月18日 到馆 60 + 20 = 80人次");
    tally.set("visits", "城西分馆", "2026-11-18", 80);

    await h.say("zhaoliu", "2026-11-18T17:00", "今日到馆 70人");
    await h.say("zhaoliu", "2026-11-18T17:05", "今日到馆 70人");
    expect((await h.say("zhaoliu", "2026-11-18T17:06", "取消")).text).toBe("好的，已取消，这条没有记录。");
    tally.set("visits", "少儿馆", "2026-11-18", 70);
    expect(await h.figure("visits", "2026-11-18", "2026-11-18")).toBe(tally.sum("visits", "2026-11-18", "2026-11-18"));
  });

  it("applies corrections: replace, retract and restate", async () => {
    await h.say("wangwu", "2026-11-19T17:00", "今日到馆 220人");
    tally.set("visits", "总馆", "2026-11-19", 220);
    await h.say("zhangsan", "2026-11-19T17:00", "今日到馆 45人");
    expect((await h.say("zhangsan", "2026-11-19T17:10", "更正：今天到馆应为54人")).text).toBe("✅ 已更正：城东分馆 11月19日 到馆 45 → 54人次");
    tally.set("visits", "城东分馆", "2026-11-19", 54);
    await h.say("lisi", "2026-11-19T17:00", "今日到馆 55人");
    tally.set("visits", "城西分馆", "2026-11-19", 55);
    await h.say("zhaoliu", "2026-11-19T17:00", "今日到馆 65人");
    expect((await h.say("zhaoliu", "2026-11-19T17:01", "撤销上一条")).text).toBe("✅ 已撤销：少儿馆 11月19日 到馆65人次");
    expect((await h.say("zhaoliu", "2026-11-19T17:02", "今日到馆 66人")).text).toContain("少儿馆 11月19日 到馆66人次");
    tally.set("visits", "少儿馆", "2026-11-19", 66);
    expect(await h.figure("visits", WEEK.from, WEEK.to)).toBe(tally.sum("visits", WEEK.from, WEEK.to));
  });

  it("refuses a report for a branch the sender does not report for, and stores nothing", async () => {
    const reply = await h.say("lisi", "2026-11-20T09:00", "城东分馆 今日到馆 20人");
    expect(reply.text).toContain("您只能为城西分馆报数，城东分馆的数据没有记录");
    expect(await h.figure("visits", "2026-11-20", "2026-11-20", "城东分馆")).toBe(0);
    expect((await h.say("stranger", "2026-11-20T09:00", "今日到馆 5人")).text).toContain("还不在示例区图书馆的报数名单里");
  });

  it("answers the manager's questions with honest coverage", async () => {
    await h.say("wangwu", "2026-11-20T17:00", "今日到馆 230人");
    tally.set("visits", "总馆", "2026-11-20", 230);
    await h.say("zhangsan", "2026-11-20T17:00", "今日到馆 30人");
    tally.set("visits", "城东分馆", "2026-11-20", 30);
    await h.say("zhaoliu", "2026-11-20T17:00", "今日到馆 60人");
    tally.set("visits", "少儿馆", "2026-11-20", 60);

    const soFar = tally.sum("visits", WEEK.from, WEEK.to);
    const partial = await h.say("guanzhang", "2026-11-20T20:00", "本周到馆多少人?");
    expect(partial.text).toBe(`本周（11月16日至20日）全馆到馆已报${soFar}人次；城西分馆今天未报。`);
    expect(partial.text).not.toContain("共");

    const ranks = await h.say("guanzhang", "2026-11-20T20:00", "本周到馆排名");
    const order = ["总馆", "少儿馆", "城西分馆", "城东分馆"]
      .map((b) => [b, tally.sum("visits", WEEK.from, WEEK.to, b)] as const)
      .sort((a, b) => b[1] - a[1]);
    expect(ranks.text).toContain(`1.${order[0]![0]}${order[0]![1]}人次`);
    expect(ranks.text).toContain(`城西分馆${tally.sum("visits", WEEK.from, WEEK.to, "城西分馆")}人次（今天未报）`);

    expect((await h.say("guanzhang", "2026-11-20T20:00", "本周讲座多少场？")).text).toBe(`本周（11月16日至20日）全馆已记录讲座${tally.sum("events", WEEK.from, WEEK.to)}场。`);
    expect((await h.say("guanzhang", "2026-11-20T20:00", "本周哪些馆没报？")).text).toBe("本周（11月16日至20日）城西分馆今天未报，其余3个馆已报齐。");

    const own = await h.say("zhangsan", "2026-11-20T20:00", "本周到馆多少人？");
    expect(own.text).toContain(`城东分馆到馆共${tally.sum("visits", WEEK.from, WEEK.to, "城东分馆")}人次`);

    expect((await h.say("lisi", "2026-11-20T20:05", "今天闭馆")).text).toBe("✅ 已登记：城西分馆 11月20日 闭馆，当天不算缺报。");
    const complete = await h.say("guanzhang", "2026-11-20T20:10", "本周到馆多少人?");
    expect(complete.text).toBe(`本周（11月16日至20日）全馆到馆共${soFar}人次，各馆均已报齐。`);
  });

  it("keeps every message, with the reply it got", async () => {
    const messages = await h.test.db.prisma.message.findMany();
    expect(messages.every((m) => m.reply !== null && m.kind !== null)).toBe(true);
    expect(messages.some((m) => m.senderId === "stranger" && m.kind === "refused")).toBe(true);
  });
});
