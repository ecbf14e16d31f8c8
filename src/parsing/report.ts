// Turns the tokens of a report into records: binds each number to its metric alias, carries dates, branches
// and event types through the message, marks 其中 breakdowns, expands 各/分别, and collects the questions to
// ask back instead of guessing (ranges, combined branches, split digits, hedges).
import { resolveForReport, type DateMatch } from "./date-expressions.ts";
import { toDayRange, type DayNumber } from "./dates.ts";
import type { LexEntry, Lexicon } from "./lexicon.ts";
import { acceptsUnit, resolveMetric, toCanonical, type ResolvedMetric } from "./metric-resolution.ts";
import { roundValue } from "./numerals.ts";
import { audiences, dropRunningTotals, exactOverApproximate, partsAndTotals, partsOfDay, recordDays, spanOfDays, toRecords, type Draft } from "./drafts.ts";
import {
  ACTUAL, ALREADY_REPORTED, ANECDOTE, ANNOUNCEMENT, BALANCE, BENCHMARK, BRANCHES_SUMMED, CAPACITY, DISCREPANCY, HAPPENED, HEARSAY, HEDGE,
  HYPOTHETICAL, MEMBERSHIP, OTHER_LIBRARY, MILESTONE, MONEY_TALK, NOT_YET_OPEN, PLAN, PLAN_HEADING, PLAN_OPENING, PLEDGE, PRIZES, REFERENCE, TARGET_OPENING, WIDER_SCOPE,
} from "./not-a-report.ts";
import { PERSON_NOUN, type NumberToken, type Token } from "./tokens.ts";
import type { MetricDefinition, ParsedRecord } from "./types.ts";

export interface Clause {
  tokens: Token[];
  text: string;
  /** The clause ends a sentence (。, newline): 其中 scopes stop here. */
  endsSentence: boolean;
}

export interface ReportOutcome {
  records: ParsedRecord[];
  asks: string[];
  /** Records were found but dropped as plans, capacities or hedged statements. */
  droppedAsPlan: boolean;
  droppedAsPledge: boolean;
  /** Aliases bound to numbers (even dropped ones), for deciding between report and chatter. */
  boundAliases: number;
}

export interface ReportInput {
  text: string;
  clauses: Clause[];
  lexicon: Lexicon;
  today: DayNumber;
  defaultBranch?: string;
  /** Clause indexes to skip (questions inside a mixed message). */
  skipClauses?: Set<number>;
}

const TRAILING_SCOPE = /(?:都|均|全|全部|以上|上面)(?:是|为|属于|算)/;
/** 三位读者反映空调太冷: people counted as those who said something, not as visitors. */
const SPEECH_AFTER_PEOPLE = new RegExp(`^\\s*(?:${PERSON_NOUN.source.slice(1)})?\\s*(?:都|也|一起|纷纷)?\\s*(?:来|过来|跑来|专门来|前来)?\\s*(?:反映|投诉|建议|表扬|抱怨|留言|提出|提议|说|问|询问|要求|来电|打电话|提意见)`);
/** 东西两个馆一共, 三个分馆合计: a total over several branches counted, not named. */
const COUNTED_BRANCHES = /(?:[两二三四五六七八九几]|\d{1,2})\s*(?:个|家)?\s*(?:分馆|馆|服务点|站点)(?!藏|员|长|里|内)/;
/** 举办了1场启动仪式: a number of 场 after a verb of organising is a number of events even without an event word. */
const ORGANISED = /举办|办了|开展了|组织了|举行|搞了|开了/;
/** Nouns that are also aliases; next to a verb alias they are its object (编目加工新书620册 is cataloguing). */
const NOUN_ALIASES = new Set(["新书", "读者", "杂志", "期刊", "报刊", "新读者", "志愿者", "小志愿者", "小小志愿者", "活动"]);
/** Dates joined by 、/和 (上周六、周日两天): the whole span when the days are contiguous, else a question. */
const scatteredDates = new WeakSet<DateMatch>();
const joinedDates = new WeakSet<DateMatch>();
/** 在柳树村停靠: a stop on the van's round. */
const DESTINATION_AFTER = /^\s*(?:停靠|停车|巡回|设点|摆摊)\s*(?:了\s*)?(?:[,，。;；!！]|$)/;
const DESTINATION_BEFORE = /(?:到|去|给|往|赴|送往|送到|前往|帮|支援|来自|从|跑|停靠|看|参观|考察|视察|检查|走访)了?\s*$/;
/** Words that name a metric only when nothing else in the clause does. */
const WEAK_ALIASES = new Set(["读者", "来了"]);
/** The library's own staff (业务培训 for them is staff training, not a reader programme). */
const STAFF_WORDS = /职工|馆员|员工|同事|工作人员|管理员|业务骨干|业务培训|岗位培训|职工培训/;
/** Verbs of taking part, which the activity named after them makes precise. */
const GENERIC_PARTICIPATION = new Set(["参加", "参与", "参加了", "参与了"]);
const PER_PERSON_HOURS = /(?:每人|每位|人均)\s*(?:服务|培训|学习|参加|上课|工作|值班|志愿服务|干|做|帮忙)?了?\s*(?:约|大约|平均)?\s*[\d一二三四五六七八九十两半.]+\s*(?:个)?(?:学时|课时|小时)/;
const PERSON_NOUN_ANYWHERE = /小朋友|孩子|家长|学生|读者|观众|市民|群众|老人|居民|村民|儿童|宝宝|听众|学员/;
/** 上午96人，下午143人: a part of the day. */
const PART_OF_DAY = /上午|下午|中午|晚上|晚间|夜间|早上|傍晚/;
/** Triggers that also name an audience (参与亲子42人). */
const AUDIENCE_TRIGGERS = new Set(["亲子"]);
/** 参加小朋友41人，家长36人: an audience noun right before a head count. */
const AUDIENCE_BEFORE = /(小朋友|孩子|家长|幼儿|学生|老人|居民|儿童|宝宝|大人|青少年|村民|市民|老师|成人)\s*(?:也|还|都|又)?\s*(?:来了|到了|有|是|共|:|：)?\s*$/;
/** Words for the form an activity takes, not its kind. */
const FORM_WORDS = new Set(["课堂", "公益课"]);
const DIFFERENCE_BEFORE = /比[^，,。;；]{0,10}(?:多了?|少了?|增加了?|减少了?|增长了?|下降了?|高了?|低了?|上升了?|提高了?)\s*$/;
const STOCK_CHANGE_BEFORE = /(?:新增|增加|增长|减少|新添|新加|新建|新开|又开|开了|扩充|多了|少了|涨了|掉了|涨粉|掉粉)了?(?:[^，,。;；\d]{0,4}?(?:粉丝|关注|用户|读者|志愿者|座位|座席))?\s*$/;
const STOCK_BEFORE_NOW = /(?:原来|原先|以前|之前|改造前|过去)[^，,。;；]{0,6}$/;
const STOCK_LEVEL_BEFORE = /^\s*(?:[^，,。;；\d]{0,8}(?:增加到|增至|增长到|达到|提升到|提高到|扩大到|扩充到|变为|变成|调整为|调整到)|目前|现在|现有|目前共|现共|总计|总数)\s*(?:已|共|是|为|有)?\s*$/;
const STANDS_NOW = /目前|现在|现有|截至目前|截止目前|至今|眼下/;
/** 今天10点有个学校组织40个学生来参观，提前准备一下: getting ready for visitors who have not come yet. */
const PREPARE = /提前准备|做好准备|准备一下|提前安排|做好接待/;
const SINCE_OPENING = /(?:开放|开馆|建馆|成立|建成|运行|启用|投用|开通)以来/;
const PLACE = String.raw`(?:咱馆|本馆|我馆|流动车|图书车|书车|(?:(?!今天|昨天|前天)[\u4e00-\u9fa5]){1,4}(?:馆|书房|书屋|服务点))`;
const COMBINED_PLACES = new RegExp(String.raw`(${PLACE})(?:加上|连同|再加上)(${PLACE})[^，,。;；]{0,6}(?:总共|一共|合计|共计|加起来|合起来|共)|(?:在|去了?)(${PLACE}|第[一二三四五六七八九十]站)和([\u4e00-\u9fa5]{2,4}?)两个(?:点|地方|村)[^，,。;；]{0,4}(?:总共|一共|合计|共计|共)`);
/** 【通知】中秋节放假…: a notice is an announcement throughout. */
const NOTICE_OPENING = /^\s*[【\[](?:通知|提醒|公告|温馨提示|注意|重要通知|紧急通知)[】\]]/;
/** 节前提醒：…闭馆三天。另外今天上午到馆已经310人了: a new sentence that turns to something else (or to today). */
const MOVES_ON = /^\s*(?:另外|此外|另|顺便|今天|今日|昨天|昨日)/;
const INSPECTED_BEFORE = /(?:检查|走访|慰问|巡查|督导|调研|考察|参观|指导|验收)了?[^，,。;；\d]{0,8}$/;
const CARDS_AFTER = /^[^，,。;；\d\s]{0,3}?(?:办了(?:新|借书|读者|借阅)?证|办(?:新|借书|读者|借阅)?证了)/;
const NOT_DONE_AFTER = /^[^，,。;；]{0,10}(?:没办成|未办成|没能办|没办上|办不了|没借成|没借到|没来成|没有来|未到场)/;
const LAST_DAYS_TOTAL = /([两三四五六七八九十\d]{1,2})天(?:加起来|加一起|合起来|共计|合计|累计|一共|总共)/;
/** 五 → 5, 12 → 12: a small count of days. */
function smallCount(text: string): number | undefined {
  const digits = Number(text);
  if (Number.isInteger(digits) && digits > 0) return digits;
  const index = "一两三四五六七八九十".indexOf(text);
  return index >= 0 ? (index === 1 ? 2 : index + 1) : undefined;
}
const CHANGED_TO_AFTER = /^\s*[^，,。;；\d]{0,6}(?:调整|改|增加|提高|延长|缩短|减少|变|扩大|增)(?:为|到|至|成)/;
const IN_BUILDING_BEFORE = /(?:在馆|馆内|馆里)(?:的)?(?:读者|人数)?(?:有|共)?\s*$/;
const HOLIDAY_AFTER = /^\s*(?:的)?(?:小长假|长假|假期|假|连休|休假)/;
const HOLIDAY_BEFORE = /(?:放假|休假|连休|调休|(?<![开解])放)\s*$/;
const AUDIENCE_AFTER = /^\s*(小朋友|孩子|家长|幼儿|学生|老人|居民|儿童|宝宝|大人|青少年|村民|市民|老师|成人)/;
const PERSON_UNITS = new Set(["人", "人次", "名", "位", "个人"]);
/** Between an alias and its number: 到馆是35, 借出去84本, 到馆的话是一百五十六, 来了差不多三百人. */
const LINKING = /^(?:\s|是|为|有|了|只有|才|仅|仅有|观看|收看|达|达到|:|：|计|约|总|接待了?|一共|共|总共|共计|合计|的话|的|呢|啊|嘛|就|也|都|去|来|回来|出去|数|量|人数|总数|大概|大约|差不多|将近|接近|估计|突破|破|超过|近)*$/;


interface AliasUse {
  token: Extract<Token, { type: "lex" }>;
  index: number;
  used: Set<string>;
}

