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
const REDATE_MARKER = /(?<![都全均])(?:是|应该算|应算|该算)(?:昨天|前天|大前天|今天|上周.|周.|星期.|\d{1,2}号|\d{1,2}月\d{1,2}[日号])(?:\s*\d{1,2}月\d{1,2}[日号])?(?:那天)?的/;
/** 昨天的是人民路书房的: the figures of a day belong to another branch. */
const BRANCH_OF_DAY = /(?:昨天|前天|今天|上午|下午|刚才|上一条|那条)的(?:数据|数)?(?:是|应该是|算)[^，,。]{2,12}的\s*$/;
/** 报成/写成/发成/误报为 X: X is what was sent by mistake (an old value, metric or branch). */
const WRONG_AS = /误报为|误报成|错报成|错写成|错发成|报成|写成|发成|填成|记成|打成|录成|输成/;
const WARNED_SLIP = new RegExp(`(?:别|不要|不能|切勿|千万别|注意别|勿|避免)(?:${WRONG_AS.source}|写错|填错|报错|搞错|弄错)`, "g");
/** 忽略 retracts only with a reference to an earlier message (忽略我上一条, 刚才那条忽略); 请忽略这个通知 is chatter. */
const IGNORE_EARLIER = /忽略[^，,。;；]{0,4}(?:上一?条|上面|前面|前一条|刚才|刚刚|之前|刚发|方才)|(?:上一?条|上面|前面|前一条|刚才|刚刚|之前|刚发)[^，,。;；]{0,10}(?:请|麻烦)?忽略/;
/** Left out of a figure already sent (报少了, 没算进去, 再加12人). 又来了 and 还有…没报 only inside a correction. */
const NOT_FIGURES = /电话|手机号|号码|地址|密码|微信号|邮箱|开放时间|闭馆时间|上班时间|值班表|排班/;
const LEFT_OUT = /[，,\s]加上\s*[。!！~～]?\s*$|加到[^，,。;；]{0,6}(?:里面?|上)|加进去|算进去了?吧|漏报|漏了|漏算|漏统计|少报了|少算了|少记了|少统计了|报少了|算少了|记少了|统计少了|没算进去|没算上|没统计进去|没统计上|没加上|没加进去|再加上|再加|还得加上|(?<!(?:今天|昨天|活动|故事会|讲座|读书会|课|班)\s*)补上/;
/** 补报：…今晚延时开放又来了47人: a backfill of people who came after the day's figure was sent. */
const BACKFILL_MORE = /(?:补报|补充|补录|补记|补一下|补个数)[^。;；]{0,24}?又(?:来了|到了|进来了?|接待了?)/;
const INCREMENT = new RegExp(`${LEFT_OUT.source}|还有.{0,8}没报|又来了|${BACKFILL_MORE.source}`);
/** 多写了一个0, 120多打了个0 (the 多 is not an approximation here), 少打了个零. */
const CARDS_SPLIT = /办[^，,。;；\d]{0,4}证(?![明件书])/;
/** 把昨天城东的到馆撤了: a figure taken back by name. */
const TAKE_BACK = /把[^，,。;；]{1,16}(?:撤了|撤掉|撤下来?|去掉|拿掉)/;
/** 应该是96: what follows is the right figure. */
const RIGHT_VALUE_BEFORE = /(?:应该?是|应为|应是|改为|改成|实际是|其实是|正确的?是)\s*$/;
const EXTRA_ZERO = /多(?:写|打|输|填|录|报)?了一?个[0零〇](?![食钱件头花售])/;
const MISSING_ZERO = /少(?:写|打|输|填|录|报)?了一?个[0零〇](?![食钱件头花售])/;
const DECREMENT = /多报了|多算了|多记了|多统计了|报多了|算多了|记多了|统计多了/;
export const CORRECTION_MARKER = new RegExp(
  [
    /更正|订正|纠正|看串|串行|看错行|打反|输反|填反|看反|手滑|搞混|弄混|记混|多打了|改为|改成|改一下|改到|应为|应该是|应是|报错|有误|颠倒|写反|弄反|搞反|看错|抄错|记错|算错|错了|搞错|弄错|写错|输错|打错|填错|撤销|撤回|作废|删除|删掉|删了|发错|不算|多写了|少写了|漏报|漏了|还得加上|(?<!(?:今天|昨天|活动|故事会|讲座|读书会|课|班)\s*)补上|不是.{0,12}是|是.{0,12}不是|(?:应该?|应)算.{0,12}不是|其实是|实际是|实际上是/.source,
    WRONG_AS.source,
    IGNORE_EARLIER.source,
    LEFT_OUT.source,
    DECREMENT.source,
    EXTRA_ZERO.source,
    MISSING_ZERO.source,
    BACKFILL_MORE.source,
    TAKE_BACK.source,
  ].join("|"),
);
const RETRACT = new RegExp(`撤销|撤回|作废|删除|删掉|删了|发错|不算|忽略|${TAKE_BACK.source}`);
/** Always a retraction; 发错/不算 with a new value (借阅数发错了，是67不是76) is a replacement instead. */
const STRONG_RETRACT = new RegExp(`撤销|撤回|作废|删除|删掉|删了|忽略|${TAKE_BACK.source}`);
const ACTUALLY = /其实是|实际上是|实际是/;
const NEW_VALUE_MARKER = /(?:改为|改成|应为|应该是|应是|改|是|为|→|->)\s*$/;
/** The value sent by mistake: 不是85, 原来的85, 报的是85, 误报为253, 写成了350. Tested before NEW_VALUE_MARKER. */
const OLD_VALUE_MARKER = new RegExp(`(?:不是|而不是|原来的?|原先的?|之前的?|把|原报|报的是|报的|写的是|填的是|录的是|发的是|报了|(?:${WRONG_AS.source})了?)\\s*$`);
const NEW_DATE_MARKER = /(?:是|应为|应该是|改为|改到|改成|算|记到|算到|挪到|记在|算在)\s*$/;
/** 是上周六的，不是今天的 / 日期记成今天了: the day the figure is filed under now. Tested before NEW_DATE_MARKER. */
const OLD_DATE_MARKER = new RegExp(`(?:不是|并非|而非|${WRONG_AS.source})\\s*$`);

