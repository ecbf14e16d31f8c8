// Managers' questions: which metric (or all), which period (a whole calendar period), which branch and event
// type, and how to aggregate (sum, latest for stocks, compare, rank, missing reports, summary).
import { resolveForQuery } from "./date-expressions.ts";
import { civil, dayNumber, daysInMonth, toDayRange, weekday, type DayNumber } from "./dates.ts";
import type { LexEntry, Lexicon } from "./lexicon.ts";
import { directMetrics, resolveMetric } from "./metric-resolution.ts";
import type { Token } from "./tokens.ts";
import type { ParsedQuery, QueryAggregation } from "./types.ts";

const FEW = String.raw`(?<![十百千万一二三四五六七八九两\d没这那前])几(?:个|场|次|趟|回|期|人|本|册|天|家|项|篇|条|批|位|名|号)`;
/** 发一下/发我 asks for something to be sent; 转发下公众号 asks people to share a post. */
const SEND = String.raw`(?<!转)(?:发一下|发下|发我|发给我)`;
/** 看看本月借阅 asks for data; 推荐大家看看 (nothing after it) does not. */
const LOOK = String.raw`(?:看一下|看看)(?![，,。;；!！?？\s吧呗啊呀哈了~～]|$)`;
/** 谁 asks for a person (中午谁去食堂？, 海报谁做一下？), except who has not reported yet; 哪天 asks for a day, except
 * which days are still unreported (这周还有哪天没报). */
const WHO_MISSING = String.raw`(?:谁|哪天|哪几天)(?:还)?(?:没有?|未)(?:报|交|发|填|上报|提交)`;
/** Directions a figure moves in; two of them joined by 还是 (多了还是少了, 是涨是跌) ask which. */
const DIRECTION = String.raw`(?:增加|减少|上升|下降|增长|提高|降低|多|少|高|低|增|减|涨|跌|升|降)`;
/** 比上个月多还是少, 和前一周比是多了还是少了, 是多是少: a comparison asked (跟去年比怎么样 asks by 怎么样; 比昨天多了一倍
 * states one). */
const COMPARE_ASK = String.raw`${DIRECTION}了?还是${DIRECTION}了?|是${DIRECTION}是${DIRECTION}|(?:跟|和|与|同|比)(?:上周|上个?月|上季度|上一期|去年|前年|昨天)(?:同期)?(?:相?比)?(?:呢|怎么样|如何)|(?:跟|和|与|同)[^，,。;；]{1,8}(?:相?比|比较)(?:呢|怎么样|如何|一下)`;
/** 各分馆到馆人次谁最高, 最多的是哪个: 谁 asks for data when it asks who leads or trails (谁值班 does not). */
const WHO_RANKS = String.raw`谁[^，,。;；?？]{0,3}(?:最多|最少|最高|最低|第一|倒数第一|垫底)|(?:最多|最少|最高|最低)的?是(?:谁|哪)`;
/** 生成第三季度总结, 帮我出一份本月月报: a document to produce (正在生成周报 tells what someone is doing). */
const DOCUMENT_REQUEST = String.raw`(?<![在要得])(?:生成|导出|出一?份|出个|出一下|做一?份|拉一?份|整理一?份|(?:帮我|给我|帮忙)(?:写|出|做|生成|整理|拉))[^，,。;；?？]{0,10}(?:总结|周报|月报|年报|季报|报告|简报|报表|汇总)`;

