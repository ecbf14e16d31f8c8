// 汇总 with a stock (馆藏): the network figure is the sum of each branch's latest value, so a branch that never
// reported it is missing from the figure, and the answer says which. Through the real bot core, parser and ledger on
// SQLite and PostgreSQL; figures checked against the test's own tally.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS } from "../helpers/db.js";
import { createHarness, Tally, type Harness } from "./harness.js";

const DAY = "2026-11-17"; // a Tuesday: all four branches open

describe.each(PROVIDERS)("汇总 of a stock some branch never reported, on %s", (provider) => {
  let h: Harness;
  const tally = new Tally();
  const report = async (who: string, text: string, metric: string, branch: string, value: number) => {
    expect((await h.say(who, `${DAY}T17:00`, text)).text).toContain("已记录");
    tally.set(metric, branch, DAY, value);
  };

  beforeAll(async () => {
    h = await createHarness(provider);
    await report("wangwu", "今日到馆 210人", "visits", "总馆", 210);
    await report("zhangsan", "今日到馆 35人", "visits", "城东分馆", 35);
    await report("lisi", "今日到馆 50人", "visits", "城西分馆", 50);
    await report("zhaoliu", "今日到馆 80人", "visits", "少儿馆", 80);
    await report("wangwu", "馆藏总量30万册", "collection_total", "总馆", 300000);
    await report("zhangsan", "馆藏2.6万册", "collection_total", "城东分馆", 26000);
    await report("zhaoliu", "馆藏2万册", "collection_total", "少儿馆", 20000);
  });
  afterAll(async () => {
    await h?.drop();
  });

  it("names the branch the network 馆藏 leaves out, only in the network answer and only while it is missing", async () => {
    const visits = tally.sum("visits", DAY, DAY);
    const holdings = tally.sum("collection_total", DAY, DAY);
    expect(await h.figure("collection_total", DAY, DAY)).toBe(holdings);
    expect((await h.say("guanzhang", `${DAY}T20:00`, "汇总")).text).toBe(
      `今天（11月17日）全馆汇总：到馆${visits}人次、馆藏${holdings}册（截至11月17日，不含城西分馆，该馆未报）；各馆每日数据均已报齐。`,
    );

    // One branch's own 汇总 has no network figure to qualify.
    expect((await h.say("zhangsan", `${DAY}T20:00`, "汇总")).text).toBe(
      `今天（11月17日）城东分馆汇总：到馆${tally.sum("visits", DAY, DAY, "城东分馆")}人次、馆藏${tally.sum("collection_total", DAY, DAY, "城东分馆")}册（截至11月17日）；每日数据已报齐。`,
    );

    // Once every branch has reported it, nothing extra.
    await report("lisi", "馆藏1.5万册", "collection_total", "城西分馆", 15000);
    const all = tally.sum("collection_total", DAY, DAY);
    expect(await h.figure("collection_total", DAY, DAY)).toBe(all);
    expect((await h.say("guanzhang", `${DAY}T20:05`, "汇总")).text).toBe(
      `今天（11月17日）全馆汇总：到馆${visits}人次、馆藏${all}册（截至11月17日）；各馆每日数据均已报齐。`,
    );
  });
});
