// Totals: pure folds over effective facts. No database, no clock: callers load the facts with
// `loadEffectiveFacts` (src/records/facts.ts, pass `includeSubsets: true` when you want event-type breakdowns)
// and pass "today" in. Every total carries the ids of the facts behind it, so any figure can be traced.
//
// Exported API
//   metricInfoFrom(catalogue)                    → MetricInfoLookup (key → {behaviour, unit, name, shortName})
//   totalFor(facts, query, info)                 → MetricTotal for one metric over a period, optionally one
//                                                  branch / one event type
//   totalsByMetric(facts, scope, info)           → Map metric key → MetricTotal (every metric present)
//   totalsByBranch(facts, query, info)           → Map branch → MetricTotal
//   totalsByEventType(facts, query, info)        → Map event type key ('' = untyped) → MetricTotal
//   rankBranches(byBranch)                       → BranchRank[] (highest first, ties share a rank)
//   dayCounterCoverage(input)                    → Coverage: which branch reported which days, missing days
//   likeForLike(period, today, kind)             → {current, previous} periods for 同比 ('yoy') / 环比 ('mom'),
//                                                  both cut to the same elapsed days (month to date against
//                                                  the same days last year)
//   compareTotals(current, previous)             → Comparison (change and ratio, null when no earlier data)
//
// Rules the folds follow (they are the statistician's rules, not conveniences):
//   - A fact counts toward a period only when its whole day range lies inside the period. A fact that
//     straddles the boundary (周末两天 across a month end) cannot be split honestly; it is listed in
//     `straddlingIds` and not counted, so the answer can say so.
//   - day_counter and additive metrics are summed. stock takes, per branch, the latest value in the period
//     (latest day, then latest recorded), and a network figure is the sum of the branches' latest values.
//     rate and derived metrics are never summed: their value is null.
//   - 其中 breakdown facts (parentId set) never add to their metric's total. An event-type query counts a
//     breakdown only when its parent is untyped (活动186场，其中讲座40场 → 讲座 40), never both.
//   - Facts in a unit other than the metric's canonical unit (30组家庭) are kept out of `value` and reported
//     in `otherUnits`.
import type { Catalogue, DayRange, IsoDate, MetricBehaviour } from "../parsing/types.js";
import { addDays, addMonths, clipTo, contains, daysBetween, eachDay, monthOf, overlaps, weekdayOf } from "./dates.js";

/** The fields of a stored Fact the folds need; a Prisma `Fact` satisfies it. */
export interface TallyFact {
  id: number;
  metric: string;
  value: number;
  unit: string;
  approx: boolean;
  dateFrom: IsoDate;
  dateTo: IsoDate;
  branch: string;
  eventType: string | null;
  parentId: number | null;
  createdAt: Date;
}

export interface MetricInfo {
  behaviour: MetricBehaviour;
  /** Canonical unit: the one `value` is in. */
  unit: string;
  name: string;
  shortName: string;
}

export type MetricInfoLookup = (metric: string) => MetricInfo | undefined;

export function metricInfoFrom(catalogue: Catalogue): MetricInfoLookup {
  const byKey = new Map(catalogue.metrics.map((m) => [m.key, { behaviour: m.behaviour, unit: m.unit, name: m.name, shortName: m.shortName }]));
  return (metric) => byKey.get(metric);
}

export interface TotalQuery {
  metric: string;
  period: DayRange;
  /** One branch; absent = the whole network. */
  branch?: string;
  eventType?: string;
}

export interface MetricTotal {
  metric: string;
  behaviour: MetricBehaviour;
  /** The figure, in `unit`; null for rate/derived metrics, and for a stock with no value in the period. */
  value: number | null;
  unit: string;
  /** Some fact behind the figure was approximate (多, 约, 左右): say 约. */
  approx: boolean;
  /** Facts counted in `value`. */
  factIds: number[];
  /** Facts of this metric overlapping the period but not inside it: not counted. */
  straddlingIds: number[];
  /** Sums of facts in non-canonical units, not counted in `value`. */
  otherUnits: Record<string, number>;
  /** Branches whose facts are counted. */
  branches: string[];
  /** For stock: the latest day a counted value is for. */
  asOf?: IsoDate;
}