/** Words that make a clause a question. 几 counts only as 几+classifier and not inside a numeral (十几). */
export const QUESTION = new RegExp(
  String.raw`多少|${FEW}|吗|(?<![什怎那这多要])么|呢|[?？]|是否|哪些|哪个|哪家|哪几|${WHO_MISSING}|查一下|查询|查下|查查|帮我查|帮忙查|统计一下|统计下|(?<!不好|不便|方便|便于|好|以便)汇总|排名|排行|排一下|排个名|排个序|排序|对比|同比|环比|有没有|${SEND}|${LOOK}|报了没|怎么样|如何|${COMPARE_ASK}|${WHO_RANKS}|${DOCUMENT_REQUEST}`,
);
/**
 * What asks for a number, a list or an operation. 吗/呢/是否/? alone make a yes/no question (表格里两栏是不是一回事？,
 * 那20台电脑是不是要报到设备科？), which is about the work, not the figures, unless it asks whether reports are in.
 */
const ASKS_FOR_DATA = new RegExp(
  String.raw`(?:总数|总量|合计|累计)\s*[?？]|多少|${FEW}|哪些|哪个|哪家|哪几|哪天|${WHO_MISSING}|查一下|查询|查下|查查|帮我查|帮忙查|统计一下|统计下|汇总|排名|排行|排一下|排个名|排个序|排序|对比|同比|环比|有没有|${SEND}|${LOOK}|报了没|怎么样|如何|(?<!转)(?:报|交|发|填)了?(?:吗|么|没)|数据(?:呢|有吗)|情况|比(?:上个?月|上周|去年|前一周|昨天)[^，,。？?]{0,4}(?:多|少|高|低|涨|降)|出来了?(?:吗|么|没)|有了吗|${COMPARE_ASK}|${WHO_RANKS}|${DOCUMENT_REQUEST}`,
);
/** 月报模板里那一栏是不是包括线上的？: a yes/no question, unless it also asks for a figure or whether reports are in. */
const YES_NO = /是不是|是否|对不对|对吗|是吗|需不需要|算不算|包不包括|包括吗|包含吗/;
const FIGURE_ASK = new RegExp(
  String.raw`多少|${FEW}|哪些|哪个|哪家|哪几|哪天|查一下|查下|查查|帮我查|统计一下|汇总一下|排名|排行|同比|环比|${COMPARE_ASK}|${WHO_RANKS}|${SEND}|${LOOK}|${DOCUMENT_REQUEST}|没报|未报|没交|未交|缺报|报齐|还差|比(?:上个?月|上周|去年|前一周|昨天)[^，,。？?]{0,4}(?:多|少|高|低|涨|降)|报数|报数据`,
);
/** 争取这个月粉丝过万, 今年的目标是多少: a target to reach, not a question about the figures. */
const TARGET_WORDS = /争取|力争|力求|冲刺|目标|指标/;
/** 读者王先生问逾期一天罚多少: a question someone else asked, told to the group. */
const REPORTED_QUESTION = /(?:读者|家长|市民|群众|先生|女士|阿姨|大爷|大妈|老人|小朋友|孩子|学生|他|她|有人|对方)[^,，。?？]{0,6}(?:问|询问|打听|咨询)(?!一下|下)/;
/** 提醒各馆31号前把10月月报发群里，格式：… / 各馆晚上8点前把月报发群里，我9点汇总: an instruction to report. */
const INSTRUCTION = /提醒(?:各馆|大家|各位)|(?:前|之前)把[^，,。]{0,10}(?:发|报|交)|格式[:：]|我[^，,。]{0,5}点(?:前|后)?汇总|\d+(?:日|号)汇总报/;
/** 《公共图书馆法》第三十三条规定…: the text of a rule, not a question. */
export const RULE_TEXT = /规定|应当|不得|第[一二三四五六七八九十百\d]+条/;
/** 来了多少孩子 / 多少个小朋友: the question counts people. */
const PEOPLE_ASKED = /(?:多少|几)(?:个|位|名)?(?:孩子|小朋友|家长|读者|学生|观众|听众|人)/;
/** 发一下本周工作简报, 把上周周报发我: a document to send, not the number of documents. */
const DOCUMENT_ASKED = new RegExp(
  String.raw`(?:发|给|看|出|传)(?:一下|下|个|一份|份)?[^，,。?？]{0,8}(?:简报|周报|月报|年报|总结|报表)\s*(?:吧|呗|啊|呀)?\s*[?？]?$|(?:简报|周报|月报|报表)[^，,。]{0,2}(?:发一下|发下|发我|给我)|${DOCUMENT_REQUEST}`,
);
const SUMMARY = /汇总|总结|周报|月报|年报|报表|概况|简报一下|数据情况|整体情况|各项数据|所有数据|全部数据|一览/;
const MISSING = new RegExp(String.raw`(?<!转)(?:报|交|发)(?:数|数据)?了?(?:吗|么)|没报|未报|没交|未交|没发|未发|缺报|缺交|漏报|还差|谁还没|${WHO_MISSING}|没有报|没上报|未上报|没提交|未提交|报了没|都报了吗|报齐`);
/** With no metric named, a question is about the figures only when it names them as a whole (汇总, 数据, 情况). */
const WHOLE_DATA = /汇总|总结|周报|月报|年报|季报|报表|报告|简报|概况|数据|情况|数字|统计|总数|一共|总共|合计|整体|一览/;
const RANK = /排名|排行|排一下|排个名|排个序|排序|最多|最少|最高|最低|哪个馆|哪家|哪个分馆|前三|前五|前十|倒数/;
/** 各馆/各分馆 asks for a breakdown by branch: a ranking unless the message asks for a summary or a total. */
const BY_BRANCH = /各馆|各分馆|各个馆|各个分馆/;
/** 上周各馆借阅一共多少册？, 各馆办证情况汇总一下: one total over the network, not a ranking (分别/各是 ask per branch). */
const TOTAL_ASKED = /(?:一共|合计|总共|共计|总计|加起来|总数)[^，,。;；]{0,6}(?:多少|几)|汇总一下|汇总下|汇总发|汇总给|情况汇总|统计一下|统计下|汇总\s*[?？]?\s*$|(?:合计|一共|总共|总计)(?:是|有)?[?？]?$/;
const PER_BRANCH = /分别|各是|各有|各多少|各自/;
const BRANCHES_COMPARED = /(?:对比|比较|比一比|比一下)(?:一下|下)?\s*[?？]?\s*$/;
const YOY = /同比|去年同期|(?:比|跟|和|与|同|较)去年/;
const MOM = new RegExp(
  String.raw`环比|(?:比|跟|和|与|同|较)(?:上周|上个?月|上季度|上一期|昨天|前一(?:周|天|个?月|季度|期|年)|上一(?:周|个?月|季度|年))|相比|对比|增长|下降|增加了多少|减少了多少|${COMPARE_ASK}`,
);
const NON_DATA = /怎么|如何|谁值班|开门|关门|闭馆吗|开馆吗|放假/;
/** Never about the numbers, whatever words they contain (几点开馆 names 开馆). */
const NEVER_DATA = /几点|什么时候|啥时候|在哪|哪里|为什么|电话|密码|wifi|WiFi|怎么(?!样)|电子版|纸质版|原件|附件|模板|截止(?!到|至|目前|现在|今)|截至日期|PPT|ppt|课件|照片|相片|视频|海报|链接|二维码|名单|报名表|通讯录/;

