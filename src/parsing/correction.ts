// Corrections of earlier reports: replace a value, retract, add what was left out, move to another date, or
// change the metric/branch. The target is what the message names (metric, date, branch, old value) or, when it
// names nothing, the sender's last report.
import { resolveForReport } from "./date-expressions.ts";
import { toDayRange, type DayNumber } from "./dates.ts";
import type { Lexicon } from "./lexicon.ts";
import { resolveMetric, toCanonical, type ResolvedMetric } from "./metric-resolution.ts";
import type { NumberToken, Token } from "./tokens.ts";
import type { CorrectionTarget, ParsedCorrection } from "./types.ts";

/** 还书57是昨天的: a value moved to another day. 「…，都是昨天的」 is a report's trailing date instead. */
const REDATE_MARKER = /(?<![都全均])是(?:昨天|前天|大前天|今天|上周.|周.|星期.|\d{1,2}号|\d{1,2}月\d{1,2}[日号])的/;
export const CORRECTION_MARKER =
  /更正|订正|纠正|改为|改成|改一下|改到|应为|应该是|应是|报错|有误|错了|搞错|弄错|写错|输错|打错|填错|撤销|撤回|作废|删除|删掉|删了|发错|不算|多写了|少写了|多报了|少报了|多算了|少算了|漏报|漏了|再加上|还得加上|补上|不是.{0,12}是|是.{0,12}不是|其实是|实际是|实际上是/;
const RETRACT = /撤销|撤回|作废|删除|删掉|删了|发错|不算|忽略/;
/** Always a retraction; 发错/不算 with a new value (借阅数发错了，是67不是76) is a replacement instead. */
const STRONG_RETRACT = /撤销|撤回|作废|删除|删掉|删了|忽略/;
const ACTUALLY = /其实是|实际上是|实际是/;
const INCREMENT = /漏报|漏了|少报了|少算了|再加上|还得加上|补上|还有.{0,8}没报|又来了/;
const DECREMENT = /多报了|多算了|多记了/;
const EXTRA_ZERO = /多写了一?个0|多打了一?个0|多了一?个0/;
const MISSING_ZERO = /少写了一?个0|少打了一?个0|少了一?个0/;
const NEW_VALUE_MARKER = /(?:改为|改成|应为|应该是|应是|改|是|为|→|->)\s*$/;
const OLD_VALUE_MARKER = /(?:不是|而不是|原来的?|原先的?|之前的?|把)\s*$/;
const NEW_DATE_MARKER = /(?:是|应为|应该是|改为|改到|改成|算|记到|算到|挪到|记在|算在)\s*$/;

export interface CorrectionInput {
  text: string;
  tokens: Token[];
  lexicon: Lexicon;
  today: DayNumber;
}

export function looksLikeCorrection(text: string): boolean {
  // 今天到馆是不是有300人？: 是不是 asks; it is not 是…不是 (是67不是76).
  const asked = text.replace(/是不是|是否/g, "");
  return CORRECTION_MARKER.test(asked) || REDATE_MARKER.test(asked);
}

