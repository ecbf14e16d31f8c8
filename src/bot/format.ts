// How figures read in a reply: 到馆35人次, 讲座2场, 约5000册, 11月18日. One place, so every reply names things the
// same way.
import type { Catalogue, DayRange, IsoDate } from "../parsing/types.js";
import { formatDay, formatRange } from "../records/dates.js";

export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Math.round(value * 100) / 100);
}

export function formatPercent(ratio: number): string {
  return `${Math.abs(Math.round(ratio * 1000) / 10)}%`;
}

export interface Labeller {
  /** 到馆, or 讲座 for events typed lecture, 讲座参与 for their attendance. */
  label(metric: string, eventType?: string | null): string;
  unit(metric: string): string;
  eventTypeName(key: string): string;
  /** "到馆35人次", "约5000册" after the label. */
  figure(metric: string, value: number, unit: string, approx: boolean, eventType?: string | null): string;
}

export function labeller(catalogue: Catalogue): Labeller {
  const metrics = new Map(catalogue.metrics.map((m) => [m.key, m]));
  const types = new Map(catalogue.eventTypes.map((t) => [t.key, t.name]));
  const eventTypeName = (key: string) => types.get(key) ?? key;
  const label = (metric: string, eventType?: string | null) => {
    const short = metrics.get(metric)?.shortName ?? metric;
    if (!eventType) return short;
    const typeName = eventTypeName(eventType);
    // 活动场次 typed 讲座 reads 讲座; other event metrics read 讲座参与, 讲座培训学时.
    return metric === "events" ? typeName : `${typeName}${short}`;
  };
  return {
    label,
    unit: (metric) => metrics.get(metric)?.unit ?? "",
    eventTypeName,
    figure: (metric, value, unit, approx, eventType) => `${label(metric, eventType)}${approx ? "约" : ""}${formatNumber(value)}${unit}`,
  };
}

export { formatDay, formatRange };

export function formatDays(days: readonly string[], limit = 4): string {
  const shown = days.slice(0, limit).map(formatDay).join("、");
  return days.length > limit ? `${shown}等${days.length}天` : shown;
}

export function describeRange(range: DayRange): string {
  return formatRange(range);
}

/** 11月16日、17日、今天: days of one month collapse, today is 今天. */
export function dayListText(days: readonly IsoDate[], today: IsoDate): string {
  let lastMonth = "";
  return days
    .map((day) => {
      if (day === today) return "今天";
      const month = String(Number(day.slice(5, 7)));
      const text = month === lastMonth ? `${Number(day.slice(8, 10))}日` : formatDay(day);
      lastMonth = month;
      return text;
    })
    .join("、");
}

/**
 * The days a branch has not reported, short enough for a phone: up to three days by date, more as a count
 * (「16天」), or with `detail` the first three and the count (「11月1日、2日、3日等16天」).
 */
export function missingDays(days: readonly IsoDate[], today: IsoDate, detail = false): string {
  if (days.length <= 3) return dayListText(days, today);
  return detail ? `${dayListText(days.slice(0, 3), today)}等${days.length}天` : `${days.length}天`;
}