/** 多少场, 几期, 场次: the number of events asked. */
const EVENTS_ASKED = /(?:多少|几)个?(?:场|期|次|回)(?!人)|场次|多少个活动|几个活动/;
/** 多少人次, 参与人数: the number of people asked. */
const PEOPLE_COUNT_ASKED = /(?:多少|几)(?:个|位|名)?(?:人|孩子|小朋友|家长|读者|观众|听众)|(?:人|孩子|读者|观众|听众)有?多少|人数|人次/;
/** 出了几次车, 下了几趟乡, 还了多少本书: verb, count asked, object. */
const SPLIT_COUNT = String.raw`(?:了|过)?(?:多少|几)(个|次|趟|回|场|期|本|册|张|位|名|批|家|项|种)?`;
const splitCache = new WeakMap<Lexicon, Array<{ pattern: RegExp; entry: LexEntry }>>();

const UNIT_HINTS: Array<[RegExp, string]> = [
  [/多少人次|几人次/, "人次"],
  [/多少人|几个人|几人|多少位|多少名|人有多少|人数/, "人"],
  [/多少册次/, "册次"],
  [/多少册|多少本|几本|几册/, "册"],
  [/几场|多少场/, "场"],
  [/几期|多少期/, "期"],
  [/几次|多少次/, "次"],
  [/多少钱|多少元|多少块/, "元"],
  [/几个|多少个/, "个"],
  [/几种|多少种/, "种"],
];