export interface CorrectionInput {
  text: string;
  tokens: Token[];
  lexicon: Lexicon;
  today: DayNumber;
}

export function looksLikeCorrection(text: string): boolean {
  // 今天到馆是不是有300人？: 是不是 asks; it is not 是…不是 (是67不是76).
  // 活动算不算在场次里？: 算不算 asks too; it is not 不算 (a retraction).
  // 别填成参与人次了: a warning against a slip is advice, not a correction.
  const asked = text.replace(/是不是|是否|算不算|算不算是/g, "").replace(WARNED_SLIP, "");
  // 石桥分馆的电话改成…: contact details and opening times change; figures are what get corrected.
  if (NOT_FIGURES.test(asked)) return false;
  return CORRECTION_MARKER.test(asked) || REDATE_MARKER.test(asked) || BRANCH_OF_DAY.test(asked);
}

/** Plain nouns and the metric-key endings that count them within a family (donated_books, donated_periodicals). */
const FAMILY_NOUNS: Array<[RegExp, string]> = [[/图书|书/, "books"], [/期刊|杂志|报刊/, "periodicals"], [/捐款|钱|现金/, "money"], [/物资|物品/, "items"]];

/** 上一条, 上面那条, 刚才报的: the message points at the sender's previous report. */
const REFERS_TO_LAST = /上一条|上条|上面的|上面那条|上面这条|刚才|刚刚|刚发的|前面那条|前一条/;

