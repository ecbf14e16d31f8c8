// Plausibility before storing: a value far from the branch's own history, a day in the future, a day long past
// without 补报, a zero or negative where it makes no sense. Pure: the history and "today" are inputs. A finding is
// not a refusal; the bot asks the sender to confirm.
import type { DayRange, IsoDate, MetricBehaviour } from "../parsing/types.js";
import { daysBetween, weekdayOf } from "./dates.js";

export type FindingKind = "future" | "stale" | "negative" | "zero" | "outlier";

export interface Finding {
  kind: FindingKind;
  /** For outliers: the median the value was compared with, and what it was the median of. */
  median?: number;
  basis?: "weekday" | "recent" | "previous";
  /** For stale: how many days ago. */
  daysAgo?: number;
}

export interface PlausibilityInput {
  value: number;
  date: DayRange;
  behaviour: MetricBehaviour;
  metric: string;
  today: IsoDate;
  /** The message says 补报/补录: an old day is expected. */
  backfill: boolean;
  backfillDays: number;
  outlierFactor: number;
  /** Earlier effective values of the same metric and branch (any order): single-day ones drive the weekday median. */
  history: ReadonlyArray<{ value: number; dateFrom: IsoDate; dateTo: IsoDate }>;
}

/** Metrics where a zero is not a believable count for a day the branch was open. Zero 办证 is an ordinary day;
 * zero 到馆 usually means the branch was closed (say 闭馆) or a digit was lost. */
const ZERO_IS_SUSPECT = new Set(["visits"]);

/** At least this many earlier values before a median means anything. */
const MIN_HISTORY = 3;

export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function outlierBasis(input: PlausibilityInput): { median: number; basis: Finding["basis"] } | undefined {
  if (input.behaviour === "stock") {
    const previous = [...input.history].sort((a, b) => (a.dateTo < b.dateTo ? 1 : -1))[0];
    return previous ? { median: previous.value, basis: "previous" } : undefined;
  }
  if (input.behaviour === "day_counter" && input.date.from === input.date.to) {
    const weekday = weekdayOf(input.date.from);
    const sameWeekday = input.history.filter((h) => h.dateFrom === h.dateTo && weekdayOf(h.dateFrom) === weekday).map((h) => h.value);
    if (sameWeekday.length >= MIN_HISTORY) return { median: median(sameWeekday)!, basis: "weekday" };
    const singleDays = input.history.filter((h) => h.dateFrom === h.dateTo).map((h) => h.value);
    if (singleDays.length >= MIN_HISTORY) return { median: median(singleDays)!, basis: "recent" };
    return undefined;
  }
  // Additive reports (捐书 5册 one day, 500册 the next) vary too much by nature for a median to mean anything.
  return undefined;
}

export function checkPlausibility(input: PlausibilityInput): Finding[] {
  const findings: Finding[] = [];
  if (input.date.to > input.today) findings.push({ kind: "future" });
  const daysAgo = daysBetween(input.date.to, input.today);
  if (!input.backfill && daysAgo > input.backfillDays) findings.push({ kind: "stale", daysAgo });
  if (input.value < 0) findings.push({ kind: "negative" });
  else if (input.value === 0 && (input.behaviour === "stock" || ZERO_IS_SUSPECT.has(input.metric))) findings.push({ kind: "zero" });
  if (input.value > 0) {
    const basis = outlierBasis(input);
    // Far above or far below: 多写了一个0 and 少写了一个0 are the same mistake.
    if (basis && basis.median > 0 && (input.value > basis.median * input.outlierFactor || input.value * input.outlierFactor < basis.median)) {
      findings.push({ kind: "outlier", median: basis.median, basis: basis.basis });
    }
  }
  return findings;
}