export interface QueryInput {
  text: string;
  tokens: Token[];
  lexicon: Lexicon;
  today: DayNumber;
  /** In a mixed message (今天到馆48人，这个月一共多少了？) the question is about the metric just reported. */
  fallbackMetric?: { metric: string; eventType?: string };
  /** …and about the branch just reported for, unless the question names one or asks about all (全馆, 各馆). */
  fallbackBranch?: string;
}

const DOCUMENT_REQUEST_RE = new RegExp(DOCUMENT_REQUEST);
/** 生成第三季度总结, 帮我出一份本月简报: a document to produce. A request even when a count (一份) is in it. */
export function requestsDocument(text: string): boolean {
  return DOCUMENT_REQUEST_RE.test(text);
}

const OWN_COMPILING = /(?:(?<![帮给替请让叫])(?:我|我们|我来)|明天|后天|下午|上午|晚上|待会|回头|之后|然后|再)(?:上午|下午|再|来)?(?:汇总|统计|整理)/;

/** `clauseTokens` and `messageTokens` (optional) let a bare total (今年办证合计) count as a question. */
export function isQuestion(text: string, clauseTokens?: readonly Token[], messageTokens?: readonly Token[]): boolean {
  return QUESTION.test(text) || (clauseTokens !== undefined && asksForTotal(clauseTokens, messageTokens ?? clauseTokens));
}

/** The question asks for figures (not only yes/no, not someone else's question, not a rule). */
export function asksForData(text: string, clauseTokens?: readonly Token[], messageTokens?: readonly Token[]): boolean {
  if (REPORTED_QUESTION.test(text) || RULE_TEXT.test(text) || TARGET_WORDS.test(text) || INSTRUCTION.test(text)) return false;
  // 月报收齐了，下午我汇总报局里 / 明天上午汇总: someone says what they will compile; nobody asked for it.
  if (OWN_COMPILING.test(text) && !/[?？]|吗|么|呢/.test(text)) return false;
  if (YES_NO.test(text) && !FIGURE_ASK.test(text)) return false;
  // 提醒：年报数据12月15日截止: naming a report document is not asking for it without a question or a request.
  const summaryAsked = SUMMARY.test(text) && (/[?？]|吗|么|呢|一下|下吧|发|给我|看|查|生成|导出|出一份|写/.test(text));
  return ASKS_FOR_DATA.test(text) || MISSING.test(text) || summaryAsked
    || (clauseTokens !== undefined && asksForTotal(clauseTokens, messageTokens ?? clauseTokens));
}

/**
 * 今年办证合计, 本月借阅累计: a metric and a total word (合计/一共/累计/总共/总计) with no number asks for the total
 * (nlp.md §7). Only a clause made of days, branches, metric words and that closing total word, in a message with no
 * figure at all: 今天到馆合计 over lines of figures (城东120 / 城西86) is a heading, and 两馆合计 counts branches.
 */
const UNIT_WORD = /^\s*(?:人次|册次|人数|册数|次数|场次|数|量|的|这周|这个月|本周|本月|全馆|全县|全市|全区|全部)\s*$/;

