// Whole-message passes over the drafts a report builds: parts of a day, parts beside a 共 total, audiences of one
// event, a rounded figure followed by the exact one, running totals; then the records in order with every 其中
// part after its total. Pure: drafts in, drafts (or records) out.
import { dayFromIso, toDayRange, type DayNumber } from "./dates.ts";
import type { ResolvedMetric } from "./metric-resolution.ts";
import { roundValue } from "./numerals.ts";
import type { MetricDefinition, ParsedRecord } from "./types.ts";

export interface Draft {
  record: ParsedRecord;
  explicitDate: boolean;
  /** The branch was named in the message (not the sender's default). */
  explicitBranch: boolean;
  cumulative: boolean;
  /** A 共/合计 figure (自助132册，人工58册，共190册). */
  total?: boolean;
  /** 小朋友41人: the people an attendance figure counts, named right before it. */
  audience?: string;
  /** The total this 其中 part belongs to (set once all drafts are made; indexes shift when drafts are dropped). */
  parent?: Draft;
  /** Metric and event type as bound, for ellipsis and subsets. */
  resolved: ResolvedMetric;
  /** 上午96人: the part of the day the figure covers, when the clause names one. */
  partOfDay?: string;
  /** 全天到馆704: the figure is said to be the whole day's. */
  wholeDay?: boolean;
}

/**
 * A day counter is one day's total per branch. 上午96人，下午143人 gives two parts of one day: with a total in the same
 * message (共239人, 全天239人) only the total is kept; without one we ask whether the parts add up (a door counter
 * read at noon and at closing would not).
 */
export function partsOfDay(drafts: Draft[], asks: string[]): Draft[] {
  // 自习区来了186个学生，总馆全天到馆704: a smaller figure of the same day beside the whole day's is part of it.
  for (const whole of drafts.filter((d) => d.wholeDay && !d.parent && d.resolved.metric.behaviour === "day_counter")) {
    for (const part of drafts) {
      if (part === whole || part.parent || part.wholeDay || part.record.metric !== whole.record.metric || !sameDays(part.record.date, whole.record.date)) continue;
      if (part.record.value >= whole.record.value || (part.record.branch !== undefined && part.record.branch !== whole.record.branch)) continue;
      part.parent = whole;
      if (whole.record.branch) part.record.branch = whole.record.branch;
    }
  }
  const keyOf = (d: Draft) => `${d.record.metric}|${d.record.date.from}..${d.record.date.to}|${d.record.branch ?? ""}|${d.record.eventType ?? ""}`;
  const parts = new Map<string, Draft[]>();
  for (const draft of drafts) {
    if (draft.partOfDay === undefined || draft.record.subsetOf !== undefined || draft.resolved.metric.behaviour !== "day_counter") continue;
    const list = parts.get(keyOf(draft)) ?? [];
    list.push(draft);
    parts.set(keyOf(draft), list);
  }
  const drop = new Set<Draft>();
  for (const [key, list] of parts) {
    const whole = drafts.find((d) => d.partOfDay === undefined && d.record.subsetOf === undefined && keyOf(d) === key);
    // 晚间到馆61人，全天累计到馆405人: one part beside the day's count is part of it too.
    if (new Set(list.map((d) => d.partOfDay)).size < 2 && !whole) continue;
    if (whole) {
      // Parts that add up to the whole stay as its breakdown (subset records never count twice); others are dropped.
      const sum = roundValue(list.reduce((s, d) => s + d.record.value, 0));
      for (const d of list) {
        if (sum <= whole.record.value && (!d.parent || d.parent === whole)) {
          d.parent = whole;
          if (d.partOfDay) d.record.subset ??= d.partOfDay; // 其中上午83
        }
        else drop.add(d);
      }
    } else {
      const figures = list.map((d) => `${d.partOfDay}${d.record.value}`).join("、");
      const sum = roundValue(list.reduce((s, d) => s + d.record.value, 0));
      asks.push(`${figures}：全天${list[0]!.resolved.metric.shortName}是相加的${sum}${list[0]!.record.unit}吗？请报全天合计。`);
    }
  }
  return drop.size === 0 ? drafts : drafts.filter((d) => !drop.has(d));
}

