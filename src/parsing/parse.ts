// Entry point: one message in, one ParseResult out. Pure: the clock and the directories come in `ctx`.
//
// Order of decisions (first match wins): short replies (好的, 取消, 帮助) → corrections → reports and questions
// (a message may hold both) → asks for what is ambiguous → other (closure, plan, pledge, chatter).
import { looksLikeCorrection, parseCorrection } from "./correction.ts";
import { resolveForReport } from "./date-expressions.ts";
import { civil, hourIn, toDayRange, todayIn } from "./dates.ts";
import { honourRecords } from "./honours.ts";
import { expandTables } from "./tables.ts";
import { CLOSURE, shortReplyIntent } from "./intents.ts";
import { lexiconFor, matchLexicon, type Lexicon } from "./lexicon.ts";
import { normalizeMessage } from "./normalize.ts";
import { asksForData, asksForFigure, buildQueries, isNonDataQuestion, isQuestion, requestsDocument, RULE_TEXT } from "./query.ts";
import { BENCHMARK, PLEDGE } from "./not-a-report.ts";
import { buildReport, type Clause } from "./report.ts";
import { tokenize, type NumberToken, type Token } from "./tokens.ts";
import type { ParseContext, ParseResult, ParsedRecord } from "./types.ts";

/** Longer input is a pasted document, not a chat message; parsing stays linear but bounded. */
export const MAX_MESSAGE_LENGTH = 4000;

const PLAN_WORDS = /计划|预计|准备|打算|将于|将在|即将|欢迎|报名|预约|下周|明天|下个月|明年|届时|通知/;
/** 转发：…, 新闻转发, 据《人民日报》报道: someone else's news passed on. */
const FORWARDED = /^\s*(?:【?转发】?|转|新闻|【新闻】)\s*[:：]|转发新闻|新闻转发|转发一(?:条|篇|下)|据[^，,。]{1,14}(?:报道|消息)/;
const PERSON_OR_BOOK_UNIT = new Set(["人", "人次", "个", "位", "名", "个人", "册", "本", "册次"]);
/** A name shaped like a branch that the directory does not know (东坑分馆). */
const BRANCH_SHAPED = /((?:(?![的了在与是有个这那各])[\u4e00-\u9fa5]){2,4})(分馆|服务点|流通点|城市书房|农家书屋|书屋|图书室|书房)/g;
const NOT_A_BRANCH_PREFIX = /^(?:我们|我馆|本|各|各个|每个|该|这个|那个|其他|所有|两个|几个|哪些|哪个|哪几个|哪家|[^分]*哪|检查|走访|慰问|巡查|督导|配送|调研|考察|参观|指导|培训|新建|建设|验收|管理|[^分]*(?:我|咱|本)(?=分馆)|县域|全域|总(?=分馆)|[^分]*县域总(?=分馆)|新(?:开|建|增|设|的)?(?=分馆|服务点|流通点|城市书房|农家书屋|书屋|图书室|书房)|全部|相关|全区|全市|全县|下属|街道|社区|乡镇|村级|流动|城市(?=书房)|农家(?=书屋))/;

const QUOTED_REPLY = /^\s*「[^」]*」\s*\n\s*(?:[-—–]\s*){3,}\n?/;
const FEW_TOLD = /来了几(?:个|位|名)(?:人|志愿者|小朋友|学生)?(?=[，,])(?=[^?？]*[\d一二三四五六七八九十两]{1,3}[个位名小本次])/;
const VAGUE_PERIOD = /最近|近期|近来|这段时间|这阵子|这些天|前段时间|上回|上次|那回|那次/;
/** 这个暑假共接待, 暑假到现在: the school holidays as the period of the figures (寒假第一天, 《书香暑假》 are not). */
const SEASON = /(?:这个|整个|今年)(?:暑假|寒假|暑期)|(?<!《[^》]*)(?:暑假|寒假|暑期|开学季|开学以来)(?:以来|期间|到现在|至今|累计|共计|一共|总共|里|中|共)?(?=[^，,。]{0,12}(?:累计|共计|一共|总共|共|合计|多少))|(?<!《[^》]*)(?:暑假|寒假|暑期)(?:以来|期间|到现在|至今)/;
const HEADING_OVER_FIGURES = /(?:汇总|统计|小结|总结|情况)(?:表|一览)?\s*(?:如下)?\s*[:：]?\s*$/;