export function parseCorrection(input: CorrectionInput): ParsedCorrection | undefined {
  const correction = readCorrection(input);
  // The target is `last` when the message points at the previous report, as well as when it names nothing else.
  if (correction && REFERS_TO_LAST.test(input.text)) correction.target.last = true;
  return correction;
}

function readCorrection(input: CorrectionInput): ParsedCorrection | undefined {
  const { text, tokens } = input;
  const target: CorrectionTarget = {};
  const numbers = tokens.filter((t): t is NumberToken => t.type === "number" && t.numeral.kind === "exact");
  const dates = tokens.filter((t): t is Extract<Token, { type: "date" }> => t.type === "date");
  const branches = tokens.filter((t): t is Extract<Token, { type: "lex" }> => t.type === "lex" && t.entry.branch !== undefined);

  let newDate: ReturnType<typeof toDayRange> | undefined;
  let oldDateNamed = false;
  let previous: (typeof dates)[number] | undefined;
  for (const date of dates) {
    const resolved = toDayRange(resolveForReport(date.date, input.today).span);
    // 是昨天11月30号的: a day restated right after itself is the same day.
    const restated = previous !== undefined && /^\s*$/.test(text.slice(previous.end, date.start));
    previous = date;
    if (restated) continue;
    const before = text.slice(Math.max(0, date.start - 4), date.start);
    if (OLD_DATE_MARKER.test(before)) {
      target.date = resolved;
      oldDateNamed = true;
    } else if (NEW_DATE_MARKER.test(before)) newDate = resolved;
    else if (!oldDateNamed && !target.date) target.date = resolved;
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

  // 昨天的是人民路书房的: that day's figures belong to the branch named.
  const ofDay = BRANCH_OF_DAY.exec(text);
  const namedBranch = ofDay ? branches.find((b) => b.start >= ofDay.index) : undefined;
  if (ofDay && namedBranch && numbers.length === 0) {
    return finish({ action: "recategorize", target, newBranch: namedBranch.entry.branch });
  }
  // 刚才报的讲座改成读书会: the activity was of another kind.
  const changeTo = /改成|改为|换成/.exec(text);
  const kinds = tokens.filter((t): t is Extract<Token, { type: "lex" }> => t.type === "lex" && t.entry.eventType !== undefined && !t.entry.metrics);
  const kindBefore = changeTo ? kinds.filter((t) => t.end <= changeTo.index) : [];
  const kindAfter = changeTo ? kinds.filter((t) => t.start >= changeTo.index + changeTo[0].length) : [];
  if (numbers.length === 0 && kindBefore.length === 1 && kindAfter.length === 1 && kindBefore[0]!.entry.eventType !== kindAfter[0]!.entry.eventType) {
    target.metric = "events";
    if (branches.length === 1) target.branch = branches[0]!.entry.branch;
    return finish({ action: "recategorize", target, newEventType: kindAfter[0]!.entry.eventType });
  }
  // 石桥那条报错馆了，是和平分馆的 / 刚才河口那条是城西分馆的数: the figures sent under one branch belong to another.
  const isAt = text.lastIndexOf("是");
  const before = branches.filter((b) => b.end <= isAt);
  const after = branches.filter((b) => b.start > isAt);
  if (numbers.length === 0 && !text.includes("不是") && before.length === 1 && after.length === 1 && /那条|那个|那些|的数/.test(text) && before[0]!.entry.branch !== after[0]!.entry.branch) {
    if (firstMetric) target.metric = firstMetric.metric.key;
    target.branch = before[0]!.entry.branch;
    return finish({ action: "recategorize", target, newBranch: after[0]!.entry.branch });
  }
  const givesNewValue = numbers.some((n) => NEW_VALUE_MARKER.test(text.slice(Math.max(0, n.start - 4), n.start)));
  // 发错了，那是城东的数: not a retraction but the sender's last figure filed under another branch.
  // 发错了，那条是城东的不是城西的: the same, naming the branch it was filed under.
  if (RETRACT.test(text) && !STRONG_RETRACT.test(text) && !givesNewValue && affirmed) {
    const newBranch = branchIn(affirmed);
    const oldBranch = branchIn(negated);
    if (newBranch && branches.every((b) => b.entry.branch === newBranch || b.entry.branch === oldBranch)) {
      if (firstMetric) target.metric = firstMetric.metric.key;
      if (numbers.length === 1) target.oldValue = exactValue(numbers[0]!);
      if (oldBranch && oldBranch !== newBranch) target.branch = oldBranch;
      return finish({ action: "recategorize", target, newBranch });
    }
  }
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
      // The metric stays (活动那条是河口镇分馆的，我发成城东了): it names the figure meant, and so does a figure given once
      // (借阅88那条报成城东了).
      if (firstMetric && (!affirmedMetric || affirmedMetric.metric.key === firstMetric.metric.key)) target.metric = firstMetric.metric.key;
      if (numbers.length === 1) target.oldValue = exactValue(numbers[0]!);
      return finish({ action: "recategorize", target, newBranch });
    }
    // 昨天那个讲座其实是读书会 / 不是讲座，是读书会: the same metric, another event type.
    const oldMetric = negatedMetric ?? firstMetric;
    if (affirmedMetric?.eventType && oldMetric?.eventType && sameNumbers
      && affirmedMetric.metric.key === oldMetric.metric.key && affirmedMetric.eventType !== oldMetric.eventType) {
      target.metric = oldMetric.metric.key;
      if (numbers[0]) target.oldValue = exactValue(numbers[0]);
      // 城西昨天那场不是讲座，是读书会: a branch named once is the figure's branch.
      if (branches.length === 1) target.branch = branches[0]!.entry.branch;
      return finish({ action: "recategorize", target, newEventType: affirmedMetric.eventType });
    }
    if (affirmedMetric && sameNumbers && (negatedMetric || firstMetric) && (negatedMetric ?? firstMetric)!.metric.key !== affirmedMetric.metric.key) {
      const preferred = preferFamily(input, affirmed!, (negatedMetric ?? firstMetric)!);
      target.metric = (negatedMetric ?? firstMetric)!.metric.key;
      if (numbers[0]) target.oldValue = exactValue(numbers[0]);
      // 刚才那200册不是捐赠的，是城西自己采购的: a branch named once is the figure's branch.
      if (branches.length === 1) target.branch = branches[0]!.entry.branch;
      return finish({ action: "recategorize", target, newMetric: preferred.metric.key, newEventType: preferred.eventType });
    }
  }

  // 多写了一个0，应该是12 / 借阅120多打了个0，是12 / 借阅1200多打了个0: the figure before the slip is the one sent,
  // a figure after it the right one; either gives the other.
  const zero = EXTRA_ZERO.exec(text) ?? MISSING_ZERO.exec(text);
  if (zero) {
    const extra = EXTRA_ZERO.test(text);
    const zeroEnd = zero.index + zero[0].length;
    const outside = numbers.filter((n) => n.end <= zero.index + 1 || n.start >= zeroEnd);
    const before = outside.filter((n) => n.end <= zero.index + 1).pop();
    // 新办证应该是96，多写了一个0: a figure given as the right one before the slip is still the right one.
    const beforeIsRight = before !== undefined && RIGHT_VALUE_BEFORE.test(text.slice(0, before.start));
    const sent = beforeIsRight ? undefined : before;
    const right = beforeIsRight ? before : outside.find((n) => n.start >= zeroEnd);
    if (firstMetric) target.metric = firstMetric.metric.key;
    if (branches.length === 1) target.branch = branches[0]!.entry.branch;
    if (right) {
      const v = exactValue(right);
      target.oldValue = sent ? exactValue(sent) : extra ? v * 10 : v / 10;
      return finish({ action: "replace", target, value: v });
    }
    if (sent) {
      const old = exactValue(sent);
      target.oldValue = old;
      return finish({ action: "replace", target, value: extra ? old / 10 : old * 10 });
    }
    return finish({ action: "replace", target });
  }

  if (INCREMENT.test(text) || DECREMENT.test(text)) {
    const amount = numbers[numbers.length - 1];
    if (!amount || !amountNearMarker(text, amount)) return undefined;
    // 漏报了，今天还有晚上的26人: a head count that names no metric adds to the day's visitors.
    // 还有下午办的证9个: 办…证 split around its object still names new cards.
    const cards = CARDS_SPLIT.test(text) ? input.lexicon.metrics.get("new_cards") : undefined;
    const metric = metricNear(input, amount) ?? firstMetric ?? (cards ? { metric: cards } : undefined)
      ?? (amount.unit && HEAD_COUNT.has(amount.unit) ? visitsMetric(input) : undefined);
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
  // 上面电子阅览室那个34是咨询的数，搞混了: the figure belongs to another metric.
  const belongs = /是([^，,。;；\d]{1,10})的(?:数|数据)/.exec(text);
  if (belongs && numbers.length === 1 && firstMetric) {
    const start = belongs.index + 1;
    const other = metricInSpan(input, start, start + belongs[1]!.length);
    if (other && other.metric.key !== firstMetric.metric.key && numbers[0]!.start < belongs.index) {
      target.metric = firstMetric.metric.key;
      target.oldValue = exactValue(numbers[0]!);
      if (branches.length === 1) target.branch = branches[0]!.entry.branch;
      return finish({ action: "recategorize", target, newMetric: other.metric.key, newEventType: other.eventType });
    }
  }
  // Which number is the new one: after 改为/应为/是, or the one not after 不是.
  let newNumber: NumberToken | undefined;
  let oldNumber: NumberToken | undefined;
  for (const n of numbers) {
    const before = text.slice(Math.max(0, n.start - 4), n.start);
    // 办证27个有误，实际是24个: the figure said to be wrong is the old one.
    if (OLD_VALUE_MARKER.test(before) || SAID_WRONG_AFTER.test(text.slice(n.end, n.end + 6))) oldNumber ??= n;
    else if (NEW_VALUE_MARKER.test(before)) newNumber ??= n;
  }
  if (!newNumber) newNumber = numbers.find((n) => n !== oldNumber && !(oldNumber === undefined && numbers.length > 1 && n === numbers[0]));
  if (!oldNumber && numbers.length === 2) oldNumber = numbers.find((n) => n !== newNumber);
  if (!newNumber) return undefined;
  const metric = metricNear(input, newNumber) ?? firstMetric;
  if (metric) target.metric = metric.metric.key;
  if (branches[0]) target.branch = branches[0].entry.branch;
  if (oldNumber) target.oldValue = value(oldNumber, metric);
  // 还书是59 打反了: two digits typed the wrong way round; the figure sent is the right one reversed.
  const digits = newNumber.text.replace(/\D/g, "");
  if (!oldNumber && SWAPPED.test(text) && /^\d{2,4}$/.test(digits) && newNumber.numeral.kind === "exact" && newNumber.numeral.value === Number(digits)) {
    const reversed = Number([...digits].reverse().join(""));
    if (reversed !== Number(digits) && !digits.endsWith("0")) target.oldValue = value({ ...newNumber, numeral: { kind: "exact", value: reversed } }, metric);
  }
  return finish({ action: "replace", target, value: value(newNumber, metric) });
}

