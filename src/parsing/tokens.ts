// Splits normalised text into tokens: separators, dates, lexicon words (aliases, triggers, branches, grammar
// words), numbers with their approximation markers and units, and masked spans (ordinals, clock times, phone
// numbers, floors, ages) whose digits are never values.
import { scanDateAt, type DateMatch } from "./date-expressions.ts";
import { matchLexicon, type LexEntry, type Lexicon } from "./lexicon.ts";
import { CHINESE_NUMERAL_CHARS, parseNumeral, type Numeral } from "./numerals.ts";
import { civil, dayNumber, type DayNumber } from "./dates.ts";

export interface NumberToken {
  type: "number";
  start: number;
  end: number;
  text: string;
  numeral: Numeral;
  approx: boolean;
  /** 不到 / 不足: only an upper bound was given. */
  upperBound: boolean;
  unit?: string;
  /** Written only with Chinese numerals (三十五), which are also ordinary words (一共, 统一). */
  chineseOnly: boolean;
  /** 4 6本: digits split by a space, probably one number. */
  splitDigits?: string;
  /** 30组家庭: families, not a person count. */
  families?: boolean;
  /** The word after 个/位/名 named people (35个读者). */
  personNoun?: boolean;
}

export type Token =
  | { type: "sep"; start: number; end: number; text: string; sentence: boolean }
  | { type: "date"; start: number; end: number; text: string; date: DateMatch }
  | { type: "lex"; start: number; end: number; text: string; entry: LexEntry }
  | NumberToken
  | { type: "mask"; start: number; end: number; text: string }
  | { type: "text"; start: number; end: number; text: string };

const SEPARATORS = new Set([",", "，", ";", "；", "。", "!", "！", "?", "？", "\n", "|", "｜", "…", "~"]);
const SENTENCE_END = new Set(["。", "\n", "!", "?", "！", "？"]);
const NUMERAL_RUN = new RegExp(`(?:\\d+(?:\\.\\d+)?|[${CHINESE_NUMERAL_CHARS}])+`, "y");
const DATE_START = new RegExp(`[\\d${CHINESE_NUMERAL_CHARS}今昨前大明后当上下这本去周星礼国劳元全年Qq第读世春端中]`);
const DIGIT_OR_CN = new RegExp(`[\\d${CHINESE_NUMERAL_CHARS}]`);