/** 今日35人，累计本月2980人: the running total is a check, not a record, when the day's number is there too. */
export function dropRunningTotals(drafts: Draft[]): Draft[] {
  // 截至目前今年共开展活动186场，其中讲座40场: the parts of a running total are not a day's figure beside it.
  const plainMetrics = new Set(drafts.filter((d) => !d.cumulative && !d.parent && d.record.subsetOf === undefined).map((d) => d.record.metric));
  return drafts.filter((d) => !d.cumulative || !plainMetrics.has(d.record.metric));
}

/**
 * Parts listed before a 共/合计 of the same metric and day (自助借出132册，人工借出58册，共190册; 王阿姨捐了30本…一共收到85册):
 * only one side is kept, so nothing counts twice. Parts told apart by what a record keeps (branches, event types) are
 * kept and the total, their sum, is dropped: 总馆210册，城东95册，城西73册，合计378册 has no single branch, and
 * 故事会8场、观影4场，共12场 restates the typed counts. Parts told apart by nothing a record keeps (channels, shelves,
 * people) give way to the total. Typed parts that do not add up to the total become its 其中 breakdown.
 */
export function partsAndTotals(drafts: Draft[]): Draft[] {
  const drop = new Set<Draft>();
  // 到馆178人，上午62 下午116: the parts of the day that add up to a day's count just given are its breakdown;
  // 讲座两场 上午一场下午一场 only says when.
  drafts.forEach((whole, at) => {
    const same = (d: Draft) => d.record.metric === whole.record.metric && d.record.eventType === whole.record.eventType
      && d.record.branch === whole.record.branch && sameDays(d.record.date, whole.record.date);
    const parts: Draft[] = [];
    for (const d of drafts.slice(at + 1)) {
      if (!same(d) || d.partOfDay === undefined) break;
      parts.push(d);
    }
    if (whole.partOfDay === undefined && parts.length >= 2 && roundValue(parts.reduce((n, d) => n + d.record.value, 0)) === whole.record.value) {
      for (const part of parts) {
        if (whole.resolved.metric.behaviour === "day_counter") {
          part.parent ??= whole;
          if (part.partOfDay) part.record.subset ??= part.partOfDay;
        }
        else drop.add(part);
      }
    }
  });
  drafts.forEach((total, at) => {
    if (!total.total || total.parent || total.cumulative) return;
    const partOf = (d: Draft) => !d.parent && d.record.metric === total.record.metric && sameDays(d.record.date, total.record.date) && d.record.unit === total.record.unit;
    let parts: Draft[] = [];
    for (let i = at - 1; i >= 0; i--) {
      const d = drafts[i]!;
      if (d.total || d.cumulative) break;
      if (partOf(d)) parts.unshift(d);
    }
    // 借阅共190册，自助借阅132册，人工借阅58册: parts after the total count only when they add up to it exactly;
    // 一共办了5场活动：2场讲座，3场绘本课堂 names the kinds after the total, a breakdown like 其中.
    if (parts.length === 0) {
      for (const d of drafts.slice(at + 1)) {
        if (d.total || d.cumulative || !partOf(d)) break;
        parts.push(d);
      }
      const typedBreakdown = parts.length > 0 && total.record.eventType === undefined && parts.every((d) => d.record.eventType !== undefined && d.record.branch === total.record.branch);
      if (typedBreakdown && roundValue(parts.reduce((n, d) => n + d.record.value, 0)) <= total.record.value) {
        for (const part of parts) part.parent = total;
        return;
      }
      if (parts.length < 2 || roundValue(parts.reduce((n, d) => n + d.record.value, 0)) !== total.record.value) parts = [];
    }
    if (parts.length === 0) return;
    const sum = roundValue(parts.reduce((n, d) => n + d.record.value, 0));
    const branches = new Set(parts.map((d) => d.record.branch));
    const types = new Set(parts.map((d) => d.record.eventType));
    if (branches.size > 1 && (total.record.branch === undefined || branches.has(total.record.branch))) {
      drop.add(total);
    } else if (total.record.eventType === undefined && !types.has(undefined) && parts.every((d) => d.record.branch === total.record.branch)) {
      if (sum === total.record.value) drop.add(total);
      else for (const part of parts) part.parent = total;
    } else if (branches.size === 1 && types.size === 1 && parts[0]!.record.branch === total.record.branch
      && parts[0]!.record.eventType === total.record.eventType && sum <= total.record.value) {
      for (const part of parts) drop.add(part);
    }
  });
  return drafts.filter((d) => !drop.has(d));
}