const SWAPPED = /打反|写反|弄反|搞反|输反|填反|颠倒/;
const SAID_WRONG_AFTER = /^[^，,。;；\d]{0,2}(?:有误|错了|不对|写错了|报错了|是错的)/;

/**
 * The added amount sits in the clause that says it was left out, or in the clause after it (漏报了，今天还有晚上的26人).
 * 「故事会1场，来了26个小朋友，家长陪同的没算进去」 reports 26 and remarks on who is not in it: not a correction.
 */
function amountNearMarker(text: string, amount: NumberToken): boolean {
  const marker = INCREMENT.exec(text) ?? DECREMENT.exec(text);
  if (!marker) return false;
  let clauseStart = Math.max(0, ...[",", "，", "。", ";", "；", "\n"].map((sep) => text.lastIndexOf(sep, marker.index) + 1));
  // 图书车下午又借出31本，加到今天的里面: the amount in the clause before a marker that closes the message.
  if (/^[，,\s]?(?:加到|加进|算进|加上)/.test(marker[0]) && clauseStart > 0) {
    clauseStart = Math.max(0, ...[",", "，", "。", ";", "；", "\n"].map((sep) => text.lastIndexOf(sep, clauseStart - 2) + 1));
  }
  const after = /[,，。;；\n]/g;
  after.lastIndex = marker.index + marker[0].length;
  const firstBreak = after.exec(text);
  const secondBreak = firstBreak ? after.exec(text) : null;
  const nextClauseEnd = secondBreak ? secondBreak.index : text.length;
  return amount.start >= clauseStart && amount.end <= nextClauseEnd;
}