interface State {
  drafts: Draft[];
  asks: string[];
  droppedAsPlan: boolean;
  droppedAsPledge: boolean;
  boundAliases: number;
  date?: DateMatch;
  branches: string[];
  /** The last event-type trigger seen in the sentence (读书会第3期今天举行，参与25人). */
  lastTrigger?: string;
  /** 人均…: the ask to make if nothing else in the message is recorded. */
  perCapitaOnly?: string;
  /** Set by a clause whose date is its own (五天加起来…), so that the date before it is restored afterwards. */
  clauseOnlyDate?: { previous: DateMatch | undefined };
  /** Distinct event types named in the message: 「讲座3场 读书会2场 共参与211人次」 is attendance of all. */
  eventTypesSeen: Set<string>;
  subsetParent?: number;
  /** Where the current sentence's drafts start. */
  sentenceStart: number;
  /** 28组家庭 with no head count anywhere in the message is asked about at the end. */
  familiesAsk?: string;
  /** The figure a bracket after it breaks down, until the bracket closes. */
  bracketParent?: number;
  dateOutsideBracket?: DateMatch;
  /** The date in effect when a 其中 or bracket breakdown began: a part that names another keeps its own. */
  subsetDate?: DateMatch;
  lastBound?: ResolvedMetric;
  /** The last alias bound in the message, for 「送书二批，共1200册」 (共 continues the same words). */
  lastAlias?: LexEntry;
  /** The clause's sentence is an announcement (欢迎…, 报名…). */
  announced: boolean;
  /** The clause's sentence sets a benchmark to beat (…今年能不能超过). */
  benchmark: boolean;
  /** 「…，都是城西的」 */
  trailingBranch?: string;
  /** The last alias of an earlier clause, bound or not (剔旧了一批旧书，共计650册: 共 goes on with 剔旧). */
  previousClauseAlias?: LexEntry;
  /** A clause that named one metric and no figure (各馆今日到馆：), for the lines under it. */
  headingAlias?: LexEntry;
  /** The previous clause was a plan or a hedge (可望…1件，市级…6件): its ellipses are too. */
  previousClausePlanned: boolean;
  currentClausePlanned: boolean;
}

export function buildReport(input: ReportInput): ReportOutcome {
  const state: State = {
    drafts: [], asks: [], droppedAsPlan: false, droppedAsPledge: false, boundAliases: 0, branches: [],
    previousClausePlanned: false, currentClausePlanned: false, eventTypesSeen: new Set(), announced: false, benchmark: false,
    sentenceStart: 0,
  };
  // 「少儿馆有3场故事会，欢迎带孩子来」: an announcement marker makes its whole sentence a plan.
  const announced = new Set<number>();
  const benchmarks = new Set<number>();
  let sentence: number[] = [];
  let planHeading = false;
  let planSentence = false;
  input.clauses.forEach((clause, index) => {
    sentence.push(index);
    // 明年目标：全年外借20万册次，到馆25万人次: a plan heading covers what follows it, until what actually happened;
    // a sentence that opens with 计划/预计 is a plan to its end.
    if (PLAN_HEADING.test(clause.text) || (index === 0 && NOTICE_OPENING.test(clause.text))) planHeading = true;
    else if (ACTUAL.test(clause.text) || (sentence.length === 1 && index > 0 && MOVES_ON.test(clause.text))) planHeading = planSentence = false;
    if ((sentence.length === 1 && PLAN_OPENING.test(clause.text)) || TARGET_OPENING.test(clause.text)) planSentence = true;
    if (planHeading || planSentence) announced.add(index);
    if (clause.endsSentence || index === input.clauses.length - 1) {
      planSentence = false;
      // 今天亲子阅读活动来了42人，欢迎大家下周继续参加: a clause that says it happened stays a report.
      if (sentence.some((i) => ANNOUNCEMENT.test(input.clauses[i]!.text))) {
        // …还书187册 下周六有亲子阅读活动 欢迎家长报名: what is announced starts where a day still ahead is named.
        const ahead = sentence.findIndex((i) => input.clauses[i]!.tokens.some((t) => t.type === "date" && resolveForReport(t.date, input.today).future));
        for (const [at, i] of sentence.entries()) {
          const clauseText = input.clauses[i]!.text;
          if (ahead >= 0 ? at >= ahead : ANNOUNCEMENT.test(clauseText) || !HAPPENED.test(clauseText)) announced.add(i);
        }
      }
      // 去年11月到馆4.2万人次，看看今年能不能超过; 上个月全馆办证326张，这个月争取突破400: a figure quoted as the
      // mark to beat is usually a total already counted from the daily reports; storing it would count it twice.
      // 省图的同行说他们上个月到馆12万人次，借阅30多万册次: another library's figures, the whole sentence.
      const sentenceText = sentence.map((i) => input.clauses[i]!.text).join("，");
      if (BENCHMARK.test(sentenceText) || HEARSAY.test(sentenceText) || DISCREPANCY.test(sentenceText) || BRANCHES_SUMMED.test(sentenceText) || PREPARE.test(sentenceText)) for (const i of sentence) benchmarks.add(i);
      if (NOT_YET_OPEN.test(sentenceText)) for (const i of sentence) announced.add(i);
      sentence = [];
    }
  });
  let sentenceHasFigure = false;
  input.clauses.forEach((clause, index) => {
    state.announced = announced.has(index);
    state.benchmark = benchmarks.has(index);
    state.previousClausePlanned = state.currentClausePlanned;
    state.currentClausePlanned = false;
    if (input.skipClauses?.has(index)) {
      updateScopesOnly(clause, state, input);
    } else {
      state.clauseOnlyDate = undefined;
      processClause(clause, state, input);
      // 三天加起来1,002人: the span of that total is its own; what follows keeps the day before it.
      // (A cast: TypeScript does not see that processClause may set it.)
      const ownDate = state.clauseOnlyDate as State["clauseOnlyDate"];
      if (ownDate) state.date = ownDate.previous;
    }
    sentenceHasFigure ||= clause.tokens.some((t) => t.type === "number");
    if (clause.endsSentence) {
      state.subsetParent = undefined;
      // 今天故事会爆满！来了62个小朋友: a sentence that only names an event leaves it for the people counted next.
      if (sentenceHasFigure || announced.has(index)) state.lastTrigger = undefined;
      state.sentenceStart = state.drafts.length;
      sentenceHasFigure = false;
    }
  });
  applyTrailingDate(state, input);
  sessionsByOrdinal(state, input);
  if (state.familiesAsk && !state.drafts.some((d) => d.record.metric === "event_attendance")) state.asks.push(state.familiesAsk);
  if (state.perCapitaOnly && state.drafts.length === 0 && state.asks.length === 0) state.asks.push(state.perCapitaOnly);
  // 借了62本还了58本都是西馆的: the closing scope may share the clause of the last figures.
  state.trailingBranch ??= closingBranch(input);
  if (state.trailingBranch) {
    for (const draft of state.drafts) if (!draft.explicitBranch) draft.record.branch = state.trailingBranch;
  }
  for (const draft of state.drafts) {
    if (draft.record.subsetOf !== undefined) draft.parent = state.drafts[draft.record.subsetOf];
  }
  const records = toRecords(dropRunningTotals(audiences(exactOverApproximate(partsAndTotals(partsOfDay(state.drafts, state.asks))))));
  return {
    records,
    asks: [...new Set(state.asks)],
    droppedAsPlan: state.droppedAsPlan,
    droppedAsPledge: state.droppedAsPledge,
    boundAliases: state.boundAliases,
  };
}


/**
 * 市馆去年到馆80多万人次: a clause led by a library that is not one of ours (县馆 is, where the directory lists it).
 * Not where our staff went (参加省馆业务培训): then it only names a place.
 */
function namesOtherLibrary(clause: Clause): boolean {
  return [...clause.text.matchAll(OTHER_LIBRARY)].some((match) => /^[\s@]*(?:听说|据说)?$/.test(clause.text.slice(0, match.index))
    && !clause.tokens.some((t) => t.type === "lex" && t.entry.branch !== undefined && t.text.includes(match[0])));
}

/** A question clause in a mixed message still names dates and branches for what follows. */
function updateScopesOnly(clause: Clause, state: State, input: ReportInput): void {
  for (const token of clause.tokens) {
    if (token.type === "date") state.date = narrowerDate(state.date, token.date);
    if (token.type === "lex" && token.entry.branch && !isDestination(input.text, token.start, token.end)) state.branches = [token.entry.branch];
  }
}