export function parseMessage(text: string, ctx: ParseContext): ParseResult {
  const lexicon = lexiconFor(ctx.catalogue, ctx.branches);
  const normalized = metricNamedLast(expandTables(normalizeMessage(text.slice(0, MAX_MESSAGE_LENGTH)), lexicon), lexicon);
  if (normalized.length === 0) return other("chatter");
  const intent = shortReplyIntent(normalized);
  if (intent) return other(intent);

  const today = todayIn(ctx.now, ctx.timezone);
  const tokens = tokenize(normalized, lexicon, today);
  const clauses = splitClauses(tokens, normalized);

  // 这周六的观影活动改到周日了: a date still ahead means an announcement is being changed, not a report.
  // 作废 作废 总馆今天的咨询数据不对 明天核实后重报: a day ahead beside a day already past is when it will be redone.
  const namesPast = tokens.some((t) => t.type === "date" && !resolveForReport(t.date, today).future);
  const namesFuture = tokens.some((t) => t.type === "date" && resolveForReport(t.date, today).future) && !(namesPast && /作废|撤销|撤回|删除|删掉/.test(normalized));
  if (looksLikeCorrection(normalized) && !namesFuture) {
    const correction = parseCorrection({ text: normalized, tokens, lexicon, today });
    if (correction) return { kind: "correction", records: [], correction };
  }

  // 「李娜：滨江书房 今天进馆356人」\n- - - -\n👍 辛苦了: a reply under a quoted message reports only what it adds.
  const quote = QUOTED_REPLY.exec(normalized);
  if (quote) {
    const reply = normalized.slice(quote[0].length);
    return reply.trim().length === 0 ? other("chatter") : parseMessage(reply, ctx);
  }
  // 转发：据《人民日报》报道…: forwarded news is not this library's report.
  if (FORWARDED.test(normalized)) return classifyOther(normalized, tokens, false, false, today);

  const questionClauses = new Set<number>();
  clauses.forEach((clause, index) => {
    // 到馆好像有一千出头？: a figure offered with doubt is a report to confirm, not a question.
    const doubtedFigure = statesFigures(clause) && /好像|似乎|可能|也许|大概/.test(clause.text);
    // 志愿者来了几个，服务了三四个小时: "a few came", told, not asked.
    if (!clause.question && /来了几/.test(clause.text) && FEW_TOLD.test(normalized) && !/[?？]|吗|呢|多少/.test(normalized)) return;
    // 4·23世界读书日总馆活动汇总：(lines of figures): a heading over what follows, not a request.
    if (!clause.question && HEADING_OVER_FIGURES.test(clause.text) && clauses.slice(index + 1).some((c) => c.tokens.some((t) => t.type === "number")
      && c.tokens.some((t) => t.type === "lex" && (t.entry.metrics !== undefined || t.entry.branch !== undefined || t.entry.eventType !== undefined)))) return;
    if ((clause.question && !doubtedFigure) || (isQuestion(clause.text, clause.tokens, tokens) && (!statesFigures(clause) || requestsDocument(clause.text)))) questionClauses.add(index);
  });
  // 几点闭馆？/ …失主电话138…，麻烦谁看到联系一下: a question about other things; figures beside it still count.
  const nonDataQuestion = questionClauses.size > 0 && isNonDataQuestion(normalized, tokens);
  // A yes/no question, someone else's question or a rule: its clauses report nothing and it is not a query.
  const dataQuestion = !nonDataQuestion && [...questionClauses].some((i) => asksForData(clauses[i]!.text, clauses[i]!.tokens, tokens)
    || (clauses[i]!.question && asksForFigure(clauses[i]!.tokens))) && !RULE_TEXT.test(normalized) && !BENCHMARK.test(normalized);

  const report = buildReport({ text: normalized, clauses, lexicon, today, defaultBranch: ctx.defaultBranch, skipClauses: questionClauses });
  if (nonDataQuestion && report.records.length === 0) return other("help");
  const unknownName = unknownBranchName(normalized, ctx.branches.length > 0, tokens);
  const unknownBranch = report.records.length > 0 && unknownName ? `「${unknownName}」不在分馆名单里，这是哪个馆的数据？` : undefined;
  const asks = unknownBranch ? [unknownBranch, ...report.asks] : report.asks;

  if (questionClauses.size > 0 && dataQuestion) {
    const questionTokens = report.records.length > 0 ? clauses.filter((_, i) => questionClauses.has(i)).flatMap((c) => c.tokens) : tokens;
    const last = report.records[report.records.length - 1];
    const queries = buildQueries({
      text: report.records.length > 0 ? clauses.filter((_, i) => questionClauses.has(i)).map((c) => c.text).join("，") : normalized,
      tokens: questionTokens,
      lexicon,
      today,
      fallbackMetric: last ? { metric: last.metric, eventType: last.eventType } : undefined,
      fallbackBranch: namedBranch(clauses.filter((_, i) => !questionClauses.has(i)).flatMap((c) => c.tokens)),
    });
    const questionText = clauses.filter((_, i) => questionClauses.has(i)).map((c) => c.text).join("，");
    // 十几号那几天到馆多少？: days given only roughly; ask which.
    if (report.records.length === 0 && VAGUE_DAYS.test(questionText)) {
      return { kind: "query", records: [], ask: "具体是哪几天？请说日期，例如“11月12日到15日”。" };
    }
    // 最近东馆借阅情况怎么样？, 暑假到现在一共来了多少人: a period without its days; ask which.
    const noDate = !tokens.some((t) => t.type === "date");
    if (report.records.length === 0 && queries.length > 0 && noDate && (VAGUE_PERIOD.test(questionText) || SEASON.test(questionText))) {
      return { kind: "query", records: [], ask: "要查哪段时间？比如“本月”“上周”或“7月1日到今天”。" };
    }
    // 城东分馆上周多少？: a figure asked for with no metric named.
    const asksHowMany = /多少|几(?:个|场|次|本|册|人|位|名|期|项|家)/.test(questionText);
    const framed = tokens.some((t) => (t.type === "date" && !resolveForReport(t.date, today).future) || (t.type === "lex" && t.entry.branch !== undefined));
    const ahead = tokens.some((t) => t.type === "date" && resolveForReport(t.date, today).future);
    if (queries.length === 0 && report.records.length === 0 && asksHowMany && framed && !ahead) {
      return { kind: "query", records: [], ask: "要查哪项数据？比如到馆人次、借阅册次、活动场次。" };
    }
    // 明天讲座嘉宾的酒店订好了吗: a question about days still ahead is not about the numbers.
    const todayIso = toDayRange({ from: today, to: today }).from;
    if (report.records.length === 0 && asks.length === 0 && queries.every((q) => q.period.from > todayIso)) {
      return classifyOther(normalized, tokens, report.droppedAsPledge, report.droppedAsPlan, today);
    }
    // 东坑分馆本月到馆多少？: a branch the directory does not know; ask rather than answer for the whole network.
    if (queries.length > 0 && report.records.length === 0 && unknownName && !queries.some((q) => q.branch)) {
      return { kind: "query", records: [], ask: `「${unknownName}」不在分馆名单里，要查哪个馆？` };
    }
    if (queries.length > 0) {
      const query = queries.length === 1 ? queries[0]! : queries;
      // 今天到馆48人，这个月一共多少了？: a report that also asks (nlp.md §7, mixed messages): the records are stored,
      // then the question is answered with them in.
      if (asks.length > 0) return { kind: report.records.length > 0 || report.boundAliases > 0 ? "report" : "query", records: [], ask: asks[0], query };
      return { kind: report.records.length > 0 ? "report" : "query", records: report.records, query };
    }
    // No figure asked for after all (谁有空帮忙…？): what the rest of the message says stands on its own.
  }

  // 柳树村书屋这个暑假共接待小读者1,050人次: the holidays have no fixed first day; ask for the dates.
  if (asks.length === 0 && report.records.length > 0 && SEASON.test(normalized) && !tokens.some((t) => t.type === "date")) {
    const season = /暑假|寒假|暑期|开学季|开学/.exec(normalized)?.[0] ?? "这段时间";
    asks.push(`「${season}」是从哪天算起的？请说起止日期，例如“7月1日到今天”。`);
  }
  if (asks.length > 0) return { kind: "report", records: [], ask: asks.join(" ") };
  const earlyAsk = report.records.length > 0 ? earlyMorningAsk(ctx, tokens, report.records, today) : undefined;
  if (earlyAsk) return { kind: "report", records: [], ask: earlyAsk };
  if (report.records.length > 0) return { kind: "report", records: report.records };

  const bareAsk = bareNumberAsk(normalized, tokens, report.boundAliases);
  if (bareAsk) return { kind: "report", records: [], ask: bareAsk };
  const honours = honourRecords(clauses, normalized, today, ctx.defaultBranch);
  if (honours.length > 0) return { kind: "report", records: honours };
  return classifyOther(normalized, tokens, report.droppedAsPledge, report.droppedAsPlan, today);
}

