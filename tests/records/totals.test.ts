// Pure folds in src/records/totals.ts: no database, facts built in the test, every figure checked against a
// hand tally.
import { describe, expect, it } from "vitest";
import {
  compareTotals,
  dayCounterCoverage,
  likeForLike,
  rankBranches,
  totalFor,
  totalsByBranch,
  totalsByEventType,
  totalsByMetric,
  type MetricInfo,
  type MetricInfoLookup,
  type TallyFact,
} from "../../src/records/totals.js";

const METRICS: Record<string, MetricInfo> = {
  visits: { behaviour: "day_counter", unit: "人次", name: "到馆人次", shortName: "到馆" },
  events: { behaviour: "additive", unit: "场", name: "活动场次", shortName: "活动" },
  event_attendance: { behaviour: "additive", unit: "人次", name: "活动参与人次", shortName: "参与" },
  collection_total: { behaviour: "stock", unit: "册", name: "馆藏总量", shortName: "馆藏" },
  reader_satisfaction: { behaviour: "rate", unit: "%", name: "读者满意率", shortName: "满意率" },
};
const INFO: MetricInfoLookup = (metric) => METRICS[metric];

let nextId = 1;
function fact(partial: Partial<TallyFact> & Pick<TallyFact, "metric" | "value" | "branch">): TallyFact {
  const id = partial.id ?? nextId++;
  return {
    id,
    unit: INFO(partial.metric)?.unit ?? "",
    approx: false,
    dateFrom: partial.dateFrom ?? "2026-11-16",
    dateTo: partial.dateTo ?? partial.dateFrom ?? "2026-11-16",
    eventType: null,
    parentId: null,
    createdAt: new Date(1_800_000_000_000 + id * 1000),
    ...partial,
  };
}

const WEEK = { from: "2026-11-16", to: "2026-11-22" };

describe("totalFor", () => {
  it("sums flows inside the period and leaves straddling facts out, saying so", () => {
    const facts = [
      fact({ metric: "visits", value: 35, branch: "城东分馆", dateFrom: "2026-11-16" }),
      fact({ metric: "visits", value: 40, branch: "城东分馆", dateFrom: "2026-11-17", approx: true }),
      fact({ metric: "visits", value: 50, branch: "城西分馆", dateFrom: "2026-11-17" }),
      fact({ metric: "visits", value: 300, branch: "城西分馆", dateFrom: "2026-11-15", dateTo: "2026-11-16" }),
      fact({ metric: "visits", value: 99, branch: "城西分馆", dateFrom: "2026-11-23" }),
    ];
    const network = totalFor(facts, { metric: "visits", period: WEEK }, INFO);
    expect(network.value).toBe(125);
    expect(network.approx).toBe(true);
    expect(network.straddlingIds).toEqual([facts[3]!.id]);
    expect(network.branches).toEqual(["城东分馆", "城西分馆"]);
    expect(totalFor(facts, { metric: "visits", period: WEEK, branch: "城东分馆" }, INFO).value).toBe(75);
  });

  it("takes the latest stock value per branch and sums the branches", () => {
    const facts = [
      fact({ metric: "collection_total", value: 1000, branch: "总馆", dateFrom: "2026-11-16" }),
      fact({ metric: "collection_total", value: 1200, branch: "总馆", dateFrom: "2026-11-18" }),
      fact({ metric: "collection_total", value: 1100, branch: "总馆", dateFrom: "2026-11-17" }),
      fact({ metric: "collection_total", value: 500, branch: "少儿馆", dateFrom: "2026-11-16" }),
    ];
    const total = totalFor(facts, { metric: "collection_total", period: WEEK }, INFO);
    expect(total.value).toBe(1700);
    expect(total.asOf).toBe("2026-11-18");
    expect(totalFor(facts, { metric: "collection_total", period: { from: "2026-11-16", to: "2026-11-17" } }, INFO).value).toBe(1600);
  });

  it("never sums rates and keeps other units apart", () => {
    const facts = [
      fact({ metric: "reader_satisfaction", value: 95, branch: "总馆" }),
      fact({ metric: "event_attendance", value: 30, unit: "组家庭", branch: "总馆" }),
      fact({ metric: "event_attendance", value: 12, branch: "总馆" }),
    ];
    expect(totalFor(facts, { metric: "reader_satisfaction", period: WEEK }, INFO).value).toBeNull();
    const attendance = totalFor(facts, { metric: "event_attendance", period: WEEK }, INFO);
    expect(attendance.value).toBe(12);
    expect(attendance.otherUnits).toEqual({ 组家庭: 30 });
  });

  it("counts 其中 breakdowns only for their event type, never in the total", () => {
    const parent = fact({ metric: "events", value: 186, branch: "总馆" });
    const facts = [
      parent,
      fact({ metric: "events", value: 40, branch: "总馆", eventType: "lecture", parentId: parent.id }),
      fact({ metric: "events", value: 14, branch: "总馆", eventType: "reading_club", parentId: parent.id }),
      fact({ metric: "events", value: 2, branch: "城东分馆", eventType: "lecture" }),
    ];
    expect(totalFor(facts, { metric: "events", period: WEEK }, INFO).value).toBe(188);
    expect(totalFor(facts, { metric: "events", period: WEEK, eventType: "lecture" }, INFO).value).toBe(42);
    const byType = totalsByEventType(facts, { metric: "events", period: WEEK }, INFO);
    expect(Object.fromEntries([...byType].map(([k, t]) => [k, t.value]))).toEqual({ "": 186, lecture: 42, reading_club: 14 });
  });
});

