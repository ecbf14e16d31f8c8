// Property: for random sequences of reports, corrections and retractions written through the ledger, on SQLite
// and PostgreSQL, the effective facts are exactly the model's, every total equals the fold of the model's
// values, and no fact is ever lost (every fact written is in the table, effective or superseded exactly once).
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadEffectiveFacts } from "../../src/records/facts.js";
import { appendFacts, replaceFact, retractFact } from "../../src/records/ledger.js";
import { totalFor, type MetricInfo, type MetricInfoLookup } from "../../src/records/totals.js";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "../helpers/db.js";

const METRICS: Record<string, MetricInfo> = {
  visits: { behaviour: "day_counter", unit: "人次", name: "到馆人次", shortName: "到馆" },
  events: { behaviour: "additive", unit: "场", name: "活动场次", shortName: "活动" },
  collection_total: { behaviour: "stock", unit: "册", name: "馆藏总量", shortName: "馆藏" },
};
const INFO: MetricInfoLookup = (metric) => METRICS[metric];
const DAYS = ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19"];

type Op =
  | { kind: "report"; metric: string; branch: number; day: number; value: number }
  | { kind: "replace"; pick: number; value: number }
  | { kind: "redate"; pick: number; day: number }
  | { kind: "retract"; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("report" as const), metric: fc.constantFrom(...Object.keys(METRICS)), branch: fc.nat(1), day: fc.nat(DAYS.length - 1), value: fc.integer({ min: 0, max: 500 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("replace" as const), pick: fc.nat(), value: fc.integer({ min: 0, max: 500 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("redate" as const), pick: fc.nat(), day: fc.nat(DAYS.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("retract" as const), pick: fc.nat() }) },
);

interface ModelFact {
  metric: string;
  branch: string;
  day: string;
  value: number;
}

describe.each(PROVIDERS)("ledger property on %s", (provider) => {
  let test: TestDatabase;
  let run = 0;
  beforeAll(async () => {
    test = await createTestDatabase(provider);
  });
  afterAll(async () => {
    await test?.drop();
  });

  it("totals equal the fold of the effective facts; nothing lost or counted twice", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 18 }), async (ops) => {
        // Each run writes to branches of its own, so runs sharing the database never see each other's facts.
        const tag = `r${run++}`;
        const branches = [`${tag}-东`, `${tag}-西`];
        const prisma = test.db.prisma;
        const model = new Map<number, ModelFact>();
        let written = 0;
        const by = { messageId: null, actorId: "prop" };
        for (const op of ops) {
          const ids = [...model.keys()];
          if (op.kind === "report") {
            const [fact] = await appendFacts(prisma, [{ metric: op.metric, value: op.value, unit: METRICS[op.metric]!.unit, date: { from: DAYS[op.day]!, to: DAYS[op.day]! }, branch: branches[op.branch]! }], by);
            model.set(fact!.id, { metric: op.metric, branch: branches[op.branch]!, day: DAYS[op.day]!, value: op.value });
            written++;
            continue;
          }
          if (ids.length === 0) continue;
          const id = ids[op.pick % ids.length]!;
          const old = await prisma.fact.findUniqueOrThrow({ where: { id } });
          const previous = model.get(id)!;
          model.delete(id);
          written++;
          if (op.kind === "retract") {
            await retractFact(prisma, old, by);
          } else if (op.kind === "replace") {
            const next = await replaceFact(prisma, old, { value: op.value }, by);
            model.set(next.id, { ...previous, value: op.value });
          } else {
            const next = await replaceFact(prisma, old, { date: { from: DAYS[op.day]!, to: DAYS[op.day]! } }, by);
            model.set(next.id, { ...previous, day: DAYS[op.day]! });
          }
        }

        const effective = await loadEffectiveFacts(prisma, { from: DAYS[0]!, to: DAYS.at(-1)!, branches });
        expect(effective.map((f) => f.id).sort((a, b) => a - b)).toEqual([...model.keys()].sort((a, b) => a - b));
        expect(await prisma.fact.count({ where: { branch: { in: branches } } })).toBe(written);

        for (const metric of Object.keys(METRICS)) {
          for (const branch of [...branches, undefined]) {
            const period = { from: DAYS[0]!, to: DAYS.at(-1)! };
            const total = totalFor(effective, { metric, period, branch }, INFO);
            const mine = [...model.entries()].filter(([, f]) => f.metric === metric && (branch === undefined || f.branch === branch));
            if (METRICS[metric]!.behaviour === "stock") {
              // Latest day, then latest written (highest id), per branch; summed over branches.
              const latest = new Map<string, [number, ModelFact]>();
              for (const entry of mine) {
                const current = latest.get(entry[1].branch);
                if (!current || entry[1].day > current[1].day || (entry[1].day === current[1].day && entry[0] > current[0])) latest.set(entry[1].branch, entry);
              }
              const expected = latest.size ? [...latest.values()].reduce((s, [, f]) => s + f.value, 0) : null;
              expect(total.value).toBe(expected);
            } else {
              expect(total.value).toBe(mine.reduce((s, [, f]) => s + f.value, 0));
              expect([...total.factIds].sort((a, b) => a - b)).toEqual(mine.map(([id]) => id).sort((a, b) => a - b));
            }
          }
        }
      }),
      { numRuns: provider === "sqlite" ? 40 : 25 },
    );
  }, 60_000);
});