/** 滨江书房这周到馆人次？: a metric, its period or branch and a question mark ask for the figure. */
export function asksForFigure(clauseTokens: readonly Token[]): boolean {
  const meaningful = clauseTokens.filter((t) => !(t.type === "text" && /^[\s的]*$/.test(t.text)));
  const namesMetric = meaningful.some((t) => t.type === "lex" && !t.entry.branch && t.entry.metrics !== undefined);
  return namesMetric && meaningful.every((t) => t.type === "date" || (t.type === "text" && UNIT_WORD.test(t.text))
    || (t.type === "lex" && (t.entry.branch !== undefined || t.entry.metrics !== undefined || t.entry.eventType !== undefined || t.entry.word === "total")));
}

export function asksForTotal(clauseTokens: readonly Token[], messageTokens: readonly Token[]): boolean {
  if (messageTokens.some((t) => t.type === "number")) return false;
  const meaningful = clauseTokens.filter((t) => !(t.type === "text" && /^[\s的]*$/.test(t.text)));
  const last = meaningful[meaningful.length - 1];
  if (!last || last.type !== "lex" || (last.entry.word !== "total" && last.entry.word !== "cumulative")) return false;
  const namesMetric = meaningful.some((t) => t.type === "lex" && !t.entry.branch && (t.entry.metrics !== undefined || t.entry.eventType !== undefined));
  const framing = meaningful.slice(0, -1).every((t) => t.type === "date" || (t.type === "text" && UNIT_WORD.test(t.text))
    || (t.type === "lex" && (t.entry.branch !== undefined || t.entry.metrics !== undefined || t.entry.eventType !== undefined)));
  return namesMetric && framing;
}

/** Questions about opening hours, passwords, who is on duty: not about the numbers. */
export function isNonDataQuestion(text: string, tokens: Token[]): boolean {
  if (NEVER_DATA.test(text)) return true;
  const namesMetric = tokens.some((t) => t.type === "lex" && (t.entry.metrics || t.entry.eventType));
  // 馆里有几本《三体》？: a question about one title is about the catalogue, not our counts.
  const namesCountable = tokens.some((t) => t.type === "lex" && (t.entry.metrics || t.entry.eventType) && !/^(?:读者|来了)$/.test(t.text));
  if (!namesCountable && /(?:几|多少)(?:本|册|套|部)\s*《|《[^》]+》[^，,。？?]{0,6}(?:几|多少)(?:本|册|套|部)/.test(text)) return true;
  return !namesMetric && !SUMMARY.test(text) && !MISSING.test(text) && NON_DATA.test(text);
}

function previousReportPeriod(text: string, today: DayNumber): { period: ReturnType<typeof toDayRange>; label: string } | undefined {
  if (!/(?:月报|周报)(?:还)?(?:没|未)|(?:月报|周报)[^，,。？?]{0,4}(?:交|报)了?(?:吗|没)/.test(text)) return undefined;
  const { year, month } = civil(today);
  if (/月报/.test(text)) {
    const [y, m] = month === 1 ? [year - 1, 12] : [year, month - 1];
    return { period: toDayRange({ from: dayNumber(y, m, 1), to: dayNumber(y, m, daysInMonth(y, m)) }), label: "上个月" };
  }
  const monday = today - ((weekday(today) + 6) % 7);
  return { period: toDayRange({ from: monday - 7, to: monday - 1 }), label: "上周" };
}

