// Alias + unit → metric. The unit decides among metrics staff name with the same words (借阅6000人次 →
// loan_persons, 借阅8000册次 → loans; 捐赠1700元 → donated_money).
import type { LexEntry, Lexicon } from "./lexicon.ts";
import type { MetricDefinition } from "./types.ts";

/** Without a unit these would be guesses (money, hours, area, rates, storage, days). */
const UNITS_NEEDING_EXPLICIT_UNIT = new Set(["元", "万元", "小时", "学时", "平方米", "%", "TB", "天"]);

export interface ResolvedMetric {
  metric: MetricDefinition;
  /** Set when the alias itself is an event-type trigger (讲座, 展览). */
  eventType?: string;
}

/** Event triggers (讲座, 读书会) name the events family. */
const EVENTS_KEY = "events";

/** `directOnly`: only the alias's own metrics, not their family (2场讲座 names events; 300人借出 does not name
 * loan_persons: a classifier phrase names the thing counted, which must take that unit itself). */
export function resolveMetric(lexicon: Lexicon, entry: LexEntry, unit: string | undefined, directOnly = false): ResolvedMetric | undefined {
  const direct = directMetrics(entry);
  if (direct.length === 0) return undefined;
  const familyMembers = unique(direct.flatMap((key) => {
    const family = lexicon.metrics.get(key)?.family;
    return family ? (lexicon.families.get(family) ?? []) : [];
  }));
  const toDefinition = (key: string) => lexicon.metrics.get(key);
  const directDefs = direct.map(toDefinition).filter(isDefined);
  // 讲座…时长2小时 is how long a lecture lasted; only a training, or 学时/课时, counts training hours.
  const hoursOfTraining = (key: string) => key !== "training_hours" || entry.eventType === "training" || (unit !== undefined && /学时|课时/.test(unit));
  const familyDefs = familyMembers.filter((key) => !direct.includes(key) && hoursOfTraining(key)).map(toDefinition).filter(isDefined);
  const eventType = entry.eventType;
  if (unit === undefined) {
    const first = directDefs[0];
    if (!first || UNITS_NEEDING_EXPLICIT_UNIT.has(first.unit)) return undefined;
    return { metric: first, eventType };
  }
  const ordered: Array<MetricDefinition | undefined> = [
    directDefs.find((m) => m.unit === unit),
    directDefs.find((m) => m.unitAliases.includes(unit)),
    directOnly ? undefined : familyDefs.find((m) => m.unit === unit),
    directOnly ? undefined : familyDefs.find((m) => m.unitAliases.includes(unit)),
  ];
  const metric = ordered.find(isDefined);
  return metric ? { metric, eventType } : undefined;
}

export function directMetrics(entry: LexEntry): string[] {
  if (entry.metrics && entry.metrics.length > 0) return entry.metrics;
  if (entry.eventType) return [EVENTS_KEY];
  return [];
}

export function acceptsUnit(metric: MetricDefinition, unit: string | undefined): boolean {
  if (unit === undefined) return !UNITS_NEEDING_EXPLICIT_UNIT.has(metric.unit);
  return metric.unit === unit || metric.unitAliases.includes(unit);
}

/** The value in the metric's canonical unit: 万 is already expanded by the numeral parser; 本→册 and 人→人次
 * are 1:1; money and storage scale (50万元 of funding stays 50 万元, 2048GB is 2 TB). */
export function toCanonical(metric: MetricDefinition, value: number, unit: string | undefined): number {
  if (unit === undefined || unit === metric.unit) return value;
  return value * (metric.unitFactors?.[unit] ?? 1);
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

function isDefined<T>(value: T | undefined): value is T {
  return value !== undefined;
}