export function parseCorrection(input: CorrectionInput): ParsedCorrection | undefined {
  const { text, tokens } = input;
  const target: CorrectionTarget = {};
  const numbers = tokens.filter((t): t is NumberToken => t.type === "number" && t.numeral.kind === "exact");
  const dates = tokens.filter((t): t is Extract<Token, { type: "date" }> => t.type === "date");
  const branches = tokens.filter((t): t is Extract<Token, { type: "lex" }> => t.type === "lex" && t.entry.branch !== undefined);

  let newDate: ReturnType<typeof toDayRange> | undefined;
  for (const date of dates) {
    const resolved = toDayRange(resolveForReport(date.date, input.today).span);
    if (NEW_DATE_MARKER.test(text.slice(Math.max(0, date.start - 3), date.start))) newDate = resolved;
    else if (!target.date) target.date = resolved;
  }

  const { affirmed, negated } = splitAffirmedNegated(text);
  const metricIn = (part: { start: number; end: number } | undefined): ResolvedMetric | undefined =>
    part ? metricInSpan(input, part.start, part.end) : undefined;
  const affirmedMetric = metricIn(affirmed);
  const negatedMetric = metricIn(negated);
  const firstMetric = metricInSpan(input, 0, text.length);
  const branchIn = (part: { start: number; end: number } | undefined) =>
    part ? branches.find((b) => b.start >= part.start && b.end <= part.end)?.entry.branch : undefined;

  const value = (n: NumberToken | undefined, metric: ResolvedMetric | undefined): number | undefined => {
    if (!n) return undefined;
    const raw = exactValue(n);
    return metric ? toCanonical(metric.metric, raw, n.unit) : raw;
  };

  const givesNewValue = numbers.some((n) => NEW_VALUE_MARKER.test(text.slice(Math.max(0, n.start - 4), n.start)));
  if (RETRACT.test(text) && (STRONG_RETRACT.test(text) || !givesNewValue)) {
    if (firstMetric) target.metric = firstMetric.metric.key;
    if (branches[0]) target.branch = branches[0].entry.branch;
    if (numbers[0]) target.oldValue = value(numbers[0], firstMetric);
    return finish({ action: "retract", target });
  }

  // 是期刊不是图书 / 120是参与人次不是到馆 / 是城西的不是城东的
  if (affirmed && negated) {
    const newBranch = branchIn(affirmed);
    const oldBranch = branchIn(negated);
    const sameNumbers = numbers.length <= 1 || numbers.every((n) => n.numeral.kind === "exact" && exactValue(n) === exactValue(numbers[0]!));
    if (newBranch && oldBranch && sameNumbers) {
      target.branch = oldBranch;
      if (firstMetric && !affirmedMetric) target.metric = firstMetric.metric.key;
      return finish({ action: "recategorize", target, newBranch });
    }
    if (affirmedMetric && sameNumbers && (negatedMetric || firstMetric) && (negatedMetric ?? firstMetric)!.metric.key !== affirmedMetric.metric.key) {
      const preferred = preferFamily(input, affirmed!, (negatedMetric ?? firstMetric)!);
      target.metric = (negatedMetric ?? firstMetric)!.metric.key;
      if (numbers[0]) target.oldValue = exactValue(numbers[0]);
      return finish({ action: "recategorize", target, newMetric: preferred.metric.key, newEventType: preferred.eventType });
    }
  }

  // 多写了一个0，应该是12
  if (EXTRA_ZERO.test(text) || MISSING_ZERO.test(text)) {
    const newValue = numbers[numbers.length - 1];
    if (firstMetric) target.metric = firstMetric.metric.key;
    if (newValue) {
      const v = exactValue(newValue);
      target.oldValue = EXTRA_ZERO.test(text) ? v * 10 : v / 10;
      return finish({ action: "replace", target, value: v });
    }
    return finish({ action: "replace", target });
  }

  if (INCREMENT.test(text) || DECREMENT.test(text)) {
    const amount = numbers[numbers.length - 1];
    if (!amount) return undefined;
    const metric = metricNear(input, amount) ?? firstMetric;
    if (metric) target.metric = metric.metric.key;
    if (branches[0]) target.branch = branches[0].entry.branch;
    const v = value(amount, metric)!;
    return finish({ action: "increment", target, value: DECREMENT.test(text) ? -v : v });
  }

  if (newDate && numbers.length <= 1) {
    if (firstMetric) target.metric = firstMetric.metric.key;
    if (numbers[0]) target.oldValue = exactValue(numbers[0]);
    if (branches[0]) target.branch = branches[0].entry.branch;
    return finish({ action: "redate", target, newDate });
  }

  if (numbers.length === 0) return undefined;
  // Which number is the new one: after 改为/应为/是, or the one not after 不是.
  let newNumber: NumberToken | undefined;
  let oldNumber: NumberToken | undefined;
  for (const n of numbers) {
    const before = text.slice(Math.max(0, n.start - 4), n.start);
    if (OLD_VALUE_MARKER.test(before)) oldNumber ??= n;
    else if (NEW_VALUE_MARKER.test(before)) newNumber ??= n;
  }
  if (!newNumber) newNumber = numbers.find((n) => n !== oldNumber && !(oldNumber === undefined && numbers.length > 1 && n === numbers[0]));
  if (!oldNumber && numbers.length === 2) oldNumber = numbers.find((n) => n !== newNumber);
  if (!newNumber) return undefined;
  const metric = metricNear(input, newNumber) ?? firstMetric;
  if (metric) target.metric = metric.metric.key;
  if (branches[0]) target.branch = branches[0].entry.branch;
  if (oldNumber) target.oldValue = value(oldNumber, metric);
  return finish({ action: "replace", target, value: value(newNumber, metric) });
}