function processClause(clause: Clause, state: State, input: ReportInput): void {
  // 《冬夜读书单》阅读量破了3000: the words of a title say nothing about the clause.
  // （积压的还书多）: a remark in brackets says nothing about the clause's figures either.
  const words = clause.text.replace(/《[^》]*》/g, "").replace(/\([^()\d]*\)/g, "");
  const flags = {
    plan: PLAN.test(words) || CAPACITY.test(words) || HEDGE.test(words) || state.announced,
    /** A plan, rule or announcement (not a hedge): nothing to ask about even when its figure is vague. */
    settledPlan: PLAN.test(words) || CAPACITY.test(words) || state.announced,
    /** Dropped without making the message a plan: comparisons, habits, hypotheticals. */
    notHappened: REFERENCE.test(words) || HYPOTHETICAL.test(words) || ALREADY_REPORTED.test(words)
      || BALANCE.test(words) || WIDER_SCOPE.test(words) || state.benchmark
      || HEARSAY.test(words) || MILESTONE.test(words) || MEMBERSHIP.test(words) || namesOtherLibrary(clause),
    prizes: PRIZES.test(words),
    anecdote: ANECDOTE.test(words),
    pledge: PLEDGE.test(words),
    each: clause.tokens.some((t) => isWord(t, "each")),
    respectively: clause.tokens.some((t) => isWord(t, "respectively")),
    average: clause.tokens.some((t) => isWord(t, "average")),

    // 全天累计到馆405人: what the day added up to is the day's count, not a running total.
    cumulative: clause.tokens.some((t, i) => isWord(t, "cumulative") && !/(?:全天|全日|当天|当日|一天|整天)\s*$/.test(input.text.slice(Math.max(0, t.start - 3), t.start))),
  };
  // 周六到馆528人次，周日611人次；两天借阅共1,043册次，还书986册次: "the two days" are the days just reported.
  if (/(?:这|两|三|这两|这几|这三)天/.test(clause.text) && !clause.tokens.some((t) => t.type === "date")) {
    const days = spanOfDays(state.drafts);
    if (days) {
      const start = clause.tokens[0]?.start ?? 0;
      state.date = { start, end: start, span: days, label: "这几天", isDay: false, future: false };
    }
  }
  // 总馆今天到馆980，五天加起来到馆5,412人次: the last N days added up, a running total beside today's figure.
  const lastDays = LAST_DAYS_TOTAL.exec(clause.text);
  const dayCount = lastDays ? smallCount(lastDays[1]!) : undefined;
  if (dayCount !== undefined && dayCount > 1 && !clause.tokens.some((t) => t.type === "date") && !spanOfDays(state.drafts)) {
    const end = state.date ? resolveForReport(state.date, input.today).span.to : input.today;
    const start = clause.tokens[0]?.start ?? 0;
    state.clauseOnlyDate = { previous: state.date };
    state.date = { start, end: start, span: { from: end - dayCount + 1, to: end }, label: lastDays![0], isDay: false, future: false };
    flags.cumulative = true;
  }
  state.currentClausePlanned = flags.plan || flags.pledge || flags.notHappened
    || (state.previousClausePlanned && !clause.tokens.some((t) => t.type === "lex" && (t.entry.metrics || t.entry.eventType)) && !ACTUAL.test(clause.text));
  // （含今天）: 含 before a day says what the period includes, not a part hidden in a total.
  const containsPart = clause.tokens.some((t, i) => isWord(t, "contains") && clause.tokens[i + 1]?.type !== "date");
  if (containsPart && clause.tokens.some((t) => t.type === "number")) {
    state.asks.push("「含」的部分是否已算在总数里？请分别报一下各项的数。");
    return;
  }
  // 每人4个学时: hours per person or in all? Ask rather than multiply or store one person's figure.
  // 5名志愿者…每人干了3个小时: hours per person times the people counted in the message; with nobody counted,
  // ask rather than store one person's figure.
  const headCount = PER_PERSON_HOURS.test(clause.text) && !flags.plan
    ? [...state.drafts].reverse().find((d) => d.record.unit === "人次" && ["volunteer_attendances", "staff_trainings", "event_attendance"].includes(d.record.metric))
    : undefined;
  if (PER_PERSON_HOURS.test(clause.text) && !flags.plan && !headCount) {
    state.asks.push("「每人」的学时是每人的数还是合计？请报合计学时。");
    return;
  }

  if (combinedMetricsNumber(clause.tokens)) {
    state.asks.push("借书和还书请分别报一下各是多少。");
    return;
  }
  // 人民路书房开放以来累计到馆1万2千人次: a total since a start the message does not date.
  if (SINCE_OPENING.test(clause.text) && clause.tokens.some((t) => t.type === "number") && !clause.tokens.some((t) => t.type === "date") && !flags.plan && !flags.notHappened) {
    state.asks.push("这个累计数是从哪天开始算的？请说开始日期，或报本周（本月）新增的数。");
    return;
  }
  // 今天咱馆加上流动车总共借出去400来本: one figure for two places; ask for each.
  const places = COMBINED_PLACES.exec(clause.text);
  if (places && clause.tokens.some((t) => t.type === "number") && !flags.plan && !flags.notHappened) {
    const name = (place: string) => place.replace(/^(?:今天|昨天|前天|今日|天|日)/, "");
    state.asks.push(`${name(places[1] ?? places[3]!)}和${name(places[2] ?? places[4]!)}的数请分开报，各是多少？`);
    return;
  }
  // 「到馆248，借书175，都是城西的」: a closing clause that names the branch of everything before it.
  const scopeBranch = clause.tokens.find((t) => t.type === "lex" && t.entry.branch !== undefined);
  // 到馆的才63人，借阅48册，东馆: a branch alone at the very end of a message signs what came before it.
  const signsOff = scopeBranch?.type === "lex" && state.drafts.length > 0 && clause === input.clauses[input.clauses.length - 1]
    && /^\s*(?:的|的数据|的数|那边|这边)?\s*[。.!！~]*\s*$/.test(input.text.slice(scopeBranch.end, clauseEnd(clause)))
    && clause.tokens.indexOf(scopeBranch) === clause.tokens.findIndex((t) => !(t.type === "text" && t.text.trim() === ""));
  if (scopeBranch?.type === "lex" && !clause.tokens.some((t) => t.type === "number") && (TRAILING_SCOPE.test(clause.text) || signsOff)) {
    state.trailingBranch = scopeBranch.entry.branch;
    return;
  }
  const draftsBefore = state.drafts.length;
  const aliases: AliasUse[] = [];
  const pairs = flags.respectively ? pairMetricsRespectively(clause.tokens) : new Map<number, number>();
  let clauseBranches: string[] | undefined;
  let pendingTrigger: string | undefined;
  let level: string | undefined;
  let respectivelyIndex = 0;
  let respectivelyTypes = 0;
  let sawSubsetWord = false;
  let destinationListed = false;
  let labelStart = 0;
  let bracketOpenedAt = -1;
  let subsetBranch: string | undefined;

  clause.tokens.forEach((token, index) => {
    if (token.type === "date") {
      // 本月新办证到今天共96张: 到今天 ends the period named before it; it does not narrow it to today.
      const untilNow = /(?:到|至|截至|截止到?)\s*$/.test(input.text.slice(Math.max(0, token.start - 3), token.start)) && /今天|今日|现在|目前/.test(token.text)
        && state.date !== undefined && !state.date.isDay && state.date.span.from <= token.date.span.to && state.date.span.to >= token.date.span.to;
      if (untilNow) return;
      // 比国庆期间少多了, 跟去年同期比: a period compared with is not the figures' period.
      if (/(?:比|较|跟)\s*$/.test(input.text.slice(Math.max(0, token.start - 2), token.start))) return;
      // 今天周末: the day said first is the day; the weekend only describes it.
      const previous = previousMeaningful(clause.tokens, index);
      if (previous?.type === "date" && previous.date === state.date && state.date.isDay
        && token.date.span.from <= state.date.span.from && token.date.span.to >= state.date.span.to) return;
      state.date = joinedDate(clause.tokens, index, state.date) ?? narrowerDate(state.date, token.date);
      return;
    }
    if (token.type === "lex") {
      const entry = token.entry;
      if (entry.word === "subset") {
        const parent = lastTotalIndex(state.drafts);
        if (parent === undefined && !flags.plan && !flags.pledge && clause.tokens.some((t) => t.type === "number")) {
          state.asks.push("「其中」是哪个总数的一部分？请连同总数一起报。");
        }
        state.subsetParent = parent;
        state.subsetDate = state.date;
        sawSubsetWord = true;
        labelStart = token.end;
        return;
      }
      if (entry.word === "level") {
        level = entry.text;
        return;
      }
      if (entry.branch) {
        // 图书车这周跑了石桥、和平两个点: places visited, and the ones listed with them, are not who reports.
        const listedAfterDestination = destinationListed && isWord(previousMeaningful(clause.tokens, index), "and");
        // 图书车今天在和平街道服务点: once the reporter is named, a branch after 在 is where it went.
        const placeOfReporter = /在\s*$/.test(input.text.slice(Math.max(0, token.start - 2), token.start)) && (Boolean(clauseBranches?.length) || state.branches.length > 0);
        // 石桥分馆参加县馆组织的培训: once the reporter is named, a branch that organised something is not who reports.
        const organiser = /^\s*(?:组织|主办|举办|牵头|承办)的/.test(input.text.slice(token.end, token.end + 4)) && (Boolean(clauseBranches?.length) || state.branches.length > 0);
        // 图书车今天石桥镇东风村借出64本, 石桥镇中心小学: a place named after the branch's name is where, not who.
        const placeWithin = /^(?![在停跑去到送开来和与及、])[镇乡街]?[\u4e00-\u9fa5]{1,3}?(?:村|社区|小学|中学|学校|幼儿园|广场|公园)/.test(input.text.slice(token.end, token.end + 7));
        destinationListed = isDestination(input.text, token.start, token.end) || listedAfterDestination || placeOfReporter || organiser || placeWithin;
        if (destinationListed) return;
        // 其中少儿馆30人: a label inside the breakdown; it is the part's branch when the total has none.
        if (state.subsetParent !== undefined) {
          subsetBranch = entry.branch;
          return;
        }
        const previous = previousMeaningful(clause.tokens, index);
        // 总馆、少儿馆各… lists branches; 总馆11240、少儿馆4680 starts a new item after a figure.
        const beforeAnd = previous && isWord(previous, "and") ? previousMeaningful(clause.tokens, clause.tokens.indexOf(previous)) : undefined;
        const listed = previous && ((isWord(previous, "and") && beforeAnd?.type === "lex" && beforeAnd.entry.branch !== undefined)
          || (previous.type === "lex" && previous.entry.branch !== undefined));
        if (clauseBranches && listed) {
          clauseBranches.push(entry.branch);
        } else {
          clauseBranches = [entry.branch];
        }
        state.branches = clauseBranches;
        return;
      }
      // 绘本阅读1场，参与亲子42人: 亲子 right before a head count names who came, not another activity.
      // 到场亲子家庭18组: 亲子家庭 are who came.
      if (entry.eventType && AUDIENCE_TRIGGERS.has(entry.text) && /^\s*家庭/.test(input.text.slice(token.end))) return;
      if (entry.eventType && AUDIENCE_TRIGGERS.has(entry.text) && index > 0) {
        const next = clause.tokens[index + 1];
        if (next?.type === "number" && personCountUnit(next) && aliases.some((a) => a.token.entry.metrics?.includes("event_attendance"))) return;
      }
      // 科普实验课堂: a form word (课堂) right after the kind of activity is part of its name.
      const previousToken = clause.tokens[index - 1];
      if (FORM_WORDS.has(entry.text) && previousToken?.type === "lex" && previousToken.entry.eventType !== undefined && previousToken.end === token.start) return;
      // 收到读者投稿灯谜156条: what readers sent in is not what the library submitted.
      if (entry.text === "投稿" && /(?:读者|市民|群众|网友|小朋友|学生|家长|居民)\s*$/.test(input.text.slice(Math.max(0, token.start - 3), token.start))) return;
      if (entry.metrics || entry.eventType) {
        aliases.push({ token, index, used: new Set() });
        if (entry.eventType) {
          pendingTrigger = entry.eventType;
          state.lastTrigger = entry.eventType;
          state.eventTypesSeen.add(entry.eventType);
        }
      }
      return;
    }
    if (token.type === "text" && /^\s*\(/.test(token.text) && previousMeaningful(clause.tokens, index)?.type === "number" && state.drafts.length > 0) {
      // 到馆139人（读者自助入馆112人，团体参观27人）: a bracket right after a figure breaks it down, like 其中.
      state.subsetParent = state.drafts.length - 1;
      state.bracketParent = state.drafts.length - 1;
      bracketOpenedAt = index;
      state.subsetDate = state.date;
      state.dateOutsideBracket = state.date;
      labelStart = token.end;
      return;
    }
    if (token.type === "text" && /\)/.test(token.text) && state.bracketParent !== undefined) {
      // （国庆七天接待6,830人次）: a day named inside the bracket stays inside it.
      state.subsetParent = undefined;
      state.bracketParent = undefined;
      state.date = state.dateOutsideBracket;
      return;
    }
    if (token.type !== "number") return;
    if (token.personNoun && SPEECH_AFTER_PEOPLE.test(input.text.slice(token.end))) return;
    // 下午三点那会儿在馆95人: how many were inside at one moment is not how many came.
    if (IN_BUILDING_BEFORE.test(input.text.slice(Math.max(0, token.start - 6), token.start))) return;
    // 元旦三天假期各馆正常开放, 放假7天: the length of a holiday is not days open.
    if (token.unit === "天" && (HOLIDAY_AFTER.test(input.text.slice(token.end)) || HOLIDAY_BEFORE.test(input.text.slice(0, token.start)))) return;
    // 参与亲子家庭18组 (the noun before the number) is families as much as 18组家庭.
    const familiesBefore = token.unit !== undefined && /^(?:组|户|个|家)$/.test(token.unit)
      && /家庭\s*(?:有|是|共|共计|:|：)?\s*$/.test(clause.text.slice(0, token.start - clauseStart(clause)));
    if (token.families || familiesBefore) {
      if (flags.plan || flags.pledge) state.droppedAsPlan = true;
      // 来了28组家庭，大人小孩一共61人: asked only if no head count follows (see buildReport).
      else state.familiesAsk ??= familiesBefore ? "家庭数不是人数，请报参与人数（人次）。" : `「${token.text.trim()}家庭」是家庭数，请报参与人数（人次）。`;
      return;
    }
    // 到馆加借阅一共300 (ask) / 亲子活动和讲座各1场 (one record each) / 讲座和展览共3场 (all types).
    const group = joinedAliasesBefore(clause.tokens, index, token, input);
    if (group && !pairs.has(index)) {
      if (flags.plan || flags.pledge) {
        state.droppedAsPlan = true;
        return;
      }
      if (flags.notHappened) return;
      const metrics = new Set(group.map((g) => g.metric.key));
      if (!flags.each && metrics.size > 1) {
        state.asks.push(`「${clause.text.trim()}」是几项加在一起的数吗？请分别报一下各是多少。`);
        return;
      }
      if (token.numeral.kind !== "exact" || token.upperBound || token.splitDigits) {
        state.asks.push(`「${token.text.trim()}」具体是多少？`);
        return;
      }
      const dateMatch = state.date;
      const resolvedDate = dateMatch ? resolveForReport(dateMatch, input.today) : { span: { from: input.today, to: input.today }, future: false };
      if (resolvedDate.future) {
        state.droppedAsPlan = true;
        return;
      }
      const items = flags.each ? group : [{ metric: group[0]!.metric }];
      const branches = branchesFor(state, clauseBranches, input);
      if (dateOrBranchAsk(clause, state, flags)) return;
      if (branches.length > 1) {
        state.asks.push(`${branches.join("和")}的数据请分开报，各是多少？`);
        return;
      }
      state.boundAliases += 1;
      for (const item of items) {
        const record: ParsedRecord = {
          metric: item.metric.key, value: roundValue(toCanonical(item.metric, token.numeral.value, token.unit)), unit: item.metric.unit,
          approx: token.approx, date: recordDays(item.metric, resolvedDate.span),
        };
        if (branches[0]) record.branch = branches[0];
        if (item.eventType) record.eventType = item.eventType;
        const explicitBranch = Boolean(clauseBranches?.length) || state.branches.length > 0;
        state.drafts.push({ record, explicitDate: dateMatch !== undefined, explicitBranch, cumulative: flags.cumulative, resolved: item });
        state.lastBound = item;
      }
      for (const t of group) state.eventTypesSeen.add(t.eventType ?? "");
      pendingTrigger = undefined;
      return;
    }
    const pairedIndex = pairs.get(index);
    const paired = pairedIndex === undefined ? undefined : pairedAlias(clause.tokens[pairedIndex], token, input);
    // （上午503 下午713）借出图书958册: a bare part inside a bracket explains the total before it, not the words after it.
    const bracketTotalDraft = state.bracketParent === undefined ? undefined : state.drafts[state.bracketParent];
    const bareInBracket = bracketTotalDraft !== undefined && !aliases.some((a) => a.index > bracketOpenedAt && a.index < index)
      && (token.unit === undefined || acceptsUnit(bracketTotalDraft.resolved.metric, token.unit));
    let bound = paired ?? (bareInBracket ? bracketTotalDraft.resolved : bindNumber(token, index, clause, aliases, state, input));
    const labelText = clause.text.slice(labelStart - clauseStart(clause), token.start - clauseStart(clause));
    labelStart = token.end;
    if (!bound) {
      if (clauseBranches && clauseBranches.length > 1 && !flags.each && !flags.respectively && !flags.plan && !flags.notHappened) {
        state.asks.push(`${clauseBranches.join("和")}的数据请分开报，各是多少？`);
      }
      // 今天下雨 来的人不到10个: a vague head count of people who came, beside other figures, is asked about.
      const vague = token.upperBound || token.numeral.kind === "range";
      // 读书会人不多，估计不到20个: the same when the people were named just before.
      const peopleNamed = /来|进馆|到馆|入馆/.test(clause.text) || /人(?!次)|读者|孩子|小朋友|家长|借书的|还书的|办证的|来(?!了?\s*[\d一二三四五六七八九十两])/.test(input.text.slice(0, token.start));
      // 估计不到20个: a hedge is still a figure to ask about (a plan is not).
      if (vague && (personCountUnit(token) || token.unit === undefined) && peopleNamed && !flags.settledPlan && !flags.notHappened) {
        const what = state.lastTrigger ? "参与人数" : /到馆|进馆|入馆/.test(input.text) ? "到馆人数" : "人数";
        state.asks.push(`「${clause.text.trim()}」——${what}具体是多少？`);
      }
      return;
    }
    // 志愿者服务情况：共有19人次参与: with no activity named anywhere, 参与 under a heading counts what the heading names.
    const earlier = [...aliases].reverse().find((a) => a.index < index && a.used.size === 0 && a.token.entry.metrics && !a.token.entry.eventType && !WEAK_ALIASES.has(a.token.text)
      && resolveMetric(input.lexicon, a.token.entry, token.unit)?.metric.key !== "event_attendance" && resolveMetric(input.lexicon, a.token.entry, token.unit));
    const heading = earlier ? resolveMetric(input.lexicon, earlier.token.entry, token.unit)
      : state.headingAlias ? resolveMetric(input.lexicon, state.headingAlias, token.unit) : undefined;
    if (bound.metric.key === "event_attendance" && !bound.eventType && heading && heading.metric.key !== "event_attendance"
      && state.eventTypesSeen.size === 0 && !state.drafts.some((d) => d.record.metric === "events") && !aliases.some((a) => isGenericEvent(a.token.entry))) {
      bound = heading;
    }
    // 采购总额从近500万压到350万: a figure with no unit where money is talked about is money, not books.
    if (token.unit === undefined && MONEY_TALK.test(clause.text) && bound.metric.unit !== "元" && bound.metric.unit !== "万元") return;
    const viaEllipsis = !aliases.some((a) => a.index < index) && !aliases.some((a) => a.index > index);
    const organised = bound.metric.key === "events" && !aliases.some((a) => a.index < index) && (token.unit === "场" || token.unit === "场次");
    if (viaEllipsis && state.previousClausePlanned && !organised && !ACTUAL.test(clause.text)) {
      state.droppedAsPlan = true;
      return;
    }
    state.boundAliases += 1;
    // 今天到馆123还是132来着: two candidate figures; ask which.
    const alternative = /^\s*还是\s*(\d+)/.exec(input.text.slice(token.end));
    if (alternative && !flags.plan) {
      state.asks.push(`${bound.metric.shortName}是${token.text.trim()}还是${alternative[1]}？请核对后报一下。`);
      return;
    }
    // 库房里还有大概两三千册没上架, 预计两三百人: what did not happen is not asked about, however vague.
    if (flags.notHappened) return;
    if (flags.settledPlan && !flags.pledge) {
      state.droppedAsPlan = true;
      return;
    }
    if (token.splitDigits) {
      state.asks.push(`「${token.text.trim()}」是 ${token.splitDigits} 吗？`);
      return;
    }
    const numeral = token.numeral;
    if (numeral.kind === "range") {
      state.asks.push(`「${token.text.trim()}」是个范围，${bound.metric.shortName}具体是多少？`);
      return;
    }
    if (token.upperBound) {
      state.asks.push(`「${clause.text.trim()}」——${bound.metric.shortName}具体是多少？`);
      return;
    }
    if (flags.pledge) {
      state.droppedAsPledge = true;
      return;
    }
    // 周末到馆好像有一千出头？我再核一下: a hedged figure for a day gone by is asked about, not guessed or dropped
    // (a hedge about days ahead, 明天可能来200人, is a plan).
    if (HEDGE.test(clause.text) && !flags.settledPlan && bound.metric.behaviour === "day_counter" && !(state.date && resolveForReport(state.date, input.today).future)) {
      state.asks.push(`${bound.metric.shortName}是${token.text.trim()}吗？请核对后报一下。`);
      return;
    }
    const perPerson = headCount !== undefined && token.unit !== undefined && /学时|课时|小时/.test(token.unit);
    // 读书会3场 参与者共计47人次 人均读书2本: only the figure after 人均 is a ratio.
    if (flags.plan) {
      state.droppedAsPlan = true;
      return;
    }
    // 职工人均培训学时55学时: a per-head figure is not the total; asked for when it is all the message gives.
    if (wordSincePreviousNumber(clause.tokens, index, "per_capita") && !perPerson) {
      state.perCapitaOnly ??= `「${clause.text.trim()}」是人均数，请报合计（例如全年培训学时合计）。`;
      return;
    }
    if (flags.notHappened) return;
    if (flags.prizes && bound.metric.unit === "人次") return;
    if (flags.anecdote && bound.metric.behaviour === "day_counter") return;
    // 有两位读者证件不全没办成: what did not get done is no count of what was done.
    if (NOT_DONE_AFTER.test(input.text.slice(token.end, clauseEnd(clause)))) return;
    // 比3月多了3场: a difference from another period is not a count of this one.
    const sincePrevious = textSincePreviousNumber(clause, index);
    if (DIFFERENCE_BEFORE.test(sincePrevious)) return;
    // 活动两场，上午下午各一场: how the count just given was spread over the day.
    // （市电视台、晚报各一次）: the same, for the parts named inside a bracket.
    const spreadOver = /(?:上午|下午|晚上|白天|上下午)[^，,。;；]{0,4}各\s*$/.test(sincePrevious) || (state.bracketParent !== undefined && /各\s*$/.test(sincePrevious));
    if (spreadOver && state.drafts.slice(state.sentenceStart).some((d) => d.record.metric === bound.metric.key)) return;
    // 座位320个（改造后新增80个）, 数字资源新增了0.5TB, 原来320个: a change in a stock, or its old level, is not its level.
    // 检查农家书屋15家: places visited or inspected are not how many there are.
    if (bound.metric.behaviour === "stock" && INSPECTED_BEFORE.test(sincePrevious)) return;
    // 开放时间由56小时调整为70小时: the level before the change; its words still name the level after it.
    const oldLevel = bound.metric.behaviour === "stock" && (STOCK_CHANGE_BEFORE.test(sincePrevious) || STOCK_BEFORE_NOW.test(sincePrevious));
    if (oldLevel || (/(?:由|从)\s*$/.test(sincePrevious) && CHANGED_TO_AFTER.test(input.text.slice(token.end)))) {
      for (const alias of aliases) alias.used.delete(bound.metric.key);
      return;
    }
    // 周六周日两天 9:00-17:00 开放: opening hours announced, not days counted.
    if (bound.metric.key === "open_days" && clause.tokens.some((t) => t.type === "mask" && /\d\s*[:：]\s*\d{2}\s*[-~到至]/.test(t.text))) return;
    if (dateOrBranchAsk(clause, state, flags)) return;
    let resolved = bound;
    // 线上直播讲座观看人数1.5万: people counted after 线上/直播 watched online, whatever the event.
    if (resolved.metric.key === "event_attendance" && aliases.some((a) => a.index < index && a.token.entry.metrics?.includes("online_participation"))) {
      const online = input.lexicon.metrics.get("online_participation");
      if (online && acceptsUnit(online, token.unit)) resolved = { metric: online };
    }
    // （读者自助入馆112人，团体参观27人）: inside a bracket every figure in the total's unit explains the total.
    const bracketTotal = state.bracketParent === undefined ? undefined : state.drafts[state.bracketParent];
    if (bracketTotal && bracketTotal.resolved.metric.key !== resolved.metric.key && acceptsUnit(bracketTotal.resolved.metric, token.unit)
      && resolved.metric.unit === bracketTotal.resolved.metric.unit) {
      resolved = bracketTotal.resolved;
    }
    // 馆藏总量32.6万册，其中电子图书8万册: under a stock total a flow's words name the stock it adds to.
    const stockParent = state.subsetParent === undefined ? undefined : state.drafts[state.subsetParent];
    const stockKey = input.lexicon.stocks.get(resolved.metric.key);
    const stock = stockKey ? input.lexicon.metrics.get(stockKey) : undefined;
    if (stock && stockParent?.resolved.metric.behaviour === "stock" && acceptsUnit(stock, token.unit)) resolved = { metric: stock };
    // 今天5个志愿者服务了3个小时: fewer hours than volunteers reads as each one's shift; ask rather than store 3.
    const heads = [...state.drafts].reverse().find((d) => d.record.metric === "volunteer_attendances");
    if (resolved.metric.key === "volunteer_hours" && heads && numeral.value < heads.record.value && !wordSincePreviousNumber(clause.tokens, index, "total")
      && !wordSincePreviousNumber(clause.tokens, index, "per_capita") && !flags.cumulative) {
      state.asks.push(`${heads.record.value}位志愿者服务${numeral.value}${token.unit ?? "小时"}，是每人${numeral.value}${token.unit ?? "小时"}吗？请报合计时长。`);
      return;
    }
    // 本月职工参加业务培训45人次，培训学时累计120学时 / 组织全县分馆管理员业务培训，参加培训34人次: training for the
    // library's own staff counts as staff training, its hours as the staff's.
    const forStaff = state.drafts.some((d) => d.record.metric === "staff_trainings") || STAFF_WORDS.test(input.text);
    // 馆员参加省馆业务培训，共9人次参加: people counted after the staff's own training words are those trainees.
    const staffTrainingNamed = input.clauses.some((c) => c.tokens.some((t) => t.type === "lex" && t.entry.metrics?.includes("staff_trainings") && t.start < token.start));
    const staffKey = resolved.metric.key === "training_hours" ? "staff_training_hours"
      : resolved.metric.key === "event_attendance" && ((bound.eventType ?? state.lastTrigger) === "training" || staffTrainingNamed) ? "staff_trainings" : undefined;
    const staffMetric = forStaff && staffKey ? input.lexicon.metrics.get(staffKey) : undefined;
    if (staffMetric && acceptsUnit(staffMetric, token.unit)) resolved = { metric: staffMetric };
    // 故事会2场，每场20个孩子: per event × the number of events just reported.
    // 3次课…每次2学时: hours per session × the sessions just reported, the same way.
    const perEvent = ["event_attendance", "training_hours", "staff_training_hours"].includes(resolved.metric.key) ? perEventMultiplier(clause, token, state) : undefined;
    if (flags.average && resolved.metric.behaviour !== "derived" && perEvent === undefined) {
      const averageKey = input.lexicon.averages.get(resolved.metric.key);
      const average = averageKey ? input.lexicon.metrics.get(averageKey) : undefined;
      if (!average) return;
      resolved = { metric: average };
    }
    const dateMatch = state.date;
    let resolvedDate = dateMatch ? resolveForReport(dateMatch, input.today) : { span: { from: input.today, to: input.today }, future: false };
    // 2027年报刊征订工作已完成，共订128种: next year names what the work is for; the work is done today.
    if (resolvedDate.future && dateMatch && /^\d{4}年度?$/.test(dateMatch.label) && /已完成|已经完成|完成了|已全部|已订|已签/.test(input.text)) {
      resolvedDate = { span: { from: input.today, to: input.today }, future: false };
    }
    if (resolvedDate.future) {
      state.droppedAsPlan = true;
      return;
    }
    // 图片展…截至今天参观人数累计2300多人次: a running total of one programme has its own start, not 1 January;
    // ask for it (nlp.md §9).
    if (flags.cumulative && state.date?.until && (resolved.metric.key === "event_attendance" || resolved.metric.key === "events")
      && !/今年|本年|全年|年度|\d{4}年/.test(input.text)) {
      state.asks.push("这个累计数是从哪天开始算的？请说开始日期，或报本周（本月）新增的数。");
      return;
    }
    // 周六8人，周日11人，共服务76小时: a total after figures for single days covers those days.
    const daysSpan = !clause.tokens.some((t) => t.type === "date") && wordSincePreviousNumber(clause.tokens, index, "total")
      ? spanOfDays(state.drafts.slice(state.sentenceStart)) : undefined;
    if (daysSpan) resolvedDate = { span: daysSpan, future: false };
    // 8月…。数字资源总量目前12.5T: a level given as it stands now is today's, whatever period the message is about.
    const standsNow = resolved.metric.behaviour === "stock" && !clause.tokens.some((t) => t.type === "date") && STANDS_NOW.test(textSincePreviousNumber(clause, index));
    if (standsNow) resolvedDate = { span: { from: input.today, to: input.today }, future: false };
    // 讲座3场、读书会2场，共参与211人次 / 其中讲座4场，展览2场，参与人数累计1340人次: the attendance of all types.
    const lastEvents = [...state.drafts].reverse().find((d) => d.record.metric === "events");
    const typedBreakdown = state.drafts.some((d) => d.record.metric === "events" && d.record.subsetOf !== undefined)
      || (lastEvents !== undefined && lastEvents.record.eventType === undefined);
    const triggerHere = clause.tokens.some((t) => t.type === "lex" && t.entry.eventType !== undefined);
    // …讲座2场 听众96人，故事会4场 小朋友和家长共计173人: only the activities named since the last attendance figure
    // can share a total; here 173 is the storytelling's alone.
    const lastAttendance = state.drafts.findLastIndex((d) => d.record.metric === "event_attendance");
    const currentBranch = state.branches.length === 1 ? state.branches[0] : undefined;
    const typesSince = new Set(state.drafts.slice(Math.max(lastAttendance + 1, state.sentenceStart))
      .filter((d) => d.record.metric === "events" && (currentBranch === undefined || d.record.branch === currentBranch)).map((d) => d.record.eventType));
    // 举办讲座2场、读书会1场，参与131人次: attendance after several kinds, with none of its own, is of them all.
    const totalAcrossTypes = state.eventTypesSeen.size > 1 && (lastAttendance < 0 || typesSince.size !== 1)
      && (wordSincePreviousNumber(clause.tokens, index, "total") || wordSincePreviousNumber(clause.tokens, index, "cumulative")
        || ((typedBreakdown || typesSince.size > 1) && !triggerHere));
    // 讲座和展览一共来了210人: a figure after two activities of the clause belongs to neither alone.
    const typesBefore = new Set(aliases.filter((a) => a.index < index && a.token.entry.eventType !== undefined).map((a) => a.token.entry.eventType));
    // （故事会2场、手工1场、讲座1场）参与162人次: 参与 after several kinds, with no head count between, is of them all.
    const lastHeadCount = clause.tokens.slice(0, index).findLastIndex((t) => t.type === "number" && personCountUnit(t));
    const kindsSinceHeadCount = new Set(aliases.filter((a) => a.index > lastHeadCount && a.index < index && a.token.entry.eventType).map((a) => a.token.entry.eventType));
    const participationBefore = !flags.respectively && !flags.each && kindsSinceHeadCount.size > 1
      && aliases.some((a) => a.index < index && GENERIC_PARTICIPATION.has(a.token.text));
    let eventType = typesBefore.size > 1 && (wordSincePreviousNumber(clause.tokens, index, "total") || participationBefore) ? undefined
      : eventTypeFor(resolved, bound, aliases, pendingTrigger, state, totalAcrossTypes, typesBefore.size === 1);
    // 讲座2场、读书会1场，参与分别为80人次、25人次: the figures go to the activities in the order they were named.
    if (flags.respectively && resolved.metric.key === "event_attendance" && !triggerHere) {
      const types = [...new Set(state.drafts.filter((d) => d.record.metric === "events" && d.record.eventType && !d.parent).map((d) => d.record.eventType!))];
      const figures = clause.tokens.filter((t) => t.type === "number" && personCountUnit(t)).length;
      if (types.length > 1 && types.length === figures) eventType = types[respectivelyTypes++];
    }
    pendingTrigger = undefined;
    const value = roundValue(toCanonical(resolved.metric, numeral.value, token.unit) * (perEvent ?? 1) * (perPerson ? headCount!.record.value : 1));
    const branches = branchesFor(state, clauseBranches, input);
    let targets: Array<string | undefined> = branches;
    if (branches.length > 1) {
      if (flags.each) {
        targets = branches;
      } else if (flags.respectively) {
        targets = [branches[respectivelyIndex]];
        respectivelyIndex += 1;
        if (targets[0] === undefined) {
          state.asks.push("分馆和数字的个数对不上，请分别报一下各馆的数。");
          return;
        }
      } else {
        state.asks.push(`${branches.join("和")}的数据请分开报，各是多少？`);
        return;
      }
    }
    for (const branch of targets) {
      const record: ParsedRecord = {
        metric: resolved.metric.key,
        value,
        unit: resolved.metric.unit,
        approx: token.approx || (perEvent !== undefined && flags.average) || hedgedBefore(clause, token),
        date: recordDays(resolved.metric, resolvedDate.span),
      };
      if (branch) record.branch = branch;
      if (eventType) record.eventType = eventType;
      if (level) record.level = level;
      // 活动156场，参与12,480人次，其中绘本课堂48期: the part belongs to the total of its own metric in the sentence.
      let parentIndex = state.subsetParent;
      if (parentIndex !== undefined && state.bracketParent === undefined && state.drafts[parentIndex]?.record.metric !== record.metric) {
        const sameMetric = state.drafts.findLastIndex((d, i) => i >= state.sentenceStart && i < parentIndex! && d.record.metric === record.metric && d.record.subsetOf === undefined);
        if (sameMetric >= 0) parentIndex = sameMetric;
      }
      const parent = parentIndex === undefined ? undefined : state.drafts[parentIndex];
      if (parent && parent.record.metric === record.metric && sawSubsetWordOrScope(sawSubsetWord, state)) {
        record.subsetOf = parentIndex;
        record.subset = cleanLabel(labelText) || eventType || level || "其中";
        if (parent.record.branch) record.branch = parent.record.branch;
        else if (subsetBranch && !record.metric.startsWith("outreach_")) record.branch = subsetBranch; // 送书下乡…其中河口镇: where, not who
        else delete record.branch;
        subsetBranch = undefined;
        if (state.date === state.subsetDate) record.date = parent.record.date;
        if (record.metric === "events" && !record.eventType) record.eventType = "other";
      }
      const explicitBranch = Boolean(clauseBranches?.length) || state.branches.length > 0;
      const partOfDay = [...clause.text.slice(0, token.start - clauseStart(clause)).matchAll(new RegExp(PART_OF_DAY.source, "g"))].at(-1)?.[0];
      const total = wordSincePreviousNumber(clause.tokens, index, "total");
      // 参加小朋友41人 names who came before the count, 来了32个小朋友 after it.
      const audience = AUDIENCE_BEFORE.exec(clause.text.slice(0, token.start - clauseStart(clause)))?.[1]
        ?? (token.personNoun ? AUDIENCE_AFTER.exec(input.text.slice(token.end))?.[1] : undefined);
      const wholeDay = /全天|全日|一整天|一天下来/.test(textSincePreviousNumber(clause, index));
      state.drafts.push({ record, explicitDate: dateMatch !== undefined || standsNow, explicitBranch, cumulative: flags.cumulative, resolved, partOfDay, total, audience, wholeDay });
    }
    state.lastBound = resolved;
  });
  // 12月第一批新书3千册今天到货了: a day named after the figure, inside the period named before it, is its day.
  const lastNumber = clause.tokens.findLastIndex((t) => t.type === "number");
  const dayAfter = clause.tokens.find((t, i) => i > lastNumber && lastNumber >= 0 && t.type === "date" && t.date.isDay && !resolveForReport(t.date, input.today).future
    && !/(?:含|包括|包含)\s*$/.test(input.text.slice(Math.max(0, t.start - 2), t.start)));
  if (dayAfter?.type === "date") {
    const day = resolveForReport(dayAfter.date, input.today).span;
    for (const draft of state.drafts.slice(draftsBefore)) {
      const { from, to } = draft.record.date;
      const iso = toDayRange(day);
      if (from !== to && from <= iso.from && to >= iso.to) draft.record.date = iso;
    }
  }
  // Only an unambiguous clause carries its words on: 「来馆参观」 would name two metrics.
  // 亲子阅读活动在少儿馆开展，共3场: a trigger with the generic 活动 after it is one phrase, named by the trigger.
  const hasTrigger = aliases.some((a) => a.token.entry.eventType !== undefined);
  const specific = hasTrigger ? aliases.filter((a) => !isGenericEvent(a.token.entry)) : aliases;
  // 有个读者捐了旧书，大概有100来本: 读者 names the donor here; the word that names a metric by itself leads.
  const strong = specific.filter((a) => !WEAK_ALIASES.has(a.token.text));
  // 公众号推文阅读量破万了: an alias written right before another one modifies it; the last one is the head.
  const named = (strong.length > 0 ? strong : specific).filter((a, i, list) => {
    const next = list[i + 1];
    return !(next && next.token.start === a.token.end && !a.token.entry.eventType && !next.token.entry.eventType);
  });
  // 新购图书今天到货2批，共1540册: two words for one metric are still one thing to continue.
  const distinctAliases = new Set(named.map((a) => `${a.token.entry.metrics?.join("|") ?? ""}#${a.token.entry.eventType ?? ""}`));
  state.previousClauseAlias = distinctAliases.size === 1 ? named[named.length - 1]!.token.entry : undefined;
  if (!clause.tokens.some((t) => t.type === "number")) state.headingAlias = state.previousClauseAlias;
  else if (state.lastBound) state.headingAlias = undefined;
}