describe("grouped totals and ranks", () => {
  const facts = [
    fact({ metric: "visits", value: 35, branch: "城东分馆" }),
    fact({ metric: "visits", value: 50, branch: "城西分馆" }),
    fact({ metric: "visits", value: 50, branch: "总馆" }),
    fact({ metric: "visits", value: 10, branch: "少儿馆" }),
    fact({ metric: "events", value: 2, branch: "少儿馆" }),
  ];

  it("splits by metric and by branch", () => {
    const byMetric = totalsByMetric(facts, { period: WEEK }, INFO);
    expect([...byMetric.keys()]).toEqual(["events", "visits"]);
    expect(byMetric.get("visits")!.value).toBe(145);
    const byBranch = totalsByBranch(facts, { metric: "visits", period: WEEK }, INFO);
    expect(byBranch.size).toBe(4);
  });

  it("ranks with shared places for ties", () => {
    const ranks = rankBranches(totalsByBranch(facts, { metric: "visits", period: WEEK }, INFO));
    expect(ranks.map((r) => [r.rank, r.branch])).toEqual([
      [1, "城西分馆"],
      [1, "总馆"],
      [3, "城东分馆"],
      [4, "少儿馆"],
    ]);
  });
});

describe("dayCounterCoverage", () => {
  it("finds the missing days, skipping closed weekdays, announced closures and the future", () => {
    const facts = [
      fact({ metric: "visits", value: 1, branch: "城东分馆", dateFrom: "2026-11-17" }),
      fact({ metric: "visits", value: 1, branch: "城东分馆", dateFrom: "2026-11-18" }),
      fact({ metric: "visits", value: 1, branch: "总馆", dateFrom: "2026-11-16", dateTo: "2026-11-18" }),
      fact({ metric: "visits", value: 1, branch: "城西分馆", dateFrom: "2026-11-18" }),
      fact({ metric: "events", value: 1, branch: "少儿馆", dateFrom: "2026-11-16" }),
    ];
    const coverage = dayCounterCoverage({
      facts,
      metrics: ["visits"],
      period: WEEK,
      today: "2026-11-18",
      branches: [
        { name: "总馆" },
        { name: "城东分馆", closedWeekdays: [1] },
        { name: "城西分馆", closedWeekdays: [1] },
        { name: "少儿馆" },
      ],
      closedDays: [{ branch: "少儿馆", date: "2026-11-17" }],
    });
    expect(coverage.period).toEqual({ from: "2026-11-16", to: "2026-11-18" });
    expect(coverage.complete).toEqual(["总馆", "城东分馆"]);
    const missing = Object.fromEntries(coverage.branches.map((b) => [b.branch, b.missing]));
    expect(missing).toEqual({ 总馆: [], 城东分馆: [], 城西分馆: ["2026-11-17"], 少儿馆: ["2026-11-16", "2026-11-18"] });
    expect(coverage.isComplete).toBe(false);
  });
});

describe("dayCounterCoverage at the period's edge", () => {
  it("does not count the days of a report that crosses the edge (it is not in the total either)", () => {
    const coverage = dayCounterCoverage({
      facts: [fact({ metric: "visits", value: 80, branch: "总馆", dateFrom: "2026-10-31", dateTo: "2026-11-01" })],
      metrics: ["visits"],
      period: { from: "2026-11-01", to: "2026-11-30" },
      today: "2026-11-01",
      branches: [{ name: "总馆" }],
    });
    expect(coverage.isComplete).toBe(false);
    expect(coverage.branches[0]!.missing).toEqual(["2026-11-01"]);
  });
});

describe("likeForLike and compareTotals", () => {
  it("compares month to date with the same days last year and last month", () => {
    const november = { from: "2026-11-01", to: "2026-11-30" };
    expect(likeForLike(november, "2026-11-18", "yoy")).toEqual({
      current: { from: "2026-11-01", to: "2026-11-18" },
      previous: { from: "2025-11-01", to: "2025-11-18" },
    });
    expect(likeForLike(november, "2026-11-18", "mom")!.previous).toEqual({ from: "2026-10-01", to: "2026-10-18" });
    // March 1–31 to date against February, clipped to February's end.
    expect(likeForLike({ from: "2026-03-01", to: "2026-03-31" }, "2026-03-31", "mom")!.previous).toEqual({ from: "2026-02-01", to: "2026-02-28" });
    expect(likeForLike(WEEK, "2026-11-18", "mom")!.previous).toEqual({ from: "2026-11-09", to: "2026-11-11" });
    expect(likeForLike({ from: "2026-07-01", to: "2026-09-30" }, "2026-12-01", "mom")!.previous).toEqual({ from: "2026-04-01", to: "2026-06-30" });
    expect(likeForLike(WEEK, "2026-11-01", "yoy")).toBeUndefined();
  });

  it("computes change and ratio only when the earlier period has data", () => {
    const now = totalFor([fact({ metric: "visits", value: 120, branch: "总馆" })], { metric: "visits", period: WEEK }, INFO);
    const before = totalFor([fact({ metric: "visits", value: 100, branch: "总馆" })], { metric: "visits", period: WEEK }, INFO);
    const empty = totalFor([], { metric: "visits", period: WEEK }, INFO);
    const comparison = compareTotals(now, before);
    expect(comparison.change).toBe(20);
    expect(comparison.ratio).toBeCloseTo(0.2);
    expect(compareTotals(now, empty).change).toBeNull();
  });
});