function finish(correction: ParsedCorrection): ParsedCorrection {
  const t = correction.target;
  if (t.metric === undefined && t.date === undefined && t.branch === undefined && t.oldValue === undefined) t.last = true;
  for (const key of Object.keys(correction) as Array<keyof ParsedCorrection>) {
    if (correction[key] === undefined) delete correction[key];
  }
  return correction;
}

/** The last 是 before `end` that affirms (not 不是, 是不是, 是否, 就是, 还是, 但是, 可是, 要是, 于是, 总是, 都是). */
function lastAffirmingIs(text: string, end: number): number {
  for (let i = text.lastIndexOf("是", end - 1); i >= 0; i = text.lastIndexOf("是", i - 1)) {
    if (!/[不就还但可要于总都凡若只]/.test(text[i - 1] ?? "") && text[i + 1] !== "否") return i;
    if (i === 0) break;
  }
  return -1;
}

/** The parts after 是 and after 不是: 「是57不是75」, 「不是到馆是参与」. */
function splitAffirmedNegated(text: string): { affirmed?: { start: number; end: number }; negated?: { start: number; end: number } } {
  const notIndex = text.indexOf("不是");
  const wrongAs = notIndex < 0 ? WRONG_AS.exec(text) : null;
  if (wrongAs) {
    // 活动那条是河口镇分馆的，我发成城东了 / 借阅报成了到馆，其实是还书: what was sent follows 发成; what it
    // should be follows a 是 (before or after), else it is the rest of the text before 发成.
    const negatedStart = wrongAs.index + wrongAs[0].length;
    const stop = /[,，。;；]|其实|实际|应该|应为|而是|是/.exec(text.slice(negatedStart));
    const negated = { start: negatedStart, end: stop ? negatedStart + stop.index : text.length };
    const isBefore = lastAffirmingIs(text, wrongAs.index);
    if (isBefore >= 0) return { affirmed: { start: isBefore + 1, end: wrongAs.index }, negated };
    const isAfter = text.indexOf("是", negated.end);
    if (isAfter >= 0) {
      const end = /[,，。;；]/.exec(text.slice(isAfter + 1));
      return { affirmed: { start: isAfter + 1, end: end ? isAfter + 1 + end.index : text.length }, negated };
    }
    return { affirmed: { start: 0, end: wrongAs.index }, negated };
  }
  if (notIndex < 0) {
    // 发错了，那是城东的数: what it should be follows 是.
    const is = ACTUALLY.exec(text) ? -1 : lastAffirmingIs(text, text.length);
    if (is >= 0) {
      const end = /[,，。;；]/.exec(text.slice(is + 1));
      return { affirmed: { start: is + 1, end: end ? is + 1 + end.index : text.length } };
    }
    // 刚才发的借阅其实是还书: what was sent comes before 其实是, what it should be after it.
    const actually = ACTUALLY.exec(text);
    if (!actually) return {};
    const afterStart = actually.index + actually[0].length;
    const end = /[,，。;；]/.exec(text.slice(afterStart));
    // 上面的捐赠，期刊那120本其实是图书: what was sent is named in the clause of 其实是.
    const separatorBefore = (at: number) => Math.max(0, ...[",", "，", "。", ";", "；"].map((sep) => text.lastIndexOf(sep, at) + 1));
    let clauseStart = separatorBefore(actually.index);
    // 办证27个有误，实际是24个: when 实际是 opens its clause, what was sent is the clause before.
    if (text.slice(clauseStart, actually.index).trim() === "" && clauseStart > 0) clauseStart = separatorBefore(clauseStart - 2);
    return { negated: { start: clauseStart, end: actually.index }, affirmed: { start: afterStart, end: end ? afterStart + end.index : text.length } };
  }
  const negatedEnd = (() => {
    const m = /[,，。;；]|而是|是/.exec(text.slice(notIndex + 2));
    return m ? notIndex + 2 + m.index : text.length;
  })();
  const negated = { start: notIndex + 2, end: negatedEnd };
  // 应该算亲子活动，不是读书会: 算 affirms like 是.
  const isBefore = Math.max(text.lastIndexOf("是", notIndex - 1), text.lastIndexOf("算", notIndex - 1));
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
    // 是讲座参与人数: an activity followed by its attendance word names attendance at that activity.
    const following = input.tokens.find((t) => t.start >= token.end && t.end <= end && t.type === "lex" && t.entry.metrics?.includes("event_attendance"));
    const attendance = input.lexicon.metrics.get("event_attendance");
    if (token.entry.eventType && !token.entry.metrics && following && attendance) return { metric: attendance, eventType: token.entry.eventType };
    // 85本是图书不是期刊: with no figure in this part, the message's figure gives the unit.
    const next = (input.tokens.find((t) => t.start >= token.end && t.start <= end && t.type === "number")
      ?? input.tokens.find((t) => t.type === "number")) as NumberToken | undefined;
    const resolved = resolveMetric(input.lexicon, token.entry, next?.unit) ?? resolveMetric(input.lexicon, token.entry, undefined);
    if (resolved) return resolved;
  }
  // 捐款是1700元不是1700册: only a unit in this part; resolve it in the family of the message's alias.
  const number = input.tokens.find((t): t is NumberToken => t.type === "number" && t.start >= start && t.end <= end);
  const alias = input.tokens.find((t) => t.type === "lex" && (t.entry.metrics || t.entry.eventType));
  if (number?.unit && alias && alias.type === "lex") return resolveMetric(input.lexicon, alias.entry, number.unit);
  // 捐赠期刊180本其实是图书: a plain noun picks the member of the family that counts it.
  const noun = FAMILY_NOUNS.find(([pattern]) => pattern.test(input.text.slice(start, end)))?.[1];
  // 期刊 names subscriptions and donations: look for the noun's member in each family the alias belongs to.
  const families = alias?.type === "lex" ? (alias.entry.metrics ?? []).map((key) => input.lexicon.metrics.get(key)?.family).filter((f): f is string => f !== undefined) : [];
  for (const family of noun ? families : []) {
    const key = input.lexicon.families.get(family)?.find((k) => k.endsWith(noun!));
    const metric = key ? input.lexicon.metrics.get(key) : undefined;
    if (metric) return { metric };
  }
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

/** Units that count people. */
const HEAD_COUNT = new Set(["人", "人次", "位", "名", "个人"]);

function visitsMetric(input: CorrectionInput): ResolvedMetric | undefined {
  const metric = input.lexicon.metrics.get("visits");
  return metric ? { metric } : undefined;
}

function exactValue(token: NumberToken): number {
  return token.numeral.kind === "exact" ? token.numeral.value : token.numeral.low;
}