export function buildQueries(input: QueryInput): ParsedQuery[] {
  const { text, tokens, lexicon } = input;
  const dates = tokens.filter((t): t is Extract<Token, { type: "date" }> => t.type === "date");
  // 哪几个馆的月报还没交？: with no day named, a monthly (weekly) report is last month's (week's).
  const reportPeriod = dates.length === 0 ? previousReportPeriod(text, input.today) : undefined;
  const period = dates[0] ? toDayRange(resolveForQuery(dates[0].date)) : reportPeriod?.period ?? toDayRange({ from: input.today, to: input.today });
  const periodLabel = dates[0]?.date.label ?? reportPeriod?.label ?? "今天";
  const branches = [...new Set(tokens.flatMap((t) => (t.type === "lex" && t.entry.branch ? [t.entry.branch] : [])))];
  const unitHint = UNIT_HINTS.find(([pattern]) => pattern.test(text))?.[1];
  const triggers = tokens.flatMap((t) => (t.type === "lex" && t.entry.eventType ? [t.entry.eventType] : []));
  const eventType = triggers[0];

  // 争取这个月粉丝过万: a target to reach, not a question about the figures.
  if (TARGET_WORDS.test(text)) return [];

  const found: Array<{ at: number; key: string }> = [];
  const namesMetric = (t: Token | undefined): boolean =>
    t !== undefined && t.type === "lex" && !t.entry.branch && (t.entry.metrics !== undefined || t.entry.eventType !== undefined);
  // 公众号粉丝现在多少了: an alias written right before another one modifies it; the last (the head) is asked
  // about. Not when several are asked for at once (到馆借阅分别多少).
  const severalAsked = /分别|各是|各有|各多少|都是多少/.test(text);
  const separateQuestions = tokens.filter((t) => t.type === "sep" && /[?？]/.test(t.text)).length > 1;
  for (const [index, token] of tokens.entries()) {
    if (token.type !== "lex" || (!token.entry.metrics && !token.entry.eventType)) continue;
    if (token.entry.branch) continue;
    // 还差谁没报, 还有多少: 还 as "still", not returns.
    const after = tokens[index + 1];
    if (token.text === "还" && after?.type === "text" && /^(?:差|没|有|是|在|要|得|会|能|未)/.test(after.text)) continue;
    const next = tokens[index + 1];
    // 线上活动观看人次: an event word after a metric alias says what kind of thing was watched; the alias stays.
    const eventWordOnly = next?.type === "lex" && ((next.entry.eventType !== undefined && next.entry.metrics === undefined) || next.text === "活动");
    if (!severalAsked && token.entry.metrics && namesMetric(next) && next!.start === token.end && !eventWordOnly) continue;
    // 公众号现在粉丝多少: the same with 现在/目前/的 between them.
    const afterFiller = tokens[index + 2];
    if (!severalAsked && token.entry.metrics && next?.type === "text" && /^\s*(?:的|现在|目前|如今)\s*$/.test(next.text) && namesMetric(afterFiller)
      && !(afterFiller?.type === "lex" && afterFiller.entry.eventType !== undefined && afterFiller.entry.metrics === undefined)) continue;
    // 讲座一共办了多少场，参加的有多少人次？: the count asked in the alias's own clause gives its unit.
    const clause = clauseAfter(tokens, index);
    const ownHint = UNIT_HINTS.find(([pattern]) => pattern.test(clause))?.[1];
    // 捐赠图书总共多少本？捐款呢？: a later question's alias does not take the unit asked in an earlier one.
    const sharedHint = separateQuestions ? undefined : unitHint;
    const resolved = (ownHint ? resolveMetric(lexicon, token.entry, ownHint) : undefined)
      ?? resolveMetric(lexicon, token.entry, sharedHint) ?? resolveMetric(lexicon, token.entry, undefined);
    const key = resolved?.metric.key ?? directMetrics(token.entry)[0];
    if (key) found.push({ at: token.start, key });
  }
  // 出了几次车, 还了多少本书: a two-character alias split around the count it asks for.
  for (const split of splitAliases(text, lexicon)) found.push(split);
  const metrics: string[] = [];
  for (const { key } of found.sort((a, b) => a.at - b.at)) if (!metrics.includes(key)) metrics.push(key);
  // 办了几个证: the noun alone names the metric.
  if (metrics.length === 0 && /证/.test(text) && !/证明|证件/.test(text)) metrics.push("new_cards");
  // Both the number of events and the people at them asked (讲座一共办了多少场，参加的有多少人次？, 讲座场次和参与人数).
  const twoAsked = EVENTS_ASKED.test(text) && PEOPLE_COUNT_ASKED.test(text);
  // 讲故事活动来了多少孩子: people asked about at an event are its attendance, not the day's visits.
  if (triggers.length > 0 && metrics.includes("visits") && (unitHint === "人" || unitHint === "人次" || PEOPLE_ASKED.test(text))) {
    for (const key of twoAsked ? ["visits"] : ["visits", "events"]) if (metrics.includes(key)) metrics.splice(metrics.indexOf(key), 1);
    if (!metrics.includes("event_attendance")) metrics.push("event_attendance");
  }
  // 去年一共办了几场讲座？参加的多少人次？: the number of the activities is asked beside their attendance.
  if (twoAsked && triggers.length > 0 && !metrics.includes("events")) metrics.unshift("events");
  // 请发一下本周工作简报: a document asked for is a summary, even when its name is also a metric (简报).
  const documentAsked = DOCUMENT_ASKED.test(text);
  if (documentAsked) metrics.length = 0;
  // 讲座参与多少人: the trigger and the attendance word name one metric, not two — unless two quantities are asked,
  // one of them in events' units (讲座一共办了多少场，参加的有多少人次？).
  if (metrics.includes("events") && metrics.includes("event_attendance") && !twoAsked) metrics.splice(metrics.indexOf("events"), 1);
  // 线上活动观看人次多少: the people watching online are asked, not the number of activities.
  if (metrics.includes("events") && metrics.includes("online_participation") && !EVENTS_ASKED.test(text)) metrics.splice(metrics.indexOf("events"), 1);

  let aggregation: QueryAggregation | undefined;
  let compare: ParsedQuery["compare"];
  if (MISSING.test(text)) aggregation = "missing";
  else if (YOY.test(text)) [aggregation, compare] = ["compare", "yoy"];
  // 11月县馆跟10月比怎么样, 2026年比2025年增长了多少: a period compared with another one named after 跟/和/比 decides
  // 同比 or 环比 before the words do.
  else if (comparedPeriod(tokens)) [aggregation, compare] = ["compare", comparedPeriod(tokens)];
  // 读书日当天各馆到馆人数对比一下: branches compared with each other, not with another period.
  else if (BY_BRANCH.test(text) && BRANCHES_COMPARED.test(text)) aggregation = "rank";
  else if (MOM.test(text)) [aggregation, compare] = ["compare", "mom"];
  else if (RANK.test(text)) aggregation = "rank";
  else if (documentAsked || (metrics.length === 0 && (SUMMARY.test(text) || !input.fallbackMetric))) aggregation = "summary";
  else if (BY_BRANCH.test(text) && !(TOTAL_ASKED.test(text) && !PER_BRANCH.test(text))) aggregation = "rank";

  if (metrics.length === 0 && input.fallbackMetric && aggregation !== "summary" && aggregation !== "missing") {
    metrics.push(input.fallbackMetric.metric);
  }
  // 逾期一天罚多少钱来着？: with no metric named, only a question about the data as a whole is a summary.
  if (metrics.length === 0 && aggregation === "summary" && !documentAsked && !WHOLE_DATA.test(text)) return [];
  // 本周哪些馆还没报到馆数: a missing-reports question keeps the metric it names.
  const metricList: Array<string> = metrics.length > 0 ? metrics : ["all"];
  const wholeLibrary = /全馆|各馆|各分馆|所有馆|整体/.test(text);
  const fallbackBranch = input.fallbackBranch !== undefined && !wholeLibrary ? input.fallbackBranch : undefined;
  // 各馆今天的数都报了吗？河口的还没看到: a question about every branch stays about every branch.
  const everyBranch = aggregation === "missing" && BY_BRANCH.test(text);
  const branchList: Array<string | undefined> = branches.length > 0 && !everyBranch ? branches : [everyBranch ? undefined : fallbackBranch];

  const queries: ParsedQuery[] = [];
  for (const metric of metricList) {
    for (const branch of branchList) {
      const definition = metric === "all" ? undefined : lexicon.metrics.get(metric);
      const query: ParsedQuery = {
        metric,
        period,
        periodLabel,
        aggregation: aggregation ?? (definition && (definition.behaviour === "stock" || definition.behaviour === "rate") ? "latest" : "sum"),
      };
      if (compare) query.compare = compare;
      if (branch) query.branch = branch;
      const queryEventType = eventType ?? (metric === input.fallbackMetric?.metric ? input.fallbackMetric.eventType : undefined);
      if (queryEventType && (metric === "events" || metric === "event_attendance")) query.eventType = queryEventType;
      queries.push(query);
    }
  }
  return queries;
}

