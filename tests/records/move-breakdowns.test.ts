// Moving a total to another day or branch moves its 其中 breakdowns with it: a type query for the new day finds
// them and the old day keeps nothing. Real databases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEffectiveFacts } from "../../src/records/facts.js";
import { appendFacts, replaceFact } from "../../src/records/ledger.js";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "../helpers/db.js";

const by = { messageId: null, actorId: "wangwu" };
const day = (d: string) => ({ from: d, to: d });

describe.each(PROVIDERS)("moving a total with breakdowns on %s", (provider) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await test?.drop();
  });

  it("carries the breakdowns to the new day and branch", async () => {
    const [total] = await appendFacts(
      test.db.prisma,
      [
        { metric: "events", value: 10, unit: "场", date: day("2026-12-01"), branch: "总馆" },
        { metric: "events", value: 4, unit: "场", date: day("2026-12-01"), branch: "总馆", eventType: "lecture", subset: "讲座", subsetOf: 0 },
      ],
      by,
    );
    await replaceFact(test.db.prisma, total!, { date: day("2026-11-30"), branch: "少儿馆" }, by);

    const moved = await loadEffectiveFacts(test.db.prisma, { from: "2026-11-30", to: "2026-11-30", includeSubsets: true });
    expect(moved.map((f) => [f.metric, f.value, f.branch, f.dateFrom, f.subset])).toEqual([
      ["events", 10, "少儿馆", "2026-11-30", null],
      ["events", 4, "少儿馆", "2026-11-30", "讲座"],
    ]);
    expect(await loadEffectiveFacts(test.db.prisma, { from: "2026-12-01", to: "2026-12-01", includeSubsets: true })).toEqual([]);
  });
});