/**
 * A stock (馆藏总量, 注册读者) is a level on a day: 截至昨天注册读者48216人 and 今年馆藏总量已达32.6万册 are as of the
 * last day of what the message names, not over a range. (A rate such as 满意率 and a budget describe their period and
 * keep it.)
 */
export function recordDays(metric: MetricDefinition, span: { from: DayNumber; to: DayNumber }): ParsedRecord["date"] {
  // A budget (财政拨款286万元) is money for its period, not a level on a day.
  const level = metric.behaviour === "stock" && metric.unit !== "万元" && metric.unit !== "元";
  return level ? toDayRange({ from: span.to, to: span.to }) : toDayRange(span);
}

/** The contiguous span of two or more single days the drafts are on, if they are. */
export function spanOfDays(drafts: Draft[]): { from: DayNumber; to: DayNumber } | undefined {
  const days = [...new Set(drafts.map((d) => dayFromIso(d.record.date.from)))].sort((a, b) => a - b);
  if (days.length < 2 || drafts.some((d) => d.record.date.from !== d.record.date.to)) return undefined;
  return days.every((day, i) => i === 0 || day === days[i - 1]! + 1) ? { from: days[0]!, to: days[days.length - 1]! } : undefined;
}

export function sameDays(a: ParsedRecord["date"], b: ParsedRecord["date"]): boolean {
  return a.from === b.from && a.to === b.to;
}

/** 到馆破400了！403人: a round figure and then the exact one for the same thing; the exact one is the report. */
export function exactOverApproximate(drafts: Draft[]): Draft[] {
  return drafts.filter((draft, at) => !(draft.record.approx && !draft.parent && drafts.slice(at + 1).some((later) =>
    !later.record.approx && !later.parent && later.record.metric === draft.record.metric && sameDays(later.record.date, draft.record.date)
    && later.record.branch === draft.record.branch && later.record.eventType === draft.record.eventType
    && later.record.value >= draft.record.value && later.record.value <= draft.record.value * 1.1)));
}

/**
 * 参加小朋友41人，家长36人: the people of one event named by kind are one attendance figure (77), the way the
 * statistics count it; two figures of the same kind (上午16个小朋友，下午21个小朋友 at one event) are not merged.
 */
export function audiences(drafts: Draft[]): Draft[] {
  const result: Draft[] = [];
  for (const draft of drafts) {
    const previous = result[result.length - 1];
    // 共来了小朋友54个家长40个: a 共 before the first audience covers the ones after it too.
    const joinable = (d: Draft | undefined): d is Draft => d !== undefined && (d.record.metric === "event_attendance" || d.record.metric === "visits") && d.audience !== undefined
      && !d.parent && !d.cumulative && (!d.total || d === previous);
    if (joinable(previous) && joinable(draft) && previous.audience !== draft.audience && sameDays(previous.record.date, draft.record.date)
      && previous.record.branch === draft.record.branch && previous.record.eventType === draft.record.eventType && previous.partOfDay === draft.partOfDay) {
      previous.record.value = roundValue(previous.record.value + draft.record.value);
      previous.record.approx ||= draft.record.approx;
      previous.audience = `${previous.audience}、${draft.audience}`;
      continue;
    }
    result.push(draft);
  }
  return result;
}

/** Records in order with every 其中 part after its total and `subsetOf` pointing into this list. */
export function toRecords(drafts: Draft[]): ParsedRecord[] {
  const ordered: Draft[] = [];
  for (const draft of drafts) {
    if (ordered.includes(draft)) continue;
    if (draft.parent && drafts.includes(draft.parent) && !ordered.includes(draft.parent)) ordered.push(draft.parent);
    ordered.push(draft);
  }
  return ordered.map((draft) => {
    const parentIndex = draft.parent ? ordered.indexOf(draft.parent) : -1;
    if (parentIndex >= 0) {
      draft.record.subsetOf = parentIndex;
      draft.record.subset ??= draft.record.eventType ?? "其中";
    } else {
      delete draft.record.subsetOf;
      delete draft.record.subset;
    }
    return draft.record;
  });
}