/** 环比增长12%, 本周数据汇总如下：到馆5,236人次: a request word beside a figure states it, unless the clause also
 * asks (到馆多少人, 借了几本). */
const INTERROGATIVE = /多少|(?<![十百千万一二三四五六七八九两\d])几(?:个|场|次|期|人|本|册|天|家|项|趟|回)|吗|(?<![什怎那这多要])么|呢|哪|谁|是否|有没有|怎么样|如何/;
function statesFigures(clause: ClauseWithQuestion): boolean {
  if (/如下|以下/.test(clause.text) && !clause.question) return true; // 数据汇总如下：a heading over figures
  return clause.tokens.some((t) => t.type === "number") && !INTERROGATIVE.test(clause.text);
}

/** Before the library opens, a day's desk counts with no day named are most likely yesterday's (nlp.md §4.1). */
const EARLY_HOUR = 8;
const DAY_COUNTERS = new Set(["visits", "loans", "loan_persons", "returns", "renewals", "new_cards", "reference_questions", "e_reading_visits"]);

/** 到馆241 借阅133 还书120 sent at 06:40: yesterday's or today's? Ask instead of filing it under today. */
function earlyMorningAsk(ctx: ParseContext, tokens: Token[], records: readonly ParsedRecord[], today: number): string | undefined {
  if (hourIn(ctx.now, ctx.timezone) >= EARLY_HOUR || tokens.some((t) => t.type === "date")) return undefined;
  if (!records.some((r) => DAY_COUNTERS.has(r.metric))) return undefined;
  const { month, day } = civil(today - 1);
  return `现在是清早，这是昨天（${month}月${day}日）的数据吗？请回复“昨天”或“今天”。`;
}