/**
 * The period a question compares its own with: a date after 跟/和/与/同 and before 比/相比 (11月县馆跟10月比), or right
 * after 比/较 (本月比10月多了多少). The same period a year earlier is 同比, anything else 环比.
 */
function comparedPeriod(tokens: Token[]): "yoy" | "mom" | undefined {
  const dates = tokens.filter((t): t is Extract<Token, { type: "date" }> => t.type === "date");
  if (dates.length < 2) return undefined;
  for (const [index, token] of tokens.entries()) {
    if (token.type !== "date" || token === dates[0]) continue;
    const prev = tokens[index - 1];
    const next = tokens[index + 1];
    const afterAnd = prev?.type === "lex" && prev.entry.word === "and" && next?.type === "text" && /^(?:相?比|比较)/.test(next.text);
    const afterThan = prev?.type === "text" && /(?:比|较|相比)$/.test(prev.text);
    if (!afterAnd && !afterThan) continue;
    const own = toDayRange(resolveForQuery(dates[0]!.date));
    const other = toDayRange(resolveForQuery(token.date));
    const yearEarlier = Number(own.from.slice(0, 4)) - Number(other.from.slice(0, 4)) === 1 && own.from.slice(4) === other.from.slice(4) && own.to.slice(4) === other.to.slice(4);
    return yearEarlier ? "yoy" : "mom";
  }
  return undefined;
}

