// The digests' view of the catalogue and the folds in src/records/totals.ts: metric order, names, and a trace
// entry for every figure printed.
import type { Catalogue, DayRange, MetricDefinition } from "../parsing/types.js";
import { metricInfoFrom, totalFor, type MetricInfoLookup, type MetricTotal, type TallyFact } from "../records/totals.js";

/** A stored fact as the digests read it: the folds' fields plus the activity name and the 其中 label. */
export type DigestFact = TallyFact & { eventName: string | null; subset: string | null };

/** One printed figure and the facts behind it (Draft.trace). */
export interface TraceEntry {
  /** What the reader sees, e.g. "上半年到馆人次 12345人次". */
  figure: string;
  factIds: number[];
}

export interface Tally {
  catalogue: Catalogue;
  info: MetricInfoLookup;
  metric(key: string): MetricDefinition | undefined;
  /** Catalogue order: the order a summary and a digest list metrics in. */
  order(keys: Iterable<string>): string[];
  eventTypeName(key: string): string;
  total(facts: readonly TallyFact[], metric: string, period: DayRange, extra?: { branch?: string; eventType?: string }): MetricTotal;
}

export function createTally(catalogue: Catalogue): Tally {
  const byKey = new Map(catalogue.metrics.map((m, index) => [m.key, { metric: m, index }]));
  const info = metricInfoFrom(catalogue);
  return {
    catalogue,
    info,
    metric: (key) => byKey.get(key)?.metric,
    order: (keys) => [...new Set(keys)].sort((a, b) => (byKey.get(a)?.index ?? 1e9) - (byKey.get(b)?.index ?? 1e9) || a.localeCompare(b)),
    eventTypeName: (key) => catalogue.eventTypes.find((t) => t.key === key)?.name ?? key,
    total: (facts, metric, period, extra = {}) => totalFor(facts, { metric, period, ...extra }, info),
  };
}

/** A total has something to print: a value from at least one fact. */
export function hasValue(total: MetricTotal): boolean {
  return total.value !== null && total.factIds.length > 0;
}

/** 3,4,5,9 → "#3–#5、#9": trace appendices stay readable over half a year of daily facts. */
export function compactIds(ids: readonly number[]): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(j > i ? `#${sorted[i]}–#${sorted[j]}` : `#${sorted[i]}`);
    i = j + 1;
  }
  return parts.join("、");
}

/**
 * The day counters with a network figure in `range`, as a sentence names them: 「到馆、借阅等」, 「借阅」 (外借人次 goes
 * under 借阅 beside 外借册次). Empty when there is none. Used where a branch silent all period is said to be missing
 * from those figures, so the sentence names only figures the text has.
 */
export function dayCounterWords(tally: Tally, facts: readonly DigestFact[], range: DayRange): string {
  const keys = tally
    .order(facts.filter((f) => f.parentId === null && tally.metric(f.metric)?.behaviour === "day_counter").map((f) => f.metric))
    .filter((key) => hasValue(tally.total(facts, key, range)));
  const names: string[] = [];
  for (const key of keys) {
    const name = tally.metric(key)?.shortName ?? key;
    if (!names.some((n) => name.startsWith(n))) names.push(name);
  }
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, 2).join("、")}等`;
}