const VAGUE_DAYS = /(?:十|二十)几号|几号到几号|前几天|那几天(?![^，,。]*\d)/;

/** 城西今天借出112本，本月借阅总数是多少？: the one branch the report names is the one asked about. */
function namedBranch(tokens: readonly Token[]): string | undefined {
  const branches = new Set(tokens.flatMap((t) => (t.type === "lex" && t.entry.branch ? [t.entry.branch] : [])));
  return branches.size === 1 ? [...branches][0] : undefined;
}

/** 滨江书房 周六322 周日358 (到馆人次): a metric named in a closing bracket names the bare figures before it. */
function metricNamedLast(text: string, lexicon: Lexicon): string {
  const closing = /[(（]\s*([^()（）]{2,8})\s*[)）]\s*$/.exec(text);
  if (!closing) return text;
  const word = matchLexicon(lexicon, closing[1]!, 0);
  if (!word?.metrics || word.text.length < closing[1]!.replace(/人次|册次|人|册|次$/, "").length) return text;
  return `${closing[1]}：${text.slice(0, closing.index)}`;
}

function other(intent: ParseResult["intent"]): ParseResult {
  return { kind: "other", records: [], intent };
}

interface ClauseWithQuestion extends Clause {
  /** The clause ended with ? or ？. */
  question: boolean;
}