const CLOSING_SCOPE = /(?:都|均|全|全部)(?:是|为|属于|算)\s*([^,，。;；!！]{1,12}?)\s*的?\s*(?:数据|数)?\s*[。.!！~]*\s*$/;
function closingBranch(input: ReportInput): string | undefined {
  const match = CLOSING_SCOPE.exec(input.text);
  if (!match) return undefined;
  const from = match.index;
  const branch = input.clauses.flatMap((c) => c.tokens).find((t) => t.type === "lex" && t.entry.branch !== undefined && t.start >= from);
  return branch?.type === "lex" ? branch.entry.branch : undefined;
}

/** 25个 / 30人 / 12名: a unit that counts people. */
function personCountUnit(token: NumberToken): boolean {
  return token.personNoun === true || (token.unit !== undefined && (PERSON_UNITS.has(token.unit) || token.unit === "个"));
}

/** 今天差不多借出去200本: an adverb of approximation before the verb still qualifies the figure after it. */
function hedgedBefore(clause: Clause, token: NumberToken): boolean {
  const before = clause.tokens.slice(0, clause.tokens.indexOf(token));
  const since = before.slice(before.findLastIndex((t) => t.type === "number") + 1);
  return since.some((t) => t.type === "text" && /差不多|大概|大约|约莫|将近|估摸/.test(t.text));
}