/** Spans whose digits are part of something else (nlp.md §3.3). */
const MASKS: RegExp[] = [
  /第\s*[\d一二三四五六七八九十百两]+/y, // ordinals: 第3期, 第三站
  /\d{1,2}\s*[:：]\s*\d{2}(?:\s*[-~到至]\s*\d{1,2}\s*[:：]\s*\d{2})?/y, // clock times 9:30, 9:00-17:00
  /[\d一二三四五六七八九十两]{1,3}\s*点(?:半|钟|\d{1,2}分?|[一二三四五十]{1,3}分|一刻|多)?(?!击)/y, // 3点, 下午两点半
  /1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)/y, // mobile numbers, also typed 138 1234 5678
  /(?:520|521|1314)(?=\s*(?:特别|主题|专场|表白|告白|浪漫|爱心|活动))/y, // 520特别活动: a day's name
  /双\s*(?:十一|十二|11|12)/y, // 双十一, a shopping day
  /\d{3,6}(?=\s*(?:热线|服务热线|专线|便民热线|投诉|举报))/y, // 12345热线, 在12345投诉
  // 一位老读者给的, 有个家长说: one person in a story, not a head count (志愿者 can be a count of one, so it is left out).
  /一\s*(?:位|个|名)\s*(?:老|小|年轻|热心|退休)?\s*(?=读者|市民|老人|家长|女士|先生|阿姨|大爷|奶奶|爷爷|朋友|小朋友|孩子|老师)/y,
  /0\d{2,3}\s*[-－—]\s*\d{3,4}[ -]?\d{4}(?!\d)/y, // landlines with the area code: 0755-26881234, 0571-6688 1234
  /\d+\s*(?:稿|遍|轮|页|行|字|分(?![馆钟之])|岁)(?![\u4e00-\u9fa5]*(?:人次|册次))/y, // 改了6稿, 看了3遍, 考了98分: counts of something no metric counts
  /\d{7,}(?![\d.万千亿])/y, // other long digit strings: phone numbers, ids
  /(?<=(?:最后|头|这|那|同|当|每|前|后)\s*)一\s*(?:天|次|回|趟)/y, // 节前最后一天开馆, 最后一次出车: which one, not a count
  /一\s*(?:波|阵|拨|群|帮|伙)/y, // 又来了一波学生: a crowd, not a count of one
  /(?<=[\u4e00-\u9fa5])[一二三四五六七八九十]{1,2}(?=[小中](?![时学型]))/y, // 实验二小, 城关一中: a school's name
  /(?:三八|五四|六一|七一|八一|九九)(?=\s*(?:妇女|青年|儿童|建党|建军|重阳)?节)/y, // 三八节, 六一儿童节: a festival's name
  /(?:[高初]?[一二三四五六七八九]|\d{1,2})?\s*[(（]\s*\d{1,2}\s*[)）]\s*(?=班)|(?:[高初][一二三])?\d{1,2}\s*(?=班(?![车次级组子底]))/y, // 高三(2)班, 3班: a class's name
  /20[xX]{2}(?:\s*[(（]请自填[)）])?\s*年?/y, // template years 20xx
  /[A-Za-z]+\d+[A-Za-z\d]*/y, // codes like library2026, A3
  // prices: 5元一张, 1块钱一本, 5毛一页 — the 一张 is the unit priced, not a count.
  /[\d.一二三四五六七八九十两半]+\s*(?:元|块钱|块|毛钱|毛|角)\s*(?:钱\s*)?(?:一|每)\s*(?:张|本|册|页|次|个|份|人|位|天|小时|场|套|件)/y,
  // 20台电脑, 2辆车, 3把椅子, 40幅作品: classifiers of things no metric counts
  /[\d一二三四五六七八九十两]+\s*(?:台|辆|把|间|盆|棵|只|扇|架|幅|盒|袋|枚|瓶|副)(?![次])/y,
  // 两箱绘本…一共87本: boxes of books are how they came, not what was counted.
  /[\d一二三四五六七八九十两]+\s*箱(?=\s*(?:绘本|图书|书|期刊|杂志|旧书|新书|共|一共|共计|合计|计|，|,))|(?<=(?:漏|少|多)(?:数|算|点)?了)[一两\d]\s*箱/y,
  /[\d一二三四五六七八九十两]+\s*(?:楼|层|号(?:报告厅|书架|楼|窗口|机|厅|室|柜|台|桌|门|线|展厅|阅览室|位)|栋|单元|号线)/y,
];

/** 1、 2. 3) (4): list numbering. A decimal (1.2万), a date (11.16) or a list of days (12、13号) is not one. */
const LIST_MARKER = /(?:\d{1,2}\s*(?:、|\.(?![\d万千])|[)）])|[(（]\d{1,2}[)）]|[一二三四五六七八九十]{1,2}\s*[、.．]|[(（][一二三四五六七八九十]{1,2}[)）])(?!\s*\d)/y;

