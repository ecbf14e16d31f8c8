// Managers' questions: which metric (or all), which period (a whole calendar period), which branch and event
// type, and how to aggregate (sum, latest for stocks, compare, rank, missing reports, summary).
import { resolveForQuery } from "./date-expressions.ts";
import { toDayRange, type DayNumber } from "./dates.ts";
import type { Lexicon } from "./lexicon.ts";
import { directMetrics, resolveMetric } from "./metric-resolution.ts";
import type { Token } from "./tokens.ts";
import type { ParsedQuery, QueryAggregation } from "./types.ts";

/** Words that make a clause a question. 几 counts only as 几+classifier and not inside a numeral (十几). */
export const QUESTION =
  /多少|(?<![十百千万一二三四五六七八九两\d])几(?:个|场|次|期|人|本|册|天|家|项|篇|条|批|位|名|号)|吗|(?<![什怎那这多要])么|呢|[?？]|是否|哪些|哪个|哪家|哪几|谁|查一下|查询|查下|查查|帮我查|帮忙查|统计一下|统计下|汇总|排名|排行|排一下|排个名|排个序|排序|对比|同比|环比|有没有|发一下|发下|发我|发给我|看一下|看看|报了没|怎么样|如何/;
/**
 * What asks for a number, a list or an operation. 吗/呢/是否/? alone make a yes/no question (表格里两栏是不是一回事？,
 * 那20台电脑是不是要报到设备科？), which is about the work, not the figures, unless it asks whether reports are in.
 */
const ASKS_FOR_DATA =
  /多少|(?<![十百千万一二三四五六七八九两\d])几(?:个|场|次|期|人|本|册|天|家|项|篇|条|批|位|名|号)|哪些|哪个|哪家|哪几|哪天|谁|查一下|查询|查下|查查|帮我查|帮忙查|统计一下|统计下|汇总|排名|排行|排一下|排个名|排个序|排序|对比|同比|环比|有没有|发一下|发下|发我|发给我|看一下|看看|报了没|怎么样|如何|(?:报|交|发|填)了?(?:吗|么|没)|数据(?:呢|有吗)|情况/;
/** 读者王先生问逾期一天罚多少: a question someone else asked, told to the group. */
const REPORTED_QUESTION = /(?:读者|家长|市民|群众|先生|女士|阿姨|大爷|大妈|老人|小朋友|孩子|学生|他|她|有人|对方)[^,，。?？]{0,6}(?:问|询问|打听|咨询)(?!一下|下)/;
/** 《公共图书馆法》第三十三条规定…: the text of a rule, not a question. */
export const RULE_TEXT = /规定|应当|不得|第[一二三四五六七八九十百\d]+条/;
/** 来了多少孩子 / 多少个小朋友: the question counts people. */
const PEOPLE_ASKED = /(?:多少|几)(?:个|位|名)?(?:孩子|小朋友|家长|读者|学生|观众|听众|人)/;
/** 发一下本周工作简报, 把上周周报发我: a document to send, not the number of documents. */
const DOCUMENT_ASKED = /(?:发|给|看|出|传)(?:一下|下|个|一份|份)?[^，,。?？]{0,8}(?:简报|周报|月报|年报|总结|报表)\s*(?:吧|呗|啊|呀)?\s*[?？]?$|(?:简报|周报|月报|报表)[^，,。]{0,2}(?:发一下|发下|发我|给我)/;
const SUMMARY = /汇总|总结|周报|月报|年报|报表|概况|简报一下|数据情况|整体情况|各项数据|所有数据|全部数据|一览/;
const MISSING = /(?:报|交|发)了?(?:吗|么)|没报|未报|没交|未交|缺报|缺交|漏报|还差|谁还没|没有报|没上报|未上报|没提交|未提交|报了没|都报了吗|报齐/;
const RANK = /排名|排行|排一下|排个名|排个序|排序|最多|最少|最高|最低|哪个馆|哪家|哪个分馆|前三|前五|前十|倒数/;
/** 各馆/各分馆 asks for a breakdown by branch: a ranking unless the message asks for a summary. */
const BY_BRANCH = /各馆|各分馆|各个馆|各个分馆/;
const YOY = /同比|去年同期|比去年/;
const MOM = /环比|比上周|比上月|比上个月|较上周|较上月|跟上周比|跟上个月比|和上周比|和上月比|相比|对比|增长|下降|增加了多少|减少了多少/;
const NON_DATA = /怎么|如何|谁值班|开门|关门|闭馆吗|开馆吗|放假/;
/** Never about the numbers, whatever words they contain (几点开馆 names 开馆). */
const NEVER_DATA = /几点|什么时候|啥时候|在哪|哪里|为什么|电话|密码|wifi|WiFi|怎么(?!样)/;