/** Sums of decimals (2448.13 小时) must not print as 2448.1299999. */
function roundSum(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

const UNKNOWN_METRIC: MetricInfo = { behaviour: "additive", unit: "", name: "", shortName: "" };

function isLater(a: TallyFact, b: TallyFact): boolean {
  if (a.dateTo !== b.dateTo) return a.dateTo > b.dateTo;
  if (a.createdAt.getTime() !== b.createdAt.getTime()) return a.createdAt > b.createdAt;
  return a.id > b.id;
}

/** Whether a fact belongs to the query's metric, branch and event type (period aside). */
function matchesScope(fact: TallyFact, query: TotalQuery, byId: Map<number, TallyFact>): boolean {
  if (fact.metric !== query.metric) return false;
  if (query.branch !== undefined && fact.branch !== query.branch) return false;
  if (query.eventType === undefined) return fact.parentId === null;
  if (fact.eventType !== query.eventType) return false;
  if (fact.parentId === null) return true;
  // A breakdown counts for its type only under an untyped total that is itself in hand (effective); a
  // breakdown whose total was corrected away is an orphan and is not counted.
  const parent = byId.get(fact.parentId);
  return parent !== undefined && parent.eventType === null;
}

function fold(metric: string, info: MetricInfo, counted: TallyFact[], straddling: TallyFact[]): MetricTotal {
  const canonical = counted.filter((f) => info.unit === "" || f.unit === info.unit);
  const otherUnits: Record<string, number> = {};
  for (const f of counted) {
    if (info.unit !== "" && f.unit !== info.unit) otherUnits[f.unit] = roundSum((otherUnits[f.unit] ?? 0) + f.value);
  }
  const base = { metric, behaviour: info.behaviour, unit: info.unit || (counted[0]?.unit ?? ""), otherUnits, straddlingIds: straddling.map((f) => f.id) };

  if (info.behaviour === "rate" || info.behaviour === "derived") {
    return { ...base, value: null, approx: false, factIds: [], branches: [] };
  }
  if (info.behaviour === "stock") {
    const latestByBranch = new Map<string, TallyFact>();
    for (const f of canonical) {
      const current = latestByBranch.get(f.branch);
      if (!current || isLater(f, current)) latestByBranch.set(f.branch, f);
    }
    const latest = [...latestByBranch.values()];
    if (latest.length === 0) return { ...base, value: null, approx: false, factIds: [], branches: [] };
    return {
      ...base,
      value: roundSum(latest.reduce((sum, f) => sum + f.value, 0)),
      approx: latest.some((f) => f.approx),
      factIds: latest.map((f) => f.id).sort((a, b) => a - b),
      branches: [...latestByBranch.keys()].sort(),
      asOf: latest.reduce((max, f) => (f.dateTo > max ? f.dateTo : max), latest[0]!.dateTo),
    };
  }
  return {
    ...base,
    value: roundSum(canonical.reduce((sum, f) => sum + f.value, 0)),
    approx: canonical.some((f) => f.approx),
    factIds: canonical.map((f) => f.id),
    branches: [...new Set(canonical.map((f) => f.branch))].sort(),
  };
}

function partition(facts: readonly TallyFact[], query: TotalQuery): { counted: TallyFact[]; straddling: TallyFact[] } {
  const byId = new Map(facts.map((f) => [f.id, f]));
  const counted: TallyFact[] = [];
  const straddling: TallyFact[] = [];
  for (const fact of facts) {
    if (!matchesScope(fact, query, byId)) continue;
    const range = { from: fact.dateFrom, to: fact.dateTo };
    if (contains(query.period, range)) counted.push(fact);
    else if (overlaps(query.period, range)) straddling.push(fact);
  }
  return { counted, straddling };
}

/** One metric over a period (and optionally one branch / event type). Facts must be effective facts. */
export function totalFor(facts: readonly TallyFact[], query: TotalQuery, info: MetricInfoLookup): MetricTotal {
  const { counted, straddling } = partition(facts, query);
  return fold(query.metric, info(query.metric) ?? UNKNOWN_METRIC, counted, straddling);
}

/** Every metric that has a fact in the period, each folded by its behaviour. */
export function totalsByMetric(
  facts: readonly TallyFact[],
  scope: { period: DayRange; branch?: string },
  info: MetricInfoLookup,
): Map<string, MetricTotal> {
  const metrics = [...new Set(facts.filter((f) => f.parentId === null).map((f) => f.metric))].sort();
  const result = new Map<string, MetricTotal>();
  for (const metric of metrics) {
    const total = totalFor(facts, { metric, period: scope.period, branch: scope.branch }, info);
    if (total.factIds.length > 0 || total.straddlingIds.length > 0) result.set(metric, total);
  }
  return result;
}

/** One metric per branch. The network figure is the sum of these for flows and stock alike. */
export function totalsByBranch(facts: readonly TallyFact[], query: Omit<TotalQuery, "branch">, info: MetricInfoLookup): Map<string, MetricTotal> {
  const branches = [...new Set(facts.filter((f) => f.metric === query.metric).map((f) => f.branch))].sort();
  const result = new Map<string, MetricTotal>();
  for (const branch of branches) {
    const total = totalFor(facts, { ...query, branch }, info);
    if (total.factIds.length > 0 || total.straddlingIds.length > 0) result.set(branch, total);
  }
  return result;
}

/** One metric split by event type; '' collects top-level facts without a type. The parts of an untyped total
 * that carry a type are its 其中 breakdowns, so the parts need not add up to the metric's total. */
export function totalsByEventType(facts: readonly TallyFact[], query: Omit<TotalQuery, "eventType">, info: MetricInfoLookup): Map<string, MetricTotal> {
  const types = [...new Set(facts.filter((f) => f.metric === query.metric && f.eventType !== null).map((f) => f.eventType!))].sort();
  const result = new Map<string, MetricTotal>();
  for (const eventType of types) {
    const total = totalFor(facts, { ...query, eventType }, info);
    if (total.factIds.length > 0) result.set(eventType, total);
  }
  const untyped = totalFor(
    facts.filter((f) => f.eventType === null),
    { ...query },
    info,
  );
  if (untyped.factIds.length > 0) result.set("", untyped);
  return result;
}

export interface BranchRank {
  rank: number;
  branch: string;
  total: MetricTotal;
}

/** Highest first; equal values share a rank (1, 2, 2, 4). Branches without a value are left out. */
export function rankBranches(byBranch: Map<string, MetricTotal>): BranchRank[] {
  const rows = [...byBranch.entries()]
    .filter(([, total]) => total.value !== null)
    .sort(([a, x], [b, y]) => y.value! - x.value! || a.localeCompare(b, "zh"));
  return rows.map(([branch, total], index) => {
    const firstEqual = rows.findIndex(([, other]) => other.value === total.value);
    return { rank: firstEqual === -1 ? index + 1 : firstEqual + 1, branch, total };
  });
}

// ── Coverage ────────────────────────────────────────────────────────────────────────────────────────────────

export interface CoverageInput {
  /** Effective facts; only those of `metrics` count as a report for their days. */
  facts: readonly TallyFact[];
  /** The day-counter metrics that make a day "reported" (usually every day_counter metric, or the one asked). */
  metrics: readonly string[];
  period: DayRange;
  /** Days after today are not expected yet. */
  today: IsoDate;
  branches: ReadonlyArray<{ name: string; closedWeekdays?: readonly number[] }>;
  /** Announced closures (ClosedDay rows). */
  closedDays?: ReadonlyArray<{ branch: string; date: IsoDate }>;
  /** Days the whole library is closed (calendar.closed). */
  libraryClosed?: readonly IsoDate[];
}

export interface BranchCoverage {
  branch: string;
  /** Open days in the period up to today. */
  expected: IsoDate[];
  reported: IsoDate[];
  missing: IsoDate[];
  closed: IsoDate[];
}

export interface Coverage {
  /** The period cut at today; undefined when the whole period is in the future. */
  period: DayRange | undefined;
  branches: BranchCoverage[];
  /** Branches with no missing day. */
  complete: string[];
  incomplete: string[];
  /** Every branch reported every open day. */
  isComplete: boolean;
}

export function dayCounterCoverage(input: CoverageInput): Coverage {
  const period = clipTo(input.period, input.today);
  const metrics = new Set(input.metrics);
  const libraryClosed = new Set(input.libraryClosed ?? []);
  const branches: BranchCoverage[] = input.branches.map((branch) => {
    const closedWeekdays = new Set(branch.closedWeekdays ?? []);
    const announced = new Set((input.closedDays ?? []).filter((c) => c.branch === branch.name).map((c) => c.date));
    const reportedDays = new Set<IsoDate>();
    for (const fact of input.facts) {
      if (fact.branch !== branch.name || fact.parentId !== null || !metrics.has(fact.metric)) continue;
      // A report that crosses the period's edge is left out of the period's totals, so its days are not
      // "reported" here either: otherwise an empty total would read as complete.
      if (fact.dateFrom < input.period.from || fact.dateTo > input.period.to) continue;
      for (const day of eachDay({ from: fact.dateFrom, to: fact.dateTo })) reportedDays.add(day);
    }
    const days = period ? eachDay(period) : [];
    const closed = days.filter((d) => libraryClosed.has(d) || announced.has(d) || closedWeekdays.has(weekdayOf(d)));
    const closedSet = new Set(closed);
    // A report for a closed day still counts as reported: it is data, and it is not "missing".
    const expected = days.filter((d) => !closedSet.has(d) || reportedDays.has(d));
    const reported = expected.filter((d) => reportedDays.has(d));
    const missing = expected.filter((d) => !reportedDays.has(d));
    return { branch: branch.name, expected, reported, missing, closed: closed.filter((d) => !reportedDays.has(d)) };
  });
  const complete = branches.filter((b) => b.missing.length === 0).map((b) => b.branch);
  const incomplete = branches.filter((b) => b.missing.length > 0).map((b) => b.branch);
  return { period, branches, complete, incomplete, isComplete: incomplete.length === 0 };
}

// ── Comparisons ─────────────────────────────────────────────────────────────────────────────────────────────

export type ComparisonKind = "yoy" | "mom";

export interface LikeForLike {
  /** The asked period cut at today. */
  current: DayRange;
  /** The earlier period over the same elapsed days. */
  previous: DayRange;
}

function isWholeMonth(period: DayRange): boolean {
  const month = monthOf(period.from);
  return month.from === period.from && month.to === period.to;
}

function isWholeMonths(period: DayRange, count: number): boolean {
  return period.from.endsWith("-01") && addDays(addMonths(period.from, count), -1) === period.to;
}

/** 同比: the same days one year earlier. 环比: the previous period of the same kind (previous month for a month,
 * previous quarter, previous week or same-length stretch otherwise), cut to the same number of elapsed days, so
 * month to date compares with the same days of the previous month. Undefined when the period has not begun. */
export function likeForLike(period: DayRange, today: IsoDate, kind: ComparisonKind): LikeForLike | undefined {
  const current = clipTo(period, today);
  if (!current) return undefined;
  const elapsed = daysBetween(current.from, current.to);
  if (kind === "yoy") {
    const from = addMonths(current.from, -12);
    return { current, previous: { from, to: addMonths(current.to, -12) } };
  }
  let previousFrom: IsoDate;
  let previousWholeTo: IsoDate;
  const months = [1, 3, 6, 12].find((n) => (n === 1 ? isWholeMonth(period) : isWholeMonths(period, n)));
  if (months !== undefined) {
    previousFrom = addMonths(period.from, -months);
    previousWholeTo = addDays(period.from, -1);
  } else {
    const length = daysBetween(period.from, period.to) + 1;
    previousFrom = addDays(period.from, -length);
    previousWholeTo = addDays(period.from, -1);
  }
  const previousTo = addDays(previousFrom, elapsed);
  return { current, previous: { from: previousFrom, to: previousTo < previousWholeTo ? previousTo : previousWholeTo } };
}

export interface Comparison {
  current: MetricTotal;
  previous: MetricTotal;
  /** current − previous; null when either side has no value or the earlier period has no data. */
  change: number | null;
  /** current / previous − 1; null when it cannot be computed (no data, or previous is 0). */
  ratio: number | null;
}

export function compareTotals(current: MetricTotal, previous: MetricTotal): Comparison {
  const hasBoth = current.value !== null && previous.value !== null && previous.factIds.length > 0;
  const change = hasBoth ? roundSum(current.value! - previous.value!) : null;
  const ratio = hasBoth && previous.value !== 0 ? current.value! / previous.value! - 1 : null;
  return { current, previous, change, ratio };
}
