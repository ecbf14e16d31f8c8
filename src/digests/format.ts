// How numbers are written in digests and summaries (shared/docs/summary-structure.md §4): Arabic digits, 约 before
// a figure when any report behind it was approximate, money in 万元 when that loses nothing, small counts of 项/批/家
// in Chinese numerals as the seeds do, percentages to one decimal. Nothing here rounds a figure silently.
import type { Comparison } from "../records/totals.js";

const SMALL_CHINESE = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
/** Counters the seeds write with Chinese numerals when the count is ten or less (荣誉六项, 送书二批, 五家). */
const CHINESE_NUMERAL_UNITS = new Set(["项", "批", "家"]);

/** 12345 → "12345"; 2448.13 → "2448.13" (never 2448.1299999). */
export function digits(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(2).replace(/0+$/, "").replace(/\.$/, "");
}

export interface Quantity {
  value: number;
  unit: string;
  approx: boolean;
}

/** A figure with its unit as a library office writes it: 6932人次, 约1000册, 4万元, 六项. */
export function quantity({ value, unit, approx }: Quantity): string {
  let number = digits(value);
  let shownUnit = unit;
  if (unit === "元" && value >= 10000 && Number.isInteger(value / 100)) {
    number = digits(value / 10000);
    shownUnit = "万元";
  } else if (CHINESE_NUMERAL_UNITS.has(unit) && Number.isInteger(value) && value >= 0 && value <= 10 && !approx) {
    number = SMALL_CHINESE[value]!;
  }
  return `${approx ? "约" : ""}${number}${shownUnit}`;
}

/** +4.8% / −3.1% ratio as a percentage with one decimal. */
export function percent(ratio: number): string {
  return `${(Math.abs(ratio) * 100).toFixed(1)}%`;
}

/** 同比增长12.3% / 同比下降4.0% / 与去年同期持平; undefined when there is nothing to compare with. */
export function comparisonPhrase(label: "同比" | "环比", comparison: Comparison | undefined): string | undefined {
  if (!comparison || comparison.ratio === null || comparison.change === null) return undefined;
  if (comparison.change === 0) return label === "同比" ? "与去年同期持平" : "与上期持平";
  return `${label}${comparison.change > 0 ? "增长" : "下降"}${percent(comparison.ratio)}`;
}

/** Digest style: ↑56（+4.8%） / ↓12（−3.1%） / 持平. */
export function changeArrow(comparison: Comparison | undefined): string | undefined {
  if (!comparison || comparison.change === null) return undefined;
  if (comparison.change === 0) return "持平";
  const arrow = comparison.change > 0 ? "↑" : "↓";
  const ratio = comparison.ratio === null ? "" : `（${comparison.change > 0 ? "+" : "-"}${percent(comparison.ratio)}）`;
  return `${arrow}${digits(Math.abs(comparison.change))}${ratio}`;
}

/** 11月16日、17日、19日 (days of one month collapse; another month restates it). */
export function dayList(dates: readonly string[]): string {
  let lastMonth = "";
  return dates
    .map((date) => {
      const month = String(Number(date.slice(5, 7)));
      const day = String(Number(date.slice(8, 10)));
      const text = month === lastMonth ? `${day}日` : `${month}月${day}日`;
      lastMonth = month;
      return text;
    })
    .join("、");
}

/** 一、二 … 二十 for section headings. */
export function chineseOrdinal(n: number): string {
  if (n <= 10) return SMALL_CHINESE[n]!;
  if (n < 20) return `十${SMALL_CHINESE[n - 10]}`;
  return `${SMALL_CHINESE[Math.floor(n / 10)]}十${n % 10 ? SMALL_CHINESE[n % 10] : ""}`;
}

/** 「书香童年」 → 「书香童年」; 书香童年 → “书香童年”: activity names quoted once. */
export function quoteName(name: string): string {
  return /^[“「《"]/.test(name) ? name : `“${name}”`;
}

/** 两馆, 三馆 … 十馆: how many branches, as an office writes it (上述两馆, 两馆均未报). */
export function branchCount(n: number): string {
  return n === 2 ? "两馆" : n <= 10 ? `${SMALL_CHINESE[n]}馆` : `${n}个馆`;
}

/**
 * Who a network figure leaves out, for a stock summed over branches (馆藏, 持证读者): 「不含城西分馆，该馆未报」,
 * 「不含城东分馆、少儿馆，两馆均未报」. The caller writes it in brackets after the figure, and only when some branch
 * is missing: a figure every branch reported says nothing extra.
 */
export function unreportedNote(branches: readonly string[]): string {
  return `不含${branches.join("、")}，${branches.length === 1 ? "该馆未报" : `${branchCount(branches.length)}均未报`}`;
}