/** Two-character metric aliases split around a count asked (出车 → 出了几次车): found by position, resolved by unit. */
function splitAliases(text: string, lexicon: Lexicon): Array<{ at: number; key: string }> {
  let patterns = splitCache.get(lexicon);
  if (!patterns) {
    patterns = [];
    for (const entries of lexicon.byFirstChar.values()) {
      for (const entry of entries) {
        if (!entry.metrics || entry.branch || entry.word || [...entry.text].length !== 2) continue;
        const [verb, object] = [...entry.text];
        patterns.push({ pattern: new RegExp(`${verb}${SPLIT_COUNT}${object}`, "g"), entry });
      }
    }
    splitCache.set(lexicon, patterns);
  }
  const found: Array<{ at: number; key: string }> = [];
  for (const { pattern, entry } of patterns) {
    for (const match of text.matchAll(pattern)) {
      const unit = match[1] === "趟" || match[1] === "回" ? "次" : match[1];
      const resolved = (unit ? resolveMetric(lexicon, entry, unit) : undefined) ?? resolveMetric(lexicon, entry, undefined);
      const key = resolved?.metric.key ?? directMetrics(entry)[0];
      if (key) found.push({ at: match.index ?? 0, key });
    }
  }
  return found;
}

/** The text after a token up to the end of its clause, from the tokens (their offsets are the message's). */
function clauseAfter(tokens: Token[], index: number): string {
  let text = "";
  for (const token of tokens.slice(index + 1)) {
    if (token.type === "sep") break;
    text += token.text;
  }
  return text;
}
