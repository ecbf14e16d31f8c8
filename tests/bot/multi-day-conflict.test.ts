// A day's report against a weekend reported together (or the reverse) is not offered 改为/加上: either answer
// would lose or double the other day's share. Nothing is stored and the figures stay as they were.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROVIDERS } from "../helpers/db.js";
import { createHarness, type Harness } from "./harness.js";

describe.each(PROVIDERS)("reports over different days on %s", (provider) => {
  let bot: Harness;
  beforeAll(async () => {
    bot = await createHarness(provider);
  });
  afterAll(async () => {
    await bot?.drop();
  });

  it("keeps the weekend figure and stores nothing for the single day", async () => {
    expect((await bot.say("zhangsan", "2026-11-22T18:00", "周末两天到馆80人")).text).toBe("✅ 已记录：城东分馆 11月21日至22日 到馆80人次");
    const reply = (await bot.say("zhangsan", "2026-11-22T18:05", "今天到馆30人")).text;
    expect(reply).toMatch(/^城东分馆已记录11月21日至22日到馆80人次，和这次报的11月22日不是同一时间段，本条没有记录。/);
    // An answer that would have meant 改为 does nothing now.
    await bot.say("zhangsan", "2026-11-22T18:06", "改为");
    expect(await bot.figure("visits", "2026-11-21", "2026-11-22", "城东分馆")).toBe(80);
    expect(await bot.test.db.prisma.fact.count({ where: { op: "assert" } })).toBe(1);
  });
});