function finish(correction: ParsedCorrection): ParsedCorrection {
  const t = correction.target;
  if (t.metric === undefined && t.date === undefined && t.branch === undefined) t.last = true;
  for (const key of Object.keys(correction) as Array<keyof ParsedCorrection>) {
    if (correction[key] === undefined) delete correction[key];
  }
  return correction;
}

/** The parts after 是 and after 不是: 「是57不是75」, 「不是到馆是参与」. */
function splitAffirmedNegated(text: string): { affirmed?: { start: number; end: number }; negated?: { start: number; end: number } } {
  const notIndex = text.indexOf("不是");
  if (notIndex < 0) {
    // 刚才发的借阅其实是还书: what was sent comes before 其实是, what it should be after it.
    const actually = ACTUALLY.exec(text);
    if (!actually) return {};
    const afterStart = actually.index + actually[0].length;
    const end = /[,，。;；]/.exec(text.slice(afterStart));
    return { negated: { start: 0, end: actually.index }, affirmed: { start: afterStart, end: end ? afterStart + end.index : text.length } };
  }
  const negatedEnd = (() => {
    const m = /[,，。;；]|而是|是/.exec(text.slice(notIndex + 2));
    return m ? notIndex + 2 + m.index : text.length;
  })();
  const negated = { start: notIndex + 2, end: negatedEnd };
  const isBefore = text.lastIndexOf("是", notIndex - 1);
  if (isBefore >= 0) return { affirmed: { start: isBefore + 1, end: notIndex }, negated };
  const isAfter = text.indexOf("是", negatedEnd);
  if (isAfter >= 0) {
    const end = /[,，。;；]/.exec(text.slice(isAfter + 1));
    return { affirmed: { start: isAfter + 1, end: end ? isAfter + 1 + end.index : text.length }, negated };
  }
  return { negated };
}

function metricInSpan(input: CorrectionInput, start: number, end: number): ResolvedMetric | undefined {
  for (const token of input.tokens) {
    if (token.start < start || token.end > end || token.type !== "lex") continue;
    if (!token.entry.metrics && !token.entry.eventType) continue;
    const next = input.tokens.find((t) => t.start >= token.end && t.start <= end && t.type === "number") as NumberToken | undefined;
    const resolved = resolveMetric(input.lexicon, token.entry, next?.unit) ?? resolveMetric(input.lexicon, token.entry, undefined);
    if (resolved) return resolved;
  }
  // 捐款是1700元不是1700册: only a unit in this part; resolve it in the family of the message's alias.
  const number = input.tokens.find((t): t is NumberToken => t.type === "number" && t.start >= start && t.end <= end);
  const alias = input.tokens.find((t) => t.type === "lex" && (t.entry.metrics || t.entry.eventType));
  if (number?.unit && alias && alias.type === "lex") return resolveMetric(input.lexicon, alias.entry, number.unit);
  return undefined;
}

/** 期刊 names subscriptions and donated periodicals: prefer the one in the corrected metric's family. */
function preferFamily(input: CorrectionInput, part: { start: number; end: number }, old: ResolvedMetric): ResolvedMetric {
  for (const token of input.tokens) {
    if (token.start < part.start || token.end > part.end || token.type !== "lex" || !token.entry.metrics) continue;
    for (const key of token.entry.metrics) {
      const metric = input.lexicon.metrics.get(key);
      if (metric && metric.family && metric.family === old.metric.family) return { metric };
    }
  }
  return metricInSpan(input, part.start, part.end)!;
}

function metricNear(input: CorrectionInput, number: NumberToken): ResolvedMetric | undefined {
  let best: ResolvedMetric | undefined;
  for (const token of input.tokens) {
    if (token.type !== "lex" || (!token.entry.metrics && !token.entry.eventType)) continue;
    if (token.start > number.start) break;
    best = resolveMetric(input.lexicon, token.entry, number.unit) ?? best;
  }
  if (best) return best;
  for (const token of input.tokens) {
    if (token.type === "lex" && token.start > number.start && (token.entry.metrics || token.entry.eventType)) {
      return resolveMetric(input.lexicon, token.entry, number.unit);
    }
  }
  return undefined;
}

function exactValue(token: NumberToken): number {
  return token.numeral.kind === "exact" ? token.numeral.value : token.numeral.low;
}