/**
 * 第3期读书会今天办完了，参加26人: a numbered session reported as held is one event of its kind (nlp.md §3.3: "part of a
 * name; the count is 1"), unless the message counts that kind's events itself. It takes the day and branch of the
 * attendance reported for it; a numbered session with no attendance (第2期读书会圆满结束) records nothing.
 */
function sessionsByOrdinal(state: State, input: ReportInput): void {
  const events = input.lexicon.metrics.get("events");
  if (!events) return;
  for (const [at, clause] of input.clauses.entries()) {
    if (input.skipClauses?.has(at)) continue;
    clause.tokens.forEach((token, index) => {
      if (token.type !== "mask" || !/^第\s*[\d一二三四五六七八九十百两]+$/.test(token.text)) return;
      if (!/^\s*(?:期|场|次|讲)/.test(input.text.slice(token.end))) return;
      const near = clause.tokens.slice(Math.max(0, index - 2), index + 4);
      const trigger = near.find((t) => t.type === "lex" && t.entry.eventType !== undefined);
      if (trigger?.type !== "lex") return;
      const type = trigger.entry.eventType!;
      if (state.drafts.some((d) => d.record.metric === "events" && (d.record.eventType === type || d.record.eventType === undefined))) return;
      const attendance = state.drafts.find((d) => d.record.metric === "event_attendance" && d.record.eventType === type);
      if (!attendance) return; // the day and branch come from what was reported about it
      const record: ParsedRecord = { metric: "events", value: 1, unit: events.unit, approx: false, date: attendance.record.date, eventType: type };
      if (attendance.record.branch) record.branch = attendance.record.branch;
      // Appended, not inserted: 其中 parts point at drafts by index until the parents are linked.
      state.drafts.push({
        record, explicitDate: attendance.explicitDate, explicitBranch: attendance.explicitBranch, cumulative: false, resolved: { metric: events, eventType: type },
      });
    });
  }
}

