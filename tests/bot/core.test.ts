// The core's guarantees that no scenario exercises by accident: a failing message is kept with an apology and
// records nothing; two corrections racing for the same fact cannot both win. Real databases, no mocks except a
// parser that throws.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APOLOGY, createBotCore } from "../../src/bot/core.js";
import { silentLogger } from "../../src/log.js";
import { AlreadySupersededError, appendFacts, replaceFact } from "../../src/records/ledger.js";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "../helpers/db.js";
import { CATALOGUE, SITE } from "./harness.js";

describe.each(PROVIDERS)("core guarantees on %s", (provider) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await test?.drop();
  });

  it("keeps a message that failed, with an apology, and records nothing", async () => {
    const core = createBotCore({
      prisma: test.db.prisma,
      config: { site: SITE },
      catalogue: CATALOGUE,
      log: silentLogger,
      parse: () => {
        throw new Error("parser exploded");
      },
    });
    const message = { channel: "cli" as const, externalId: "boom-1", senderId: "zhangsan", chatType: "single" as const, text: "今日到馆 35人", sentAt: new Date("2026-11-18T09:00:00Z") };
    expect(await core.handle(message)).toEqual({ text: APOLOGY });
    expect(await core.handle(message)).toEqual({ text: APOLOGY, redelivery: true });
    const kept = await test.db.prisma.message.findMany({ where: { externalId: "boom-1" } });
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatchObject({ kind: "error", reply: APOLOGY, text: "今日到馆 35人" });
    expect(await test.db.prisma.fact.count()).toBe(0);
  });

  it("lets only one of two racing corrections supersede a fact", async () => {
    const [fact] = await appendFacts(test.db.prisma, [{ metric: "visits", value: 35, unit: "人次", date: { from: "2026-11-18", to: "2026-11-18" }, branch: "总馆" }], { messageId: null, actorId: "wangwu" });
    const results = await Promise.allSettled([
      replaceFact(test.db.prisma, fact!, { value: 53 }, { messageId: null, actorId: "wangwu" }),
      replaceFact(test.db.prisma, fact!, { value: 54 }, { messageId: null, actorId: "guanzhang" }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(rejected.reason).toBeInstanceOf(AlreadySupersededError);
    expect(await test.db.prisma.fact.count({ where: { supersedesId: fact!.id } })).toBe(1);
  });
});
