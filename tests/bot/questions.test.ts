// Corrections of each kind, plausibility questions, ambiguous messages answered both ways, expiry of questions,
// 同比 with data, breakdowns, closures and help — through the real bot core and parser on SQLite and PostgreSQL.
// Each test works on its own days or branch so the order of tests does not matter for the figures it checks.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS } from "../helpers/db.js";
import { createHarness, type Harness } from "./harness.js";

describe.each(PROVIDERS)("corrections and questions on %s", (provider) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(provider);
  });
  afterAll(async () => {
    await h?.drop();
  });

  it("increments, replaces by old value, fixes a lost zero, retracts by target, redates and recategorizes", async () => {
    await h.say("zhangsan", "2026-11-04T17:00", "今日到馆 35人，借阅80册");
    expect((await h.say("zhangsan", "2026-11-04T17:01", "再加上自助机的17册")).text).toBe("✅ 已更正：城东分馆 11月4日 借阅 80 + 17 = 97册次");
    expect((await h.say("zhangsan", "2026-11-04T17:02", "刚才报错了，借阅是79不是97")).text).toBe("✅ 已更正：城东分馆 11月4日 借阅 97 → 79册次");
    expect(await h.figure("loans", "2026-11-04", "2026-11-04", "城东分馆")).toBe(79);
    expect((await h.say("guanzhang", "2026-11-04T18:00", "撤销：城东分馆今天的借阅数据")).text).toBe("✅ 已撤销：城东分馆 11月4日 借阅79册次");
    expect(await h.figure("loans", "2026-11-04", "2026-11-04", "城东分馆")).toBe(0);
    expect(await h.figure("visits", "2026-11-04", "2026-11-04", "城东分馆")).toBe(35);

    await h.say("zhangsan", "2026-11-05T17:00", "今天还书57本");
    expect((await h.say("zhangsan", "2026-11-05T17:01", "还书57是昨天的")).text).toBe("✅ 已更正：城东分馆 还书57册次，日期 11月5日 → 11月4日");
    expect(await h.figure("returns", "2026-11-05", "2026-11-05", "城东分馆")).toBe(0);
    expect(await h.figure("returns", "2026-11-04", "2026-11-04", "城东分馆")).toBe(57);

    await h.say("zhangsan", "2026-11-05T17:02", "今天捐赠图书1700册");
    expect((await h.say("zhangsan", "2026-11-05T17:03", "捐款是1700元不是1700册")).text).toBe("✅ 已更正：城东分馆 11月5日 捐书1700册 → 城东分馆 11月5日 捐款1700元");
    expect(await h.figure("donated_books", "2026-11-01", "2026-11-30", "城东分馆")).toBe(0);
    expect(await h.figure("donated_money", "2026-11-01", "2026-11-30", "城东分馆")).toBe(1700);
  });

  it("adds 17册 to the latest figure in 册, not to the latest figure, and refuses staff a network total", async () => {
    await h.say("zhangsan", "2026-11-07T17:00", "今天借阅30册");
    await h.say("zhangsan", "2026-11-07T17:01", "今日到馆 40人");
    expect((await h.say("zhangsan", "2026-11-07T17:02", "再加上自助机的17册")).text).toBe("✅ 已更正：城东分馆 11月7日 借阅 30 + 17 = 47册次");
    expect(await h.figure("visits", "2026-11-07", "2026-11-07", "城东分馆")).toBe(40);
    expect((await h.say("zhangsan", "2026-11-07T17:03", "全馆本月到馆多少人？")).text).toContain("全馆的统计只对馆领导开放");
  });

  it("keeps who may correct what: staff of another branch are refused, managers may", async () => {
    await h.say("zhangsan", "2026-11-06T17:00", "今日到馆 40人");
    expect((await h.say("lisi", "2026-11-06T17:05", "更正：城东分馆今天到馆应为44人")).text).toBe("抱歉，城东分馆 11月6日 到馆40人次不是您馆报的，没有改动。如有出入，请告诉城东分馆的同事或馆领导更正。");
    expect((await h.say("guanzhang", "2026-11-06T17:06", "更正：城东分馆今天到馆应为44人")).text).toBe("✅ 已更正：城东分馆 11月6日 到馆 40 → 44人次");
    const corrected = await h.test.db.prisma.fact.findFirstOrThrow({ where: { branch: "城东分馆", dateFrom: "2026-11-06", supersededBy: { is: null }, op: "assert" } });
    expect(corrected).toMatchObject({ value: 44, actorId: "guanzhang", reason: "更正：城东分馆今天到馆应为44人" });
    expect(corrected.supersedesId).not.toBeNull();
  });

  it("asks before storing an outlier, a future day, a stale day or a zero, and acts on the answer", async () => {
    // Four Tuesdays of history at 少儿馆 around 80.
    for (const [day, value] of [["2026-10-13", 78], ["2026-10-20", 80], ["2026-10-27", 82], ["2026-11-03", 79]] as const) {
      await h.say("zhaoliu", `${day}T17:00`, `今日到馆 ${value}人`);
    }
    const outlier = await h.say("zhaoliu", "2026-11-10T17:00", "今日到馆 800人");
    expect(outlier.text).toBe("请确认：少儿馆 11月10日 到馆800人次：和平时差得很多（同一星期几的中位数79.5人次）。回复“是”照此记录，回复“取消”不记录，或直接发正确的数字。");
    expect(await h.figure("visits", "2026-11-10", "2026-11-10", "少儿馆")).toBe(0);
    expect((await h.say("zhaoliu", "2026-11-10T17:01", "改为80")).text).toBe("✅ 已记录：少儿馆 11月10日 到馆80人次");

    await h.say("zhaoliu", "2026-11-11T17:00", "今日到馆 0人");
    expect((await h.say("zhaoliu", "2026-11-11T17:01", "是")).text).toBe("✅ 已记录：少儿馆 11月11日 到馆0人次（本周已报到馆80人次，11月9日未报）");

    const stale = await h.say("zhaoliu", "2026-11-20T10:00", "11月12日到馆 90人");
    expect(stale.text).toContain("是8天前的数据");
    expect((await h.say("zhaoliu", "2026-11-20T10:01", "取消")).text).toBe("好的，已取消，这条没有记录。");
    expect(await h.figure("visits", "2026-11-12", "2026-11-12", "少儿馆")).toBe(0);
    expect((await h.say("zhaoliu", "2026-11-20T10:02", "补报11月12日到馆 90人")).text).toBe("✅ 已记录：少儿馆 11月12日 到馆90人次");
  });

  it("reads an ambiguous bare number both ways once the sender says which", async () => {
    expect((await h.say("wangwu", "2026-11-09T17:00", "今天86")).text).toContain("是哪项数据");
    expect((await h.say("wangwu", "2026-11-09T17:01", "到馆")).text).toBe("✅ 已记录：总馆 11月9日 到馆86人次");
    expect((await h.say("wangwu", "2026-11-09T17:02", "今天74")).text).toContain("是哪项数据");
    expect((await h.say("wangwu", "2026-11-09T17:03", "还书")).text).toBe("✅ 已记录：总馆 11月9日 还书74册次");
    expect(await h.figure("visits", "2026-11-09", "2026-11-09", "总馆")).toBe(86);
    expect(await h.figure("returns", "2026-11-09", "2026-11-09", "总馆")).toBe(74);
  });

  it("lets a question expire, and keeps questions per chat", async () => {
    await h.say("wangwu", "2026-11-10T09:00", "今日到馆 100人");
    expect((await h.say("wangwu", "2026-11-10T10:00", "今日到馆 120人", { chat: "group-a" })).text).toContain("改为120人次还是再加120人次");
    // The same person in the one-to-one chat has no open question.
    expect((await h.say("wangwu", "2026-11-10T10:01", "加上")).text).not.toContain("已加上");
    // Past pendingQuestionMinutes (60) the answer finds nothing to act on.
    expect((await h.say("wangwu", "2026-11-10T11:30", "加上", { chat: "group-a" })).text).not.toContain("已加上");
    expect(await h.figure("visits", "2026-11-10", "2026-11-10", "总馆")).toBe(100);
  });

  it("stores a 其中 breakdown without counting it twice and answers by event type", async () => {
    expect((await h.say("wangwu", "2026-11-02T17:00", "总馆活动186场，其中讲座40场，读书会14场")).text).toBe("✅ 已记录：总馆 11月2日 活动186场（其中讲座40场、读书会14场）");
    await h.say("wangwu", "2026-11-03T17:00", "今天讲座2场");
    expect(await h.figure("events", "2026-11-01", "2026-11-08", "总馆")).toBe(188);
    expect((await h.say("guanzhang", "2026-11-08T20:00", "本周讲座多少场？")).text).toBe("本周（11月2日至8日）全馆已记录讲座42场。");
  });

  it("keeps the parts of a day under its total, labelled by the part, and counts the day once", async () => {
    expect((await h.say("wangwu", "2026-11-04T18:00", "今天到馆人数：上午83，下午97，合计180")).text)
      .toBe("✅ 已记录：总馆 11月4日 到馆180人次（其中上午到馆83人次、下午到馆97人次）");
    expect((await h.say("wangwu", "2026-11-05T18:00", "今天到馆120人，其中少儿馆30人")).text).not.toContain("其中其中");
    expect(await h.figure("visits", "2026-11-04", "2026-11-05", "总馆")).toBe(300);
  });

  it("compares like for like with last year when last year has data", async () => {
    await h.say("lisi", "2025-11-18T17:00", "今日到馆 40人");
    await h.say("lisi", "2026-11-18T17:00", "今日到馆 50人");
    const answer = await h.say("guanzhang", "2026-11-18T20:00", "城西分馆本月到馆同比");
    expect(answer.text).toMatch(/^本月（11月1日至18日）城西分馆到馆50人次，同比增长25%（2025年11月1日至18日为40人次）；本期城西分馆缺报\d+天/);
    expect((await h.say("guanzhang", "2026-11-18T20:00", "少儿馆本月到馆同比")).text).toContain("没有记录，无法同比");
  });

  it("records closures, answers help and unreadable content", async () => {
    expect((await h.say("lisi", "2026-11-21T09:00", "今天闭馆")).text).toBe("✅ 已登记：城西分馆 11月21日 闭馆，当天不算缺报。");
    expect(await h.test.db.prisma.closedDay.count({ where: { branch: "城西分馆", date: "2026-11-21" } })).toBe(1);
    expect((await h.say("zhangsan", "2026-11-21T09:00", "帮助")).text).toBe("可以这样发：“今日到馆35人”“昨天借阅86册次，还书74册”“城东分馆 本周讲座2场 参与120人次”。");
    expect((await h.say("zhangsan", "2026-11-21T09:00", "大家辛苦了")).text).toContain("今日到馆35人");
  });

  it("stores the report in a message that also asks, then answers with it counted", async () => {
    await h.say("zhangsan", "2026-12-01T17:00", "今日到馆 50人");
    const reply = (await h.say("zhangsan", "2026-12-02T17:00", "今天到馆48人，这个月一共多少了？")).text;
    expect(reply).toContain("已记录");
    expect(reply).toContain("98");
    expect(await h.figure("visits", "2026-12-02", "2026-12-02", "城东分馆")).toBe(48);
  });

  it("asks before opening whether early-morning counts are yesterday's, and files them where the answer says", async () => {
    const question = (await h.say("zhangsan", "2026-12-09T06:40", "到馆241 借阅133")).text;
    expect(question).toBe("现在是清早，这是昨天（12月8日）的数据吗？请回复“昨天”或“今天”。");
    expect(await h.figure("visits", "2026-12-08", "2026-12-09", "城东分馆")).toBe(0);
    expect((await h.say("zhangsan", "2026-12-09T06:41", "昨天")).text).toContain("12月8日");
    expect(await h.figure("visits", "2026-12-08", "2026-12-08", "城东分馆")).toBe(241);
    expect(await h.figure("loans", "2026-12-08", "2026-12-08", "城东分馆")).toBe(133);
    expect(await h.figure("visits", "2026-12-09", "2026-12-09", "城东分馆")).toBe(0);
  });

  it("asks which figure a question with no metric wants, and answers once told", async () => {
    await h.say("zhangsan", "2026-12-14T17:00", "今日到馆 66人");
    await h.say("zhangsan", "2026-12-15T17:00", "今日到馆 70人");
    const question = (await h.say("guanzhang", "2026-12-21T09:00", "城东分馆上周多少？")).text;
    expect(question).toBe("要查哪项数据？比如到馆人次、借阅册次、活动场次。");
    const answer = (await h.say("guanzhang", "2026-12-21T09:01", "到馆")).text;
    expect(answer).toContain("136");
  });

  it("asks which of two figures is right and stores the one the answer restates", async () => {
    const question = (await h.say("zhangsan", "2026-12-16T17:00", "今天到馆123还是132来着，我再对一下")).text;
    expect(question).toBe("到馆是123还是132？请核对后报一下。");
    expect(await h.figure("visits", "2026-12-16", "2026-12-16", "城东分馆")).toBe(0);
    expect((await h.say("zhangsan", "2026-12-16T17:05", "到馆132")).text).toContain("132");
    expect(await h.figure("visits", "2026-12-16", "2026-12-16", "城东分馆")).toBe(132);
  });
});