function splitClauses(tokens: Token[], text: string): ClauseWithQuestion[] {
  const clauses: ClauseWithQuestion[] = [];
  let current: Token[] = [];
  const close = (separator?: Extract<Token, { type: "sep" }>) => {
    if (current.length > 0) {
      const first = current[0]!;
      const last = current[current.length - 1]!;
      clauses.push({
        tokens: current,
        text: text.slice(first.start, last.end),
        endsSentence: separator?.sentence ?? true,
        question: separator?.text === "?" || separator?.text === "？",
      });
    } else if (separator?.sentence && clauses.length > 0) {
      clauses[clauses.length - 1]!.endsSentence = true;
    }
    current = [];
  };
  tokens.forEach((token, index) => {
    if (token.type === "sep") close(token);
    // 还书351 周六照例人多, 借阅203册 还书187册 下周六有亲子阅读活动: with no punctuation, a space after a figure
    // ends its clause, so a remark after it does not colour the figures before it.
    else if (token.type === "text" && /^ /.test(token.text) && tokens[index - 1]?.type === "number") {
      close({ type: "sep", start: token.start, end: token.start + 1, text: " ", sentence: false });
      if (token.text.length > 1) current.push({ ...token, start: token.start + 1, text: token.text.slice(1) });
    } else current.push(token);
  });
  close();
  return clauses;
}

/** 「今天35人」: a number with no metric at all. Ask which metric, rather than guess 到馆. */
function bareNumberAsk(text: string, tokens: Token[], boundAliases: number): string | undefined {
  if (boundAliases > 0) return undefined;
  const numbers = tokens.filter((t): t is NumberToken => t.type === "number");
  // 上周六和周日分别是300和280: several bare figures with nothing but days around them.
  if (numbers.length > 1) {
    const bare = numbers.every((n) => n.unit === undefined || PERSON_OR_BOOK_UNIT.has(n.unit));
    const framing = tokens.every((t) => t.type === "number" || t.type === "date" || t.type === "sep"
      || (t.type === "lex" && (t.entry.branch !== undefined || t.entry.word === "and" || t.entry.word === "respectively" || t.entry.word === "each"))
      || (t.type === "text" && /^(?:\s|:|：|了|是|有|和|、|都)*$/.test(t.text)));
    const hasAlias = tokens.some((t) => t.type === "lex" && (t.entry.metrics || t.entry.eventType));
    if (!bare || !framing || hasAlias || PLAN_WORDS.test(text)) return undefined;
    return `「${numbers.map((n) => n.text.trim()).join("、")}」是哪项数据？比如到馆人次、借阅册次？`;
  }
  if (numbers.length !== 1) return undefined;
  const number = numbers[0]!;
  const hasAlias = tokens.some((t) => t.type === "lex" && (t.entry.metrics || t.entry.eventType));
  if (hasAlias) return undefined;
  const personLike = number.unit === undefined || PERSON_OR_BOOK_UNIT.has(number.unit);
  const hedged = number.upperBound || number.approx;
  // Only a number and what frames a report (a day, a branch): 「今天35人」, 「昨天 48」, 「86」.
  const onlyNumber = tokens.every((t) => t === number || t.type === "date" || t.type === "sep"
    || (t.type === "lex" && (t.entry.branch !== undefined || t.entry.word === "cumulative" || t.entry.word === "total"))
    || (t.type === "text" && /^(?:\s|:|：|了|啊|哈|吧|呀|共|一共|是|有)*$/.test(t.text)));
  const dayWords = /今天|今日|昨天|今儿/.test(text) && /人|读者|来/.test(text);
  // 二楼自习室今天120人: a short message with a day and a head count and nothing else is a report missing its metric.
  const shortHeadCount = text.length <= 16 && /今天|今日|昨天|上午|下午/.test(text) && /室|厅|区|馆|书房|书屋/.test(text)
    && (number.unit === "人" || number.unit === "人次");
  if (!personLike || !(onlyNumber || (hedged && dayWords) || shortHeadCount)) return undefined;
  if (PLAN_WORDS.test(text)) return undefined;
  const shown = number.text.trim();
  if (number.upperBound || hedged) return `需要记录到馆约${number.numeral.kind === "exact" ? number.numeral.value : shown}人次吗？请回复具体数字或“不用记”。`;
  return `「${shown}」是哪项数据？比如到馆人次、借阅册次？`;
}