/** A grammar word between the previous number of the clause (or its start) and the number at `index`. */
function wordSincePreviousNumber(tokens: Token[], index: number, word: NonNullable<LexEntry["word"]>): boolean {
  for (let i = index - 1; i >= 0; i--) {
    const token = tokens[i]!;
    if (token.type === "number") return false;
    if (isWord(token, word)) return true;
  }
  return false;
}

/** 活动, 场活动: the events word that names no type. */
function isGenericEvent(entry: LexEntry): boolean {
  return entry.eventType === undefined && entry.metrics?.length === 1 && entry.metrics[0] === "events";
}

/** 截至11月17日，今年…累计: a period that only restates the year of an "until" date does not widen it. */
function narrowerDate(current: DateMatch | undefined, next: DateMatch): DateMatch {
  // 11月份各馆到馆统计（截至30日）: 截至 inside a month named before runs from that month's start, not 1 January.
  if (current && next.until && !current.isDay && current.span.from > next.span.from && current.span.from <= next.span.to && current.span.to >= next.span.to) {
    return { ...current, span: { from: current.span.from, to: next.span.to }, until: true };
  }
  // 2026年全年: 全年 after a year named is that year, not the current one.
  if (current && /^全年度?$/.test(next.label) && /^\d{4}年度?$/.test(current.label)) return current;
  if (current?.until && !next.isDay && next.span.from <= current.span.from && next.span.to >= current.span.to) return current;
  return next;
}

/** 借还共300: a number counted for 借还 together. 「自助借还：借出132册，归还118册」 names each metric before its number
 * and is not combined. */
function combinedMetricsNumber(tokens: Token[]): boolean {
  const at = tokens.findIndex((t) => isWord(t, "combined"));
  if (at < 0) return false;
  // 借还各50本 is each, not together (handled where 各 distributes).
  if (tokens.slice(at + 1).some((t) => isWord(t, "each"))) return false;
  for (let i = at + 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.type === "lex" && t.entry.metrics) return false;
    if (t.type === "number") return true;
  }
  return false;
}

/** 上周六、周日两天 / 周一和周二: a date joined to the date before it covers both; days with a gap between them
 * (周一和周三共300) are marked so that the record asks instead. */
function joinedDate(tokens: Token[], index: number, current: DateMatch | undefined): DateMatch | undefined {
  const joiner = previousMeaningful(tokens, index);
  if (!current || !isWord(joiner, "and")) return undefined;
  const before = previousMeaningful(tokens, tokens.indexOf(joiner!));
  if (before?.type !== "date" || before.date !== current && before.date.start !== current.start) return undefined;
  const token = tokens[index];
  if (token?.type !== "date") return undefined;
  const first = current.span;
  const second = token.date.span;
  const merged: DateMatch = {
    ...current,
    end: token.date.end,
    span: { from: Math.min(first.from, second.from), to: Math.max(first.to, second.to) },
    label: `${current.label}、${token.date.label}`,
    isDay: false,
    future: current.future || token.date.future,
  };
  const contiguous = first.to + 1 >= second.from && second.to + 1 >= first.from;
  if (!contiguous) scatteredDates.add(merged);
  joinedDates.add(merged);
  return merged;
}

/** Questions that stop a record whatever its metric: scattered days, a total over branches counted by number. */
function dateOrBranchAsk(clause: Clause, state: State, flags: { each: boolean; respectively: boolean }): boolean {
  // 周六和周日分别是300和280: one number per day; ask rather than pair days with numbers.
  const scattered = state.date && (scatteredDates.has(state.date) || state.date.scattered === true);
  const joined = state.date && (joinedDates.has(state.date) || state.date.listed === true);
  if (state.date && (scattered || (joined && (flags.each || flags.respectively)))) {
    state.asks.push(scattered ? `「${state.date.label}」不是连续的日子，请按天分开报。` : `「${state.date.label}」请按天分开报，每天各是多少？`);
    return true;
  }
  // 昨天两个分馆的数：城东到馆210…: branches named one by one have their own figures.
  const namesBranch = clause.tokens.some((t) => t.type === "lex" && t.entry.branch !== undefined);
  if (!flags.each && !flags.respectively && !namesBranch && COUNTED_BRANCHES.test(clause.text)) {
    state.asks.push("几个馆加在一起的数请分馆报，各是多少？");
    return true;
  }
  return false;
}

/** 到馆和借阅分别是120和86: number i after 分别 goes with metric alias i before it, when the counts agree and no
 * list of branches is being paired instead. Keys and values are token indexes in the clause. */
function pairMetricsRespectively(tokens: Token[]): Map<number, number> {
  const pairs = new Map<number, number>();
  const at = tokens.findIndex((t) => isWord(t, "respectively"));
  if (at < 0) return pairs;
  const aliasIndexes: number[] = [];
  let branchesBefore = 0;
  for (let i = 0; i < at; i++) {
    const t = tokens[i]!;
    if (t.type === "number") return pairs;
    if (t.type === "lex" && t.entry.branch) branchesBefore += 1;
    else if (t.type === "lex" && (t.entry.metrics || t.entry.eventType)) aliasIndexes.push(i);
  }
  const numberIndexes = tokens.flatMap((t, i) => (i > at && t.type === "number" ? [i] : []));
  if (aliasIndexes.length < 2 || branchesBefore > 1 || numberIndexes.length !== aliasIndexes.length) return pairs;
  numberIndexes.forEach((n, k) => pairs.set(n, aliasIndexes[k]!));
  return pairs;
}

/** Aliases joined by 和/加/与 right before a number (到馆和借阅共300, 讲座和展览各1场), each resolved with the
 * number's unit; undefined unless two or more distinct ones resolve. */
function joinedAliasesBefore(tokens: Token[], index: number, number: NumberToken, input: ReportInput): ResolvedMetric[] | undefined {
  const group: Array<Extract<Token, { type: "lex" }>> = [];
  let i = index - 1;
  const skip = (t: Token | undefined) => t?.type === "text" && /^(?:\s|数|的|量|人数|一共|共|总共|合计|共计|加起来|是|为|有|了|各|各自|都|:|：)*$/.test(t.text)
    || isWord(t, "total") || isWord(t, "each") || isWord(t, "respectively") || (t?.type === "lex" && t.text === "一共");
  while (i >= 0 && skip(tokens[i])) i--;
  let expectAlias = true;
  for (; i >= 0; i--) {
    const t = tokens[i]!;
    if (t.type === "text" && /^(?:\s|数|的|量|活动)*$/.test(t.text)) continue;
    if (expectAlias && t.type === "lex" && (t.entry.metrics || t.entry.eventType) && !WEAK_ALIASES.has(t.text)) {
      group.unshift(t);
      expectAlias = false;
      continue;
    }
    if (!expectAlias && isWord(t, "and")) {
      expectAlias = true;
      continue;
    }
    break;
  }
  if (group.length < 2 || expectAlias) return undefined;
  const resolved = group.map((t) => resolveMetric(input.lexicon, t.entry, number.unit));
  if (resolved.some((r) => r === undefined)) return undefined;
  const distinct = new Set(resolved.map((r) => `${r!.metric.key}/${r!.eventType ?? ""}`));
  return distinct.size >= 2 ? (resolved as ResolvedMetric[]) : undefined;
}

function pairedAlias(aliasToken: Token | undefined, number: NumberToken, input: ReportInput): ResolvedMetric | undefined {
  if (aliasToken?.type !== "lex") return undefined;
  return resolveMetric(input.lexicon, aliasToken.entry, number.unit);
}

/** 每场20个孩子 after 故事会2场: the number of events to multiply by, when the message just reported it. */
function perEventMultiplier(clause: Clause, token: NumberToken, state: State): number | undefined {
  const before = clause.text.slice(0, token.start - clauseStart(clause));
  if (!/每(?:场|次|期|节|堂|回|个班)(?:活动|讲座)?\s*(?:都|大概|大约|约|差不多|平均)?\s*(?:有|来了|参与|参加)?\s*$/.test(before)) return undefined;
  for (let i = state.drafts.length - 1; i >= 0; i--) {
    const draft = state.drafts[i]!;
    if (draft.record.metric === "events") return draft.record.value;
  }
  return undefined;
}

function sawSubsetWordOrScope(sawSubsetWord: boolean, state: State): boolean {
  return sawSubsetWord || state.subsetParent !== undefined;
}

function clauseStart(clause: Clause): number {
  return clause.tokens[0]?.start ?? 0;
}

/** The clause's text between the previous number (or the clause's start) and the number at `index`. */
function textSincePreviousNumber(clause: Clause, index: number): string {
  const previous = clause.tokens.slice(0, index).findLastIndex((t) => t.type === "number");
  return clause.tokens.slice(previous + 1, index).map((t) => t.text).join("");
}

function clauseEnd(clause: Clause): number {
  return clause.tokens[clause.tokens.length - 1]?.end ?? 0;
}

/** 妇女之家 from 「其中妇女之家4场」, without connecting words. */
function cleanLabel(text: string): string {
  return text.replace(/[\s,，、:：]/g, "").replace(/^(?:其中|包括|有|是|共|另有|还有)/, "").replace(/(?:有|是|共|为)$/, "").slice(0, 20);
}


/** Binds a number to its alias: adjacent before it, a classifier phrase after it (2场讲座), the nearest before it
 * in the clause, the next after it; failing that, the metric of the 其中 total or of the previous clause. */