const UNIT_HINTS: Array<[RegExp, string]> = [
  [/多少人次|几人次/, "人次"],
  [/多少人|几个人|几人|多少位|多少名/, "人"],
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
}

export function isQuestion(text: string): boolean {
  return QUESTION.test(text);
}

/** The question asks for figures (not only yes/no, not someone else's question, not a rule). */
export function asksForData(text: string): boolean {
  if (REPORTED_QUESTION.test(text) || RULE_TEXT.test(text)) return false;
  return ASKS_FOR_DATA.test(text) || MISSING.test(text) || SUMMARY.test(text);
}

/** Questions about opening hours, passwords, who is on duty: not about the numbers. */
export function isNonDataQuestion(text: string, tokens: Token[]): boolean {
  if (NEVER_DATA.test(text)) return true;
  const namesMetric = tokens.some((t) => t.type === "lex" && (t.entry.metrics || t.entry.eventType));
  return !namesMetric && !SUMMARY.test(text) && !MISSING.test(text) && NON_DATA.test(text);
}

export function buildQueries(input: QueryInput): ParsedQuery[] {
  const { text, tokens, lexicon } = input;
  const dates = tokens.filter((t): t is Extract<Token, { type: "date" }> => t.type === "date");
  const period = dates[0] ? toDayRange(resolveForQuery(dates[0].date)) : toDayRange({ from: input.today, to: input.today });
  const periodLabel = dates[0]?.date.label ?? "今天";
  const branches = [...new Set(tokens.flatMap((t) => (t.type === "lex" && t.entry.branch ? [t.entry.branch] : [])))];
  const unitHint = UNIT_HINTS.find(([pattern]) => pattern.test(text))?.[1];
  const triggers = tokens.flatMap((t) => (t.type === "lex" && t.entry.eventType ? [t.entry.eventType] : []));
  const eventType = triggers[0];

  const metrics: string[] = [];
  for (const token of tokens) {
    if (token.type !== "lex" || (!token.entry.metrics && !token.entry.eventType)) continue;
    if (token.entry.branch) continue;
    const resolved = resolveMetric(lexicon, token.entry, unitHint) ?? resolveMetric(lexicon, token.entry, undefined);
    const key = resolved?.metric.key ?? directMetrics(token.entry)[0];
    if (key && !metrics.includes(key)) metrics.push(key);
  }
  // 办了几个证: the noun alone names the metric.
  if (metrics.length === 0 && /证/.test(text) && !/证明|证件/.test(text)) metrics.push("new_cards");
  // 讲故事活动来了多少孩子: people asked about at an event are its attendance, not the day's visits.
  if (triggers.length > 0 && metrics.includes("visits") && (unitHint === "人" || unitHint === "人次" || PEOPLE_ASKED.test(text))) {
    for (const key of ["visits", "events"]) if (metrics.includes(key)) metrics.splice(metrics.indexOf(key), 1);
    if (!metrics.includes("event_attendance")) metrics.push("event_attendance");
  }
  // 请发一下本周工作简报: a document asked for is a summary, even when its name is also a metric (简报).
  const documentAsked = DOCUMENT_ASKED.test(text);
  if (documentAsked) metrics.length = 0;
  // 讲座参与多少人: the trigger and the attendance word name one metric, not two.
  if (metrics.includes("events") && metrics.includes("event_attendance")) metrics.splice(metrics.indexOf("events"), 1);

  let aggregation: QueryAggregation | undefined;
  let compare: ParsedQuery["compare"];
  if (MISSING.test(text)) aggregation = "missing";
  else if (YOY.test(text)) [aggregation, compare] = ["compare", "yoy"];
  else if (MOM.test(text)) [aggregation, compare] = ["compare", "mom"];
  else if (RANK.test(text)) aggregation = "rank";
  else if (documentAsked || (metrics.length === 0 && (SUMMARY.test(text) || !input.fallbackMetric))) aggregation = "summary";
  else if (BY_BRANCH.test(text)) aggregation = "rank";

  if (metrics.length === 0 && input.fallbackMetric && aggregation !== "summary" && aggregation !== "missing") {
    metrics.push(input.fallbackMetric.metric);
  }
  const metricList: Array<string> = metrics.length > 0 && aggregation !== "missing" ? metrics : ["all"];
  const branchList: Array<string | undefined> = branches.length > 0 ? branches : [undefined];

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