function unknownBranchName(text: string, hasDirectory: boolean, tokens: Token[]): string | undefined {
  if (!hasDirectory) return undefined;
  // 流动车一站: a numbered stop the directory does not list.
  const stop = /流动(?:车|图书馆|书车)?(?:第)?[一二三四五六七八九十\d]{1,2}站/.exec(text);
  if (stop && !tokens.some((t) => t.type === "lex" && t.entry.branch !== undefined && t.start <= stop.index + stop[0].length && t.end >= stop.index)) return stop[0];
  const branchTokens = tokens.filter((t) => t.type === "lex" && t.entry.branch !== undefined);
  // 获评“市级最美城市书房”: a name in quotes is a title, not a branch.
  const unquoted = text.replace(/[“"「『][^”"」』]*[”"」』]/g, (quoted) => "　".repeat(quoted.length));
  for (const match of unquoted.matchAll(BRANCH_SHAPED)) {
    const whole = match[0];
    const end = (match.index ?? 0) + whole.length;
    // Known when a directory name or alias was read over the end of it (和平街道分馆, 人民路书房).
    const known = branchTokens.some((t) => t.start < end && t.end >= end);
    if (known) continue;
    const prefix = trimToName(match[1]!);
    const name = prefix + match[2]!;
    // 本月流通点借阅: no name before the kind of place is no branch (and 流通点借阅 is a metric's word).
    // 组织全县分馆管理员: all the branches of a county are no branch's name.
    if (prefix.length < 2 || NOT_A_BRANCH_PREFIX.test(name) || name.length <= 2 || /全(?:县|区|市|省|镇)|各|所有/.test(name)) continue;
    const before = text.slice(Math.max(0, (match.index ?? 0) - 2), match.index);
    // Places visited are not reporters: 送到梅林村书屋, 图书车今天在和平街道服务点 (after a known branch).
    if (/到|去|给|往|赴/.test(before) || /^(?:到|去|给|往|赴)/.test(match[1]!)) continue;
    if (/在\s*$/.test(before) && branchTokens.some((t) => t.end <= (match.index ?? 0))) continue;
    return name;
  }
  return undefined;
}

/** 「今天东坑分馆」→ 东坑: drop leading date words the greedy match picked up. */
function trimToName(text: string): string {
  // 12月农家书屋, 2026年县域总分馆: the tail of a date is no part of a name either.
  return text.replace(/^(?:今天|昨天|前天|今日|本周|上周|本月|这周|上午|下午|目前|现在|现有|截至目前|全部|[年月日号份度])+/, "");
}

function classifyOther(text: string, tokens: Token[], pledge: boolean, plan: boolean, today: number): ParseResult {
  if (CLOSURE.test(text)) {
    const date = tokens.find((t): t is Extract<Token, { type: "date" }> => t.type === "date");
    const span = date ? date.date.span : { from: today, to: today };
    const closure: NonNullable<ParseResult["closure"]> = { date: toDayRange(span) };
    const branch = tokens.find((t) => t.type === "lex" && t.entry.branch);
    if (branch && branch.type === "lex") closure.branch = branch.entry.branch;
    return { kind: "other", records: [], intent: "closure", closure };
  }
  if (pledge || PLEDGE.test(text)) return other("pledge");
  const future = tokens.some((t) => t.type === "date" && resolveForReport(t.date, today).future);
  if (plan || future || PLAN_WORDS.test(text)) return other("plan");
  return other("chatter");
}

export type { ParsedRecord };