/** A number followed by these is an age, a time span in minutes, a score …, never a metric value. */
const MASKED_UNIT = /^\s*(?:周岁|岁|周年|分钟|分(?!馆)|秒|度|折|倍|级|届|路|栋|站|排|米|公里|斤|克|寸|年级|班|号|年(?!度)|个月|月|日|周(?![一二三四五六日天末])|星期(?![一二三四五六日天])|点(?!击))/;
const APPROX_PREFIX = /(?:大约|大概|约莫|约有|约|将近|接近|差不多|近|超过|超出|突破|破|逾|足有|估计有|估计|预估|大概有|大约有|差不多有|(?:突破|破|超过)了)\s*$/;
const UPPER_BOUND_PREFIX = /(?:不到|不足|不超过|少于|低于|没到|不满)\s*$/;
/** 300多人, 300 多人 (typed with a space), 70余人. */
const APPROX_BEFORE_UNIT = /^ ?(?:多|余)|^ 来(?=[人个位名本册场次])|^(?:来|出头|几|\+)/;
const APPROX_AFTER_UNIT = /^ ?(?:左右|上下|以上|开外|出头)|^(?:多|余|\+)/;
/** 借书的人次是47: the unit named before the number. */
const BEFORE_NUMBER_LINK = "(?:是|为|有|达到|达|共计|共|总计|合计|约|大约|超过|突破|将近|近|:|：|\\s)*";
const UNIT_BEFORE_NUMBER: Array<[RegExp, string]> = [
  [new RegExp(`(?:人次|人数)${BEFORE_NUMBER_LINK}$`), "人次"],
  [new RegExp(`(?:册次|册数|本数)${BEFORE_NUMBER_LINK}$`), "册次"],
  // 财政拨款今年是286万: money named before a figure in 万 with no unit.
  [new RegExp(`(?:经费|拨款|资金|捐款|投入|预算|款)[^，,。;；\d]{0,4}${BEFORE_NUMBER_LINK}$`), "元"],
];
export const PERSON_NOUN = /^(?:人|读者|书友|小朋友|孩子|家长|幼儿|学生|观众|市民|群众|老人|居民|游客|志愿者|小志愿者|同学|老师|大人|青少年|儿童|宝宝|听众|学员|村民|职工|员工|参与者|娃|小孩|亲子家庭|少儿)/;
/** Spellings of one unit; the metric's unit aliases only list the plain form. */
const UNIT_SYNONYMS: Record<string, string> = {
  本书: "本", 册书: "册", 套书: "套", 个小时: "小时", 个学时: "学时", 个课时: "课时", 钟头: "小时", 块钱: "块",
  平米: "平方米", 平: "平方米", "㎡": "平方米", m2: "平方米",
};
const ROUND_WHOLE = /(?:上百|上千|上万|成百|成千)/y;

export function tokenize(text: string, lexicon: Lexicon, today: DayNumber): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < text.length) {
    const token = nextToken(text, position, lexicon, today, tokens);
    if (token.type === "text") {
      const last = tokens[tokens.length - 1];
      if (last && last.type === "text" && last.end === token.start) {
        last.end = token.end;
        last.text += token.text;
        position = token.end;
        continue;
      }
    }
    tokens.push(token);
    position = token.end;
  }
  return tokens;
}