function bindNumber(
  token: NumberToken,
  index: number,
  clause: Clause,
  aliases: AliasUse[],
  state: State,
  input: ReportInput,
): ResolvedMetric | undefined {
  const tokens = clause.tokens;
  const tryAlias = (use: AliasUse | undefined, allowReuse: boolean, directOnly = false): ResolvedMetric | undefined => {
    if (!use) return undefined;
    const resolved = resolveMetric(input.lexicon, use.token.entry, token.unit, directOnly);
    if (!resolved) return undefined;
    if (!allowReuse && use.used.has(resolved.metric.key)) return undefined;
    use.used.add(resolved.metric.key);
    state.lastAlias = use.token.entry;
    return resolved;
  };
  const reuseOk = tokens.some((t) => isWord(t, "respectively") || isWord(t, "each"));

  // 故事会1场，来了26个小朋友: people who came right after an event are its attendance, not visits.
  // 故事会来了小朋友25个: the event's name is no metric word of its own for people; only 来了 is, and it is weak.
  const plainAliases = aliases.filter((a) => (a.token.entry.eventType === undefined && !isGenericEvent(a.token.entry)) || !personCountUnit(token));
  const onlyWeak = plainAliases.length > 0 && plainAliases.every((a) => WEAK_ALIASES.has(a.token.text));
  // 小朋友一共来了46个: 个 counts people when a person noun comes before it in the clause.
  const personBefore = token.unit === "个" && tokens.slice(0, index).some((t) => t.type === "text" && (PERSON_NOUN.test(t.text) || /人(?:数)?(?:有|是|共|约)?\s*$/.test(t.text)))
    || token.unit === "个" && PERSON_NOUN_ANYWHERE.test(input.text.slice(tokens[0]?.start ?? 0, token.start));
  // 手工课来了21个: 个 right after 来了 counts people who came.
  const cameBefore = token.unit === "个" && /(?:来了?|到了|到场)\s*$/.test(input.text.slice(Math.max(0, token.start - 3), token.start));
  const personCount = token.personNoun || (token.unit !== undefined && PERSON_UNITS.has(token.unit)) || personBefore || cameBefore;
  // 活动127场，服务读者8600人次: the same after an untyped events count just recorded.
  const lastDraft = state.drafts[state.drafts.length - 1];
  const afterEvents = state.lastTrigger !== undefined || (lastDraft?.record.metric === "events" && lastDraft.record.eventType === undefined);
  // 共有42位读者参加了讲座: people who took part in an activity named after them are its attendance.
  if (personCountUnit(token)) {
    const after = tokens.slice(index + 1);
    const verb = after.findIndex((t) => t.type === "lex" && GENERIC_PARTICIPATION.has(t.text));
    const stop = after.findIndex((t) => t.type === "number");
    const activity = verb >= 0 ? after.slice(verb + 1, stop >= 0 ? stop : undefined).find((t) => t.type === "lex" && t.entry.eventType !== undefined) : undefined;
    const attendance = input.lexicon.metrics.get("event_attendance");
    if (activity?.type === "lex" && attendance && (stop < 0 || verb < stop)) return { metric: attendance, eventType: activity.entry.eventType };
  }
  // 还有两个人办了证: people who got a card are new cards, however the count is worded.
  if (personCountUnit(token) && CARDS_AFTER.test(input.text.slice(token.end, token.end + 10))) {
    const cards = input.lexicon.metrics.get("new_cards");
    if (cards) return { metric: cards };
  }
  // 书展布置来了7位志愿者: a noun that counts these people itself (志愿者) names them, whatever event was just named.
  const next = tokens[index + 1];
  const namedAfter = next?.type === "lex" && next.entry.metrics !== undefined && !WEAK_ALIASES.has(next.text)
    && resolveMetric(input.lexicon, next.entry, token.unit, true) !== undefined;
  if ((onlyWeak || plainAliases.length === 0) && personCount && afterEvents && !namedAfter) {
    const attendance = input.lexicon.metrics.get("event_attendance");
    if (attendance) return state.lastTrigger ? { metric: attendance, eventType: state.lastTrigger } : { metric: attendance };
  }

  // 1. Alias right before the number (到馆35人, 到馆是35, 借86还74).
  let adjacent = adjacentAliasBefore(tokens, index, aliases);
  const following = tokens[index + 1];
  const afterModifier = tokens[index + 2];
  const forwardAlias = (following?.type === "lex" && Boolean(following.entry.metrics)
    && resolveMetric(input.lexicon, following.entry, token.unit, true) !== undefined)
    // 来了5名大学生志愿者: the noun after a short modifier names them.
    || (following?.type === "text" && /^[\u4e00-\u9fa5]{1,3}$/.test(following.text) && afterModifier?.type === "lex" && afterModifier.entry.metrics !== undefined
      && !WEAK_ALIASES.has(afterModifier.text) && resolveMetric(input.lexicon, afterModifier.entry, token.unit, true) !== undefined);
  const takesUnit = (a: AliasUse) => resolveMetric(input.lexicon, a.token.entry, token.unit) !== undefined;
  if (adjacent && WEAK_ALIASES.has(adjacent.token.text) && (forwardAlias || aliases.some((a) => a.index < adjacent!.index && !WEAK_ALIASES.has(a.token.text) && takesUnit(a)))) {
    adjacent = undefined;
  }
  // 编目加工新书620册: a noun alias right after a verb alias is its object; the verb names the metric.
  if (adjacent && NOUN_ALIASES.has(adjacent.token.text)) {
    // Within one family the noun is the more specific word: 接受捐赠期刊8234本 is periodicals, not books.
    // 剔除旧期刊50本: a short modifier may sit between the verb and its object.
    const gap = tokens[adjacent.index - 1];
    const verbIndex = gap?.type === "text" && /^[\u4e00-\u9fa5]{1,3}$/.test(gap.text) ? adjacent.index - 2 : adjacent.index - 1;
    const verb = aliases.find((a) => a.index === verbIndex && !NOUN_ALIASES.has(a.token.text) && !WEAK_ALIASES.has(a.token.text));
    const verbMetric = verb ? resolveMetric(input.lexicon, verb.token.entry, token.unit) : undefined;
    const nounMetric = resolveMetric(input.lexicon, adjacent.token.entry, token.unit);
    const sameFamily = verbMetric?.metric.family !== undefined && verbMetric.metric.family === nounMetric?.metric.family;
    if (verb && verbMetric && !sameFamily) adjacent = verb;
  }
  // 古籍保护宣传活动…3次: 活动 right after a metric's own words is part of that name when that metric takes the unit
  // (志愿服务活动2场 stays events).
  const nameOf = (use: AliasUse | undefined): AliasUse | undefined => {
    if (!use || !isGenericEvent(use.token.entry)) return use;
    const namedBy = aliases.find((a) => a.index === use.index - 1 && !a.token.entry.eventType);
    return namedBy && resolveMetric(input.lexicon, namedBy.token.entry, token.unit, true) ? namedBy : use;
  };
  adjacent = nameOf(adjacent);
  // 电子阅览室接待了二十来人: 接待 right after a place's own word is that place's count.
  if (adjacent && /^接待了?$/.test(adjacent.token.text)) {
    const between = (a: AliasUse) => tokens.slice(a.index + 1, adjacent!.index).every((t) => t.type === "date" || (t.type === "text" && t.text.trim() === ""));
    const place = aliases.find((a) => a.index < adjacent!.index && a.index >= adjacent!.index - 3 && between(a));
    if (place && resolveMetric(input.lexicon, place.token.entry, token.unit)) adjacent = place;
  }
  // 活动参与人次合计620，其中讲座210: a bare figure after an activity, under an attendance total, is its attendance.
  const parentDraft = state.subsetParent === undefined ? undefined : state.drafts[state.subsetParent];
  if (adjacent?.token.entry.eventType && token.unit === undefined && parentDraft?.record.metric === "event_attendance") {
    adjacent.used.add("event_attendance");
    return { metric: parentDraft.resolved.metric, eventType: adjacent.token.entry.eventType };
  }
  const fromAdjacent = tryAlias(adjacent, reuseOk);
  if (fromAdjacent) return fromAdjacent;

  // 2. A classifier phrase: 2场讲座, 8个志愿者, 5家流动图书馆.
  if (token.unit) {
    const next = tokens[index + 1];
    const nextNext = tokens[index + 2];
    // 5名大学生志愿者: a short modifier may sit between the count and the noun that takes it.
    const modified = next?.type === "text" && /^[\u4e00-\u9fa5]{1,3}$/.test(next.text) && nextNext?.type === "lex" && nextNext.entry.metrics !== undefined
      && !WEAK_ALIASES.has(nextNext.text) && resolveMetric(input.lexicon, nextNext.entry, token.unit, true) !== undefined;
    const forward = next && next.type === "lex" && (next.entry.metrics || next.entry.eventType) ? next
      : next && next.type === "text" && (/^的$/.test(next.text) || modified) && nextNext?.type === "lex" ? nextNext : undefined;
    // 这周三场讲座的PPT都放共享盘了: the count describes another noun, it reports nothing.
    const afterForward = forward ? tokens[tokens.indexOf(forward) + 1] : undefined;
    if (forward && afterForward?.type === "text" && /^\s*的\s*[\u4e00-\u9fa5A-Za-z]/.test(afterForward.text)) {
      return undefined;
    }
    if (forward && forward.type === "lex") {
      const use = aliases.find((a) => a.token === forward) ?? { token: forward, index: tokens.indexOf(forward), used: new Set<string>() };
      const resolved = tryAlias(use, true, true);
      if (resolved) {
        if (!aliases.includes(use)) aliases.push(use);
        return resolved;
      }
    }
  }

  // 3. The nearest alias before it in the clause (接待读者188人次, 到馆的读者有35人, 讲座2场120人). A weak
  // alias (读者) only counts when nothing more specific comes before it (借书的读者38人 is loan_persons).
  const before = aliases.filter((a) => a.index < index);
  const hasSpecific = before.some((a) => !WEAK_ALIASES.has(a.token.text) && resolveMetric(input.lexicon, a.token.entry, token.unit) !== undefined);
  // 到馆 城东120 城西86: a branch right before the number starts a new item with the same metric.
  const previousToken = previousMeaningful(tokens, index);
  const afterBranch = previousToken?.type === "lex" && previousToken.entry.branch !== undefined;
  for (let i = aliases.length - 1; i >= 0; i--) {
    const use = aliases[i]!;
    if (use.index > index) continue;
    if (hasSpecific && WEAK_ALIASES.has(use.token.text)) continue;
    const resolved = tryAlias(nameOf(use), reuseOk || afterBranch);
    if (resolved) return resolved;
  }

  // 4. An alias after it, before any other number (120人参加, 35人到馆).
  let generic: ResolvedMetric | undefined;
  for (let i = index + 1; i < tokens.length; i++) {
    const next = tokens[i]!;
    // 图书3280本、期刊410本: after 、 the word belongs to the next figure.
    if (next.type === "number" || isWord(next, "and")) break;
    if (next.type === "lex" && (next.entry.metrics || next.entry.eventType)) {
      const use: AliasUse = { token: next, index: i, used: new Set() };
      // 3名同事参加省馆业务培训: 参加 only says they took part; the word after it says in what.
      if (GENERIC_PARTICIPATION.has(next.text) && generic === undefined) {
        generic = resolveMetric(input.lexicon, next.entry, token.unit);
        if (generic) continue;
      }
      const resolved = tryAlias(use, true);
      if (resolved) return resolved;
      break;
    }
  }
  // 两期共参与56人次: 参与 counts people; a count of sessions before it goes on with the activity named earlier.
  if (generic && generic.metric.key !== "events") return generic;

  // 5. Ellipsis: 其中市级三项 (the total's metric), 城东120人，城西86人 (the previous clause's metric).
  if (state.subsetParent !== undefined) {
    const parent = state.drafts[state.subsetParent];
    if (parent && acceptsUnit(parent.resolved.metric, token.unit)) return parent.resolved;
  }
  // 送书二批，共1200册: a clause that opens with 共 goes on with the words of the one before.
  const totalWord = (t: Token) => isWord(t, "total") || isWord(t, "cumulative");
  // 共订128种: a one-character verb may follow 共.
  const opensWithTotal = (tokens.slice(0, index).every((t, i, before) => totalWord(t) || isWord(t, "stop") || (t.type === "text" && LINKING.test(t.text))
    || (t.type === "number" && i === index - 1) // 共1700种5200册: the second figure of the same total
    || (t.type === "text" && /^[\u4e00-\u9fa5]$/.test(t.text) && i > 0 && totalWord(before[i - 1]!)) || (t.type === "text" && /^\s*(?:收集到|完成|达到|计|全天|全日|一天|整天|(?:清点|统计|盘点|核对|核实|数|算|点)(?:了一下|了|下来|完|后|了数)?)\s*$/.test(t.text)))
    && tokens.slice(0, index).some(totalWord))
    // 培训班计划20个学时，目前已经上了8个学时: what actually happened goes on with the planned words.
    || (ACTUAL.test(clause.text) && !aliases.some((a) => a.index < index));
  if (opensWithTotal && token.unit) {
    for (const entry of [state.previousClauseAlias, state.lastAlias]) {
      const resolved = entry ? resolveMetric(input.lexicon, entry, token.unit) : undefined;
      if (resolved) return resolved;
    }
  }
  // 上午83，下午97，合计180: a bare total goes on with the figures just given.
  if (opensWithTotal && !token.unit && state.lastBound && aliases.length === 0) return state.lastBound;
  // 阅览座席原来320个，改造后增加到410个 / 粉丝新增120人，目前3418人: the level a stock now stands at goes on with it.
  const levelWords = !aliases.some((a) => a.index < index && resolveMetric(input.lexicon, a.token.entry, token.unit)) && STOCK_LEVEL_BEFORE.test(clause.text.slice(0, token.start - clauseStart(clause)));
  if (levelWords) {
    for (const entry of [state.previousClauseAlias, state.lastAlias]) {
      const resolved = entry ? resolveMetric(input.lexicon, entry, token.unit) : undefined;
      if (resolved?.metric.behaviour === "stock") return resolved;
    }
  }
  // 今天到馆正常，156人: a figure alone after a clause that named the metric without one.
  const alone = aliases.length === 0 && tokens.every((t, i) => i === index || (t.type === "text" && LINKING.test(t.text)));
  // …还书41本，咨询的不少，大约30次: the clause just before named the metric without a figure.
  if (alone && state.headingAlias) {
    const resolved = resolveMetric(input.lexicon, state.headingAlias, token.unit);
    if (resolved) return resolved;
  }
  // 今天志愿者来了5位，服务了20个小时: a unit the same words' family knows (志愿者 → hours) continues them.
  if (!aliases.some((a) => a.index < index) && state.lastAlias && token.unit && state.lastBound && !acceptsUnit(state.lastBound.metric, token.unit)) {
    const resolved = resolveMetric(input.lexicon, state.lastAlias, token.unit);
    if (resolved && resolved.metric.family !== undefined && resolved.metric.family === state.lastBound.metric.family) return resolved;
  }
  const namesBranch = tokens.some((t, i) => i < index && t.type === "lex" && t.entry.branch !== undefined);
  // 本月到馆12680人次，日均704人次: 日均 goes on with the metric it averages.
  // 周六8人，周日11人 / 到馆 周六156 周日171: a clause led by a day goes on with the metric just reported, like one
  // led by a branch.
  // 周三41、周四38、周五52: after 、 the next day leads its own figure.
  const listedAfter = tokens.slice(0, index).findLastIndex((t) => t.type === "number");
  const sinceListed = listedAfter >= 0 && isWord(tokens[listedAfter + 1], "and") ? listedAfter + 2 : 0;
  const ledByDay = !aliases.some((a) => a.index >= sinceListed && a.index < index) && (sinceListed > 0 || aliases.length === 0)
    && tokens[sinceListed]?.type === "date" && tokens.slice(sinceListed + 1, index).every((t) => t.type === "text" && LINKING.test(t.text));
  // 来馆参观，学生45人，老师3人: a clause led by who came goes on with what they came for.
  // 参加的小朋友25个、家长18个: likewise after 、, for the people named after it.
  const audienceFrom = sinceListed > 0 ? tokens[sinceListed]!.start : clauseStart(clause);
  const ledByAudience = (aliases.length === 0 || sinceListed > 0) && token.unit !== undefined && (PERSON_UNITS.has(token.unit) || token.unit === "个")
    && /^\s*(?:小朋友|孩子|家长|幼儿|学生|老人|居民|儿童|大人|青少年|村民|市民|老师|成人|游客)\s*(?:有|是|共)?\s*$/.test(input.text.slice(audienceFrom, token.start));
  // 来了32个小朋友，28位家长: a clause that is only a count of people named after it does the same.
  const audienceAlone = aliases.length === 0 && token.personNoun === true && AUDIENCE_AFTER.test(input.text.slice(token.end))
    && tokens.every((t, i) => i === index || (t.type === "text" && (LINKING.test(t.text) || AUDIENCE_AFTER.test(t.text) && /^\s*[\u4e00-\u9fa5]{1,3}\s*$/.test(t.text))));
  const namesLevel = tokens.some((t, i) => i < index && (isWord(t, "level") || isWord(t, "average"))) || ledByDay || ledByAudience || audienceAlone;
  // 各馆今日到馆：\n总馆 426: a heading that names a metric and no figure goes on into the lines under it.
  const heading = state.headingAlias ? resolveMetric(input.lexicon, state.headingAlias, token.unit) : undefined;
  const previousWords = state.previousClauseAlias ? resolveMetric(input.lexicon, state.previousClauseAlias, token.unit) : undefined;
  const continued = state.lastBound ?? heading ?? previousWords;
  // 今日到馆：上午96人，下午143人: a part of the day and a number go on with the metric just reported.
  // 今天到馆上午86人下午102人: likewise inside one clause, after the figure of another part.
  const previousNumber = tokens.slice(0, index).reverse().find((t) => t.type === "number");
  const sincePrevious = clause.text.slice((previousNumber?.end ?? clause.tokens[0]!.start) - clauseStart(clause), token.start - clauseStart(clause));
  const noAliasSince = !aliases.some((a) => a.index < index && (!previousNumber || a.token.start > previousNumber.start));
  const namesPartOfDay = (aliases.length === 0 || (previousNumber !== undefined && noAliasSince)) && (token.unit !== undefined || continued !== undefined)
    && /上午|下午|中午|晚上|夜间|早上|傍晚|全天|全日|白天/.test(sincePrevious);
  // 到馆：总馆380，东馆102: a branch and a bare number go on with the metric just reported.
  const bareBranchNumber = token.unit === undefined && (namesBranch || namesPartOfDay || ledByDay) && aliases.length === 0
    && tokens.filter((t) => t.type === "number").length === 1;
  if ((namesBranch || namesLevel || namesPartOfDay) && continued && (token.unit || bareBranchNumber || (ledByDay && sinceListed > 0) || wordSincePreviousNumber(tokens, index, "average")) && acceptsUnit(continued.metric, token.unit)) {
    return continued;
  }
  // 共8人参加业务培训，每人4个学时: hours of study beside a staff training are its hours.
  if (token.unit !== undefined && /学时|课时/.test(token.unit) && state.drafts.some((d) => d.record.metric === "staff_trainings")) {
    const staffHours = input.lexicon.metrics.get("staff_training_hours");
    if (staffHours) return { metric: staffHours };
  }
  // 到馆破400了！403人: a figure standing alone right after a rounded one in the same unit is its exact value.
  const rounded = state.drafts[state.drafts.length - 1];
  if (aliases.length === 0 && tokens.filter((t) => t.type === "number").length === 1 && rounded?.record.approx && token.unit !== undefined
    && acceptsUnit(rounded.resolved.metric, token.unit) && token.numeral.kind === "exact"
    && token.numeral.value >= rounded.record.value && token.numeral.value <= rounded.record.value * 1.1) {
    return rounded.resolved;
  }
  // 今天先办了1场启动仪式: 场 after a verb of organising counts events, untyped.
  // …手工体验活动刚结束，两场共来了56个孩子: a count of sessions opening a clause goes on with the activity before it.
  const opensClause = index === 0 && state.previousClauseAlias?.eventType !== undefined
    && !/^\s*在/.test(input.text.slice(token.end, token.end + 2)); // 一场在总馆: where each was, not another count
  const sessions = token.unit === "场" || token.unit === "场次" || (opensClause && (token.unit === "期" || token.unit === "次"));
  if (sessions && (ORGANISED.test(clause.text.slice(0, token.start - clauseStart(clause))) || opensClause)) {
    const events = input.lexicon.metrics.get("events");
    // 我们的节日·重阳系列活动，本月办了3场: the activity named just before gives the type.
    const named = aliases.length === 0 ? state.previousClauseAlias?.eventType : undefined;
    if (events) return named ? { metric: events, eventType: named } : { metric: events };
  }
  return undefined;
}

