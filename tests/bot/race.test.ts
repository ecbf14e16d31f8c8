// Two different reports for the same day counter, branch and day arriving at the same moment — on PostgreSQL
// through two instances on one database — must not both be stored: one is recorded, the other is asked
// 改为还是再加. Real databases, real cores.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBotCore } from "../../src/bot/core.js";
import { openDatabase, type Database } from "../../src/db/open.js";
import { silentLogger } from "../../src/log.js";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "../helpers/db.js";
import { CATALOGUE, SITE } from "./harness.js";

describe.each(PROVIDERS)("concurrent reports for one day counter on %s", (provider) => {
  let test: TestDatabase;
  let second: Database;
  beforeAll(async () => {
    test = await createTestDatabase(provider);
    // A second instance with its own client and connections; SQLite deployments run one instance.
    second = provider === "postgresql" ? await openDatabase(test.url, { migrate: false }) : test.db;
  });
  afterAll(async () => {
    if (second !== test.db) await second.close();
    await test?.drop();
  });

  it("stores one and asks about the other, every time", async () => {
    const coreFor = (db: Database) =>
      createBotCore({ prisma: db.prisma, provider: db.provider, config: { site: SITE }, catalogue: CATALOGUE, log: silentLogger });
    const cores = [coreFor(test.db), coreFor(second)];
    for (let round = 0; round < 5; round++) {
      const day = 10 + round;
      const sentAt = new Date(`2026-11-${day}T09:00:00Z`);
      const replies = await Promise.all(
        [35, 50].map((value, i) =>
          cores[i]!.handle({ channel: "cli", externalId: `race-${round}-${i}`, senderId: "zhangsan", chatType: "single", text: `今日到馆 ${value}人`, sentAt }),
        ),
      );
      const facts = await test.db.prisma.fact.findMany({ where: { metric: "visits", dateFrom: `2026-11-${day}` } });
      expect(facts).toHaveLength(1);
      expect(replies.filter((r) => r.text.startsWith("✅ 已记录"))).toHaveLength(1);
      expect(replies.filter((r) => /改为.*还是再加/.test(r.text))).toHaveLength(1);
    }
  });
});