function nextToken(text: string, position: number, lexicon: Lexicon, today: DayNumber, before: Token[]): Token {
  const char = text[position]!;
  if (SEPARATORS.has(char)) return { type: "sep", start: position, end: position + 1, text: char, sentence: SENTENCE_END.has(char) };
  if (char === " ") return { type: "text", start: position, end: position + 1, text: " " };

  const lex = matchLexicon(lexicon, text, position);
  // Branch names win over everything: 流动图书馆第三站 must not be masked as an ordinal. Inside a title
  // (《河口镇志》) a branch name is only part of the title.
  if (lex?.branch && insideTitle(text, position)) return { type: "text", start: position, end: position + lex.text.length, text: lex.text };
  if (lex?.branch) return lexToken(lex, position);
  // 《2026年度读者满意度调查》: a title is a name; its numbers, dates and words report nothing.
  // 《书香简报》2期 names what is counted after it, so its alias still counts.
  // 《XX大讲堂》第12期: an activity word that ends a programme's title names its kind.
  // 《书香简报》2期 / 《书香简报》暑期特刊2期 / 《书香简报》本月发了几期？: a metric word ending a title names what is
  // counted or asked.
  const endsTitle = (after: string) => lex?.eventType !== undefined ? /^》/.test(after)
    : lex?.metrics !== undefined && /^》/.test(after) && (/^》\s*[\d一二三四五六七八九十两]/.test(after) || /^》[\u4e00-\u9fa5]{1,4}[\d一二三四五六七八九十两]+\s*(?:期|份|篇)/.test(after)
      || /(?:几|多少)(?:期|篇|份|场|次)/.test(after));
  if (insideTitle(text, position) && !endsTitle(text.slice(position + (lex?.text.length ?? 0)))) {
    return { type: "text", start: position, end: position + 1, text: char };
  }

  if (/[\d零〇一二两三四五六七八九十百千万]/.test(char) && !lex && insideQuotedName(text, position)) {
    return { type: "text", start: position, end: position + 1, text: char };
  }
  if (DATE_START.test(char)) {
    const date = scanDateAt(text, position, today);
    if (date && !(lex && lex.text.length > date.end - position)) {
      // 今年第一次送书下乡 (which time this year), 征订下半年报刊 (what the subscription covers): not the figures' period.
      const describesOther = !date.isDay && (FIRST_TIME_AFTER.test(text.slice(date.end)) || SUBSCRIBED_BEFORE.test(text.slice(Math.max(0, position - 3), position))
        || SUBSCRIPTION_AFTER.test(text.slice(date.end)));
      // 去年少儿馆全年举办…: 全年 after a year already named is that year's whole, not this year.
      const lastDate = [...before].reverse().find((t): t is Extract<Token, { type: "date" }> => t.type === "date");
      const wholeOfNamedYear = /^全年/.test(date.label) && lastDate !== undefined && isWholeYear(lastDate.date.span);
      if (describesOther || wholeOfNamedYear) return { type: "text", start: position, end: date.end, text: text.slice(position, date.end) };
      const since = sinceDate(text, date, today);
      if (since) return { type: "date", start: position, end: since.end, text: since.label, date: since };
      return { type: "date", start: position, end: date.end, text: date.label, date: untilDate(text, position, date) };
    }
  }
  // 「1、到馆 198人」「2.借出 143本」「(3)还书」: a list number at the start of a line or sentence is not a value
  // (after a comma or colon, 「到馆：35、借阅：20」, it is).
  if (/[\d(（一二三四五六七八九十]/.test(char) && /(?:^|[\n;；。])\s*$/.test(text.slice(Math.max(0, position - 4), position))) {
    LIST_MARKER.lastIndex = position;
    const marker = LIST_MARKER.exec(text);
    if (marker) return { type: "mask", start: position, end: position + marker[0].length, text: marker[0] };
  }
  // 今天：1.到馆20人: after a colon, 「N.」 straight before words is numbering too (到馆：35、借阅：20 keeps its values).
  if (/\d/.test(char) && /[:：]\s*$/.test(text.slice(Math.max(0, position - 2), position))) {
    const dotted = /^\d{1,2}\.(?=[\u4e00-\u9fa5])/.exec(text.slice(position));
    if (dotted) return { type: "mask", start: position, end: position + dotted[0].length, text: dotted[0] };
  }
  for (const mask of MASKS) {
    mask.lastIndex = position;
    const match = mask.exec(text);
    if (match && match[0].length > 0 && !(lex && lex.text.length >= match[0].length)) {
      return { type: "mask", start: position, end: position + match[0].length, text: match[0] };
    }
  }
  const number = DIGIT_OR_CN.test(char) || text.startsWith("上", position) || text.startsWith("成", position)
    ? scanNumber(text, position, before, lexicon)
    : undefined;
  if (number && !(lex && lex.text.length >= number.end - position)) return number;
  if (lex) return lexToken(lex, position);
  return { type: "text", start: position, end: position + 1, text: char };
}

/** Position inside 《…》 (a book or programme title). */
function insideTitle(text: string, position: number): boolean {
  const open = text.lastIndexOf("《", position);
  return open >= 0 && text.lastIndexOf("》", position) < open;
}

/** Inside a short name in curly quotes (“二十四节气里的冬天”讲座): its numerals are part of the name, while its activity
 * words (“周五故事会”) still say what kind of activity it was. */
function insideQuotedName(text: string, position: number): boolean {
  const quote = text.lastIndexOf("“", position);
  if (quote < 0 || text.lastIndexOf("”", position - 1) > quote) return false;
  const close = text.indexOf("”", position);
  // A name is followed by what it names (“…”讲座, “…”主题活动); a quoted message (“今天到馆35人”这条) is not.
  return close > 0 && close - quote <= 20 && /^”\s*[\u4e00-\u9fa5]{0,4}(?:讲座|讲堂|活动|展|读书会|故事会|课堂|比赛|竞赛|培训|分享会|沙龙|系列|主题|节)/.test(text.slice(close));
}

/** 截至3月底 / 至3月底为止: everything from the start of that year up to the end of the date named. */
function isWholeYear(span: { from: DayNumber; to: DayNumber }): boolean {
  const from = civil(span.from);
  const to = civil(span.to);
  return from.year === to.year && from.month === 1 && from.day === 1 && to.month === 12 && to.day === 31;
}

const FIRST_TIME_AFTER = /^\s*(?:的)?(?:第[一二三四五六七八九十\d]+(?:次|回|批|趟)|首次|头一回|头一次|首批)/;
const SUBSCRIBED_BEFORE = /(?:征订|订阅|订购|预订)\s*$/;
/** 2027年度报刊征订完成: next year's subscriptions, placed now. */
const SUBSCRIPTION_AFTER = /^\s*(?:度)?(?:的)?(?:报刊|期刊|报纸|杂志)?(?:征订|订阅)/;
/**
 * 7月以来, 8月1号到现在: from the start of that day or period up to today. A period still running (本月到现在,
 * 今年到目前为止) keeps its calendar span: a question about it means the whole period and a report is cut at today.
 */
const SINCE_AFTER = /\s*(?:以来|至今|到现在|到目前为止|到目前|到今天|(?:截至|截止)(?:到)?(?:目前|现在|今天))/y;
function sinceDate(text: string, date: DateMatch, today: DayNumber): DateMatch | undefined {
  SINCE_AFTER.lastIndex = date.end;
  const match = SINCE_AFTER.exec(text);
  if (!match || date.span.from > today) return undefined;
  const span = date.span.to >= today ? date.span : { from: date.span.from, to: today };
  return { ...date, end: date.end + match[0].length, label: date.label + match[0].trim(), span, isDay: false, future: false };
}

function untilDate(text: string, position: number, date: DateMatch): DateMatch {
  const before = text.slice(Math.max(0, position - 3), position);
  if (!/(?:截至|截止|截止到|至)\s*$/.test(before)) return date;
  const yearStart = dayNumber(civil(date.span.to).year, 1, 1);
  return { ...date, span: { from: yearStart, to: date.span.to }, isDay: false, until: true };
}

function lexToken(entry: LexEntry, position: number): Token {
  return { type: "lex", start: position, end: position + entry.text.length, text: entry.text, entry };
}

/** A number at `position` with its prefix markers (约, 不到), suffix markers (多, 余, 左右) and unit. */
function scanNumber(text: string, position: number, before: Token[], lexicon: Lexicon): Token | undefined {
  const units = lexicon.units;
  let numeral: Numeral | undefined;
  let runEnd: number;
  let roundWhole = false;
  ROUND_WHOLE.lastIndex = position;
  const round = ROUND_WHOLE.exec(text);
  if (round) {
    const scale = round[0].endsWith("百") ? 100 : round[0].endsWith("千") ? 1000 : 10000;
    numeral = { kind: "exact", value: scale };
    runEnd = position + round[0].length;
    roundWhole = true;
  } else {
    NUMERAL_RUN.lastIndex = position;
    const run = NUMERAL_RUN.exec(text);
    if (!run) return undefined;
    let runText = run[0];
    // A trailing decimal point ends a sentence, it is not part of the number.
    runText = runText.replace(/\.$/, "");
    numeral = parseNumeral(runText);
    // 报的4126两个数字: Arabic digits end where a Chinese digit (not a scale such as 万) starts a new word.
    const arabicHead = /^[\d.]+(?=[零〇一二两三四五六七八九])/.exec(runText);
    if (!numeral && arabicHead) {
      runText = arabicHead[0].replace(/\.$/, "");
      numeral = parseNumeral(runText);
    }
    runEnd = position + runText.length;
    if (!numeral) return undefined;
  }
  const runText = text.slice(position, runEnd);
  const chineseOnly = !/\d/.test(runText);
  const preceding = text.slice(Math.max(0, position - 6), position);
  let approx = roundWhole || APPROX_PREFIX.test(preceding);
  const upperBound = UPPER_BOUND_PREFIX.test(preceding);

  let cursor = runEnd;
  // 3.86 万册, 1万2 出头: a scale typed after a space still scales the digits before it.
  const spacedScale = numeral.kind === "exact" && /\d$/.test(runText) ? /^ (万|千|亿)(?![\d一二三四五六七八九])/.exec(text.slice(cursor)) : null;
  if (spacedScale && numeral.kind === "exact") {
    numeral = { kind: "exact", value: numeral.value * (spacedScale[1] === "万" ? 10_000 : spacedScale[1] === "千" ? 1000 : 100_000_000) };
    cursor += spacedScale[0].length;
  }
  // 30多万册次, 2千余人: 多/余/来 before the scale makes the whole number approximate (300 000, not 30).
  const scaled = numeral.kind === "exact" ? /^(?:多|余|来)(万|千|百)/.exec(text.slice(cursor)) : null;
  if (scaled && numeral.kind === "exact") {
    numeral = { kind: "exact", value: numeral.value * (scaled[1] === "万" ? 10_000 : scaled[1] === "千" ? 1000 : 100) };
    approx = true;
    cursor += scaled[0].length;
  }
  const beforeUnit = APPROX_BEFORE_UNIT.exec(text.slice(cursor));
  let pendingApprox = false;
  if (beforeUnit) {
    pendingApprox = true;
    cursor += beforeUnit[0].length;
  }
  const afterNumber = text.slice(cursor);
  const masked = MASKED_UNIT.exec(afterNumber);
  if (masked) {
    const end = cursor + masked[0].length;
    return { type: "mask", start: position, end, text: text.slice(position, end) };
  }
  // Ranges written with a dash or 到: 100-200人, 3到5场.
  const range = /^\s*(?:-|~|～|到|至|—)\s*(\d+(?:\.\d+)?|[一二三四五六七八九十百千万两]+)/.exec(afterNumber);
  if (range && !beforeUnit) {
    const high = parseNumeral(range[1]!);
    if (high && high.kind === "exact" && numeral.kind === "exact" && high.value > numeral.value) {
      const rangeEnd = cursor + range[0].length;
      const afterRange = text.slice(rangeEnd);
      if (MASKED_UNIT.test(afterRange)) {
        return { type: "mask", start: position, end: rangeEnd + MASKED_UNIT.exec(afterRange)![0].length, text: "" };
      }
      const unit = matchUnit(afterRange, units);
      const end = rangeEnd + (unit?.length ?? 0);
      return {
        type: "number", start: position, end, text: text.slice(position, end),
        numeral: { kind: "range", low: numeral.value, high: high.value }, approx: true, upperBound: false,
        unit: unit?.unit, chineseOnly, personNoun: unit?.personNoun,
      };
    }
  }
  let unit = matchUnit(afterNumber, units);
  if (unit && runText === "一" && !beforeUnit && unit.unit === "批") {
    // 捐赠了一批图书，共120册 / 剔旧了一批旧书 / 受赠物资一批: 「a batch of」, never a count of one.
    return { type: "mask", start: position, end: cursor + unit.length, text: text.slice(position, cursor + unit.length) };
  }
  if (unit && countsSomethingElse(unit, text, cursor + unit.length, lexicon)) {
    return { type: "mask", start: position, end: cursor + unit.length, text: text.slice(position, cursor + unit.length) };
  }
  if (!unit) {
    const wider = text.slice(Math.max(0, position - 10), position);
    const named = UNIT_BEFORE_NUMBER.find(([pattern]) => pattern.test(wider))?.[1];
    if (named) unit = { unit: named, length: 0 };
  }
  let splitDigits: string | undefined;
  if (!unit && /^\d{1,2}$/.test(runText)) {
    const split = /^ (\d{1,2})(?=\s*(?:人|册|本|场|个|次))/.exec(afterNumber);
    if (split) splitDigits = runText + split[1];
  }
  if (!unit && /^\d{1,3}$/.test(runText)) {
    // 1，200人: a Chinese comma is never merged as a thousands separator (35，120人次参加 is two numbers), but a
    // unitless head followed by exactly three digits may be one; ask instead of recording 1.
    const grouped = /^,(\d{3})(?!\d)/.exec(afterNumber);
    // …，120人次参加活动: the three digits have a unit and a metric word of their own, so they are the next figure.
    const tail = grouped ? afterNumber.slice(grouped[0].length) : "";
    const tailUnit = grouped ? matchUnit(tail, units) : undefined;
    const tailWord = tailUnit ? matchLexicon(lexicon, text, cursor + grouped![0].length + tailUnit.length) : undefined;
    if (grouped && !(tailWord && (tailWord.metrics || tailWord.eventType))) splitDigits = runText + grouped[1];
  }
  if (pendingApprox && !unit && !isClauseEnd(afterNumber)) {
    // 35来馆, 20多少: the character was not an approximation marker after all.
    cursor -= beforeUnit![0].length;
    pendingApprox = false;
  }
  if (pendingApprox) approx = true;
  if (unit) cursor += unit.length;
  const after = APPROX_AFTER_UNIT.exec(text.slice(cursor));
  if (after && (unit || isClauseEnd(text.slice(cursor + after[0].length)))) {
    approx = true;
    cursor += after[0].length;
  } else if (unit?.personNoun) {
    // 20个孩子左右: the marker comes after the person noun, which stays a word of its own.
    const noun = PERSON_NOUN.exec(text.slice(cursor));
    if (noun && /^(?:左右|上下|以上|开外|多)/.test(text.slice(cursor + noun[0].length))) approx = true;
  }
  const families = unit !== undefined && /^(?:组|个|户)/.test(unit.unit) && /^\s*(?:亲子)?家庭/.test(text.slice(cursor));
  // 借书的也没几个: "not many", not a figure.
  if (/没\s*$/.test(preceding) && /几/.test(runText)) return undefined;
  // 来的人挺多，估计得有两三百: a range after a hedge is a figure to ask about even without a unit.
  const hedgedRange = numeral.kind === "range" && /(?:有|得有|估计|大概|差不多|约)\s*$/.test(preceding);
  if (chineseOnly && !unit && !followsAlias(before) && !hedgedRange) return undefined;
  return {
    type: "number", start: position, end: cursor, text: text.slice(position, cursor), numeral, approx, upperBound,
    unit: unit?.unit, chineseOnly, splitDigits, families, personNoun: unit?.personNoun,
  };
}

function isClauseEnd(rest: string): boolean {
  return rest.length === 0 || SEPARATORS.has(rest[0]!) || rest[0] === " ";
}

interface UnitMatch {
  unit: string;
  length: number;
  personNoun?: boolean;
}

/** The longest known unit after a number (`units` sorted longest first), allowing one space (35 人). */
function matchUnit(rest: string, list: string[]): UnitMatch | undefined {
  const leading = /^ ?/.exec(rest)![0].length;
  const body = rest.slice(leading);
  for (const unit of list) {
    if (!body.startsWith(unit)) continue;
    // 35个读者, 8位老师: a classifier before a person noun is a person count.
    if ((unit === "个" || unit === "位" || unit === "名") && PERSON_NOUN.test(body.slice(unit.length))) {
      return { unit: "人", length: leading + unit.length, personNoun: true };
    }
    if (unit === "个" || unit === "位" || unit === "名") {
      // 20个学时: the classifier sits before the real unit.
      const inner = list.find((u) => u !== unit && u.length > 1 && body.startsWith(u, unit.length));
      if (inner) return { unit: UNIT_SYNONYMS[inner] ?? inner, length: leading + unit.length + inner.length };
    }
    return { unit: UNIT_SYNONYMS[unit] ?? unit, length: leading + unit.length };
  }
  return undefined;
}

/** 2个班级, 100个书架, 3个分馆: the classifier counts a noun that is neither people nor a metric, so the number is
 * not a value for any metric in the sentence. */
function countsSomethingElse(unit: UnitMatch, text: string, end: number, lexicon: Lexicon): boolean {
  if (unit.personNoun || !["个", "家", "所", "台", "张"].includes(unit.unit)) return false;
  const next = text[end];
  if (next === undefined || !/[\u4e00-\u9fa5]/.test(next)) return false;
  // 办证办了十二张然后…: a connective after the unit (voice input) is no noun being counted.
  if (/^(?:了|啊|哈|吧|呀|的|左|以|多|余|，|。|和|与|、|共|合|，|(?:亲子)?家庭|然后|还有|另外|再|接着|之后|以后|就|都|也|不?是(?=\s*[\d一二三四五六七八九十两百千])|而|有误|有错|不对|错了|写错|报错)/.test(text.slice(end))) return false;
  // 家长十九个周日下午…: a day named next starts the next item; it is not what was counted.
  if (/^(?:周[一二三四五六日天末]|星期|礼拜|今天|昨天|前天|上午|下午|中午|晚上)/.test(text.slice(end))) return false;
  const entry = matchLexicon(lexicon, text, end);
  if (entry && (entry.metrics || entry.eventType || entry.branch || entry.word)) return false;
  return true;
}

/** What voice input and chat put between an alias and its number: 到馆的话是一百五十六, 借出去九十本, 来了差不多三百. */
export const ALIAS_TO_NUMBER =
  /^(?:\s|是|为|有|了|达|达到|完成|新增|增加|收到|接待|服务|录入|办|:|：|的话|的|呢|啊|嘛|就|也|都|去|来|回来|出去|人数|人次|册数|数|量|总数|一共|共|总共|共计|合计|大概|大约|约|差不多|将近|接近|估计|突破|破|超过|近|好像|似乎|可能|应该)+$/;

/** 借阅是四十六: a Chinese numeral right after an alias (or alias + 是/为/有) is a value even without a unit. */
function followsAlias(before: Token[]): boolean {
  for (let i = before.length - 1; i >= 0; i--) {
    const token = before[i]!;
    if (token.type === "text" && ALIAS_TO_NUMBER.test(token.text)) continue;
    if (token.type === "lex" && (token.entry.word === "total" || token.entry.word === "cumulative")) continue;
    // 日均四百七十多: an average word names the figure after it as a metric word would.
    if (token.type === "lex" && token.entry.word === "average") return true;
    return token.type === "lex" && (token.entry.metrics !== undefined || token.entry.eventType !== undefined);
  }
  return false;
}