function adjacentAliasBefore(tokens: Token[], index: number, aliases: AliasUse[]): AliasUse | undefined {
  for (let i = index - 1; i >= 0; i--) {
    const token = tokens[i]!;
    if (token.type === "text" && LINKING.test(token.text)) continue;
    if (token.type === "lex" && (isWord(token, "total") || isWord(token, "cumulative"))) continue;
    if (token.type === "lex" && (token.entry.metrics || token.entry.eventType)) return aliases.find((a) => a.index === i);
    return undefined;
  }
  return undefined;
}

function eventTypeFor(
  resolved: ResolvedMetric,
  bound: ResolvedMetric,
  aliases: AliasUse[],
  pendingTrigger: string | undefined,
  state: State,
  totalAcrossTypes: boolean,
  triggerBefore: boolean,
): string | undefined {
  if (resolved.metric.family !== "events" || resolved.metric.key === "training_hours") return undefined;
  // 故事会8场、观影4场，共12场: a total that names no type of its own is all of them.
  if (totalAcrossTypes && !triggerBefore) return undefined;
  if (bound.eventType) return bound.eventType;
  const lastAlias = aliases[aliases.length - 1]?.token.text ?? "";
  if (resolved.metric.key === "events" || lastAlias.includes("活动")) {
    // 亲子阅读活动3场: the trigger before the generic word gives the type; a bare 活动 is all types.
    if (!pendingTrigger) state.lastTrigger = undefined;
    return pendingTrigger;
  }
  if (totalAcrossTypes) return undefined;
  return pendingTrigger ?? state.lastTrigger;
}

function branchesFor(state: State, clauseBranches: string[] | undefined, input: ReportInput): Array<string | undefined> {
  if (clauseBranches && clauseBranches.length > 0) return clauseBranches;
  if (state.branches.length > 0) return state.branches;
  return [input.defaultBranch];
}

function lastTotalIndex(drafts: Draft[]): number | undefined {
  for (let i = drafts.length - 1; i >= 0; i--) {
    if (drafts[i]!.record.subsetOf === undefined) return i;
  }
  return undefined;
}

/** 「到馆120人，借阅86册，都是昨天的」: a single date after every record applies to all of them. */
function applyTrailingDate(state: State, input: ReportInput): void {
  const undated = state.drafts.filter((d) => !d.explicitDate);
  if (undated.length === 0 || undated.length !== state.drafts.length || !state.date) return;
  const resolved = resolveForReport(state.date, input.today);
  if (resolved.future) return;
  for (const draft of undated) draft.record.date = toDayRange(resolved.span);
}









function isDestination(text: string, start: number, end: number): boolean {
  // 给总馆捐了一批书 / 捐给总馆: the branch that received a donation is the one reporting it.
  if (/给\s*$/.test(text.slice(Math.max(0, start - 1), start)) && /^\s*(?:捐|赠|送来)/.test(text.slice(end, end + 2))) return false;
  if (/(?:捐给|赠给|捐赠给|赠送给)\s*$/.test(text.slice(Math.max(0, start - 4), start))) return false;
  return DESTINATION_BEFORE.test(text.slice(Math.max(0, start - 3), start)) || DESTINATION_AFTER.test(text.slice(end, end + 4));
}

function previousMeaningful(tokens: Token[], index: number): Token | undefined {
  for (let i = index - 1; i >= 0; i--) {
    const token = tokens[i]!;
    if (token.type === "text" && token.text.trim() === "") continue;
    return token;
  }
  return undefined;
}

export function isWord(token: Token | undefined, word: NonNullable<LexEntry["word"]>): boolean {
  return token?.type === "lex" && token.entry.word === word;
}

export type { MetricDefinition };
