// Recognises date and period expressions at a position in normalised text: 今天, 昨天, 周五, 上周三, 11月20日,
// 11.20, 16号, 本周, 上个月, 第三季度, 上半年, 今年一至三月, 2025年 …  Each resolves to a full calendar span; whether a
// report truncates it to today or a query keeps it whole is decided by the caller (resolveForReport/Query).
import {
  civil, dayNumber, isValidCivil, mostRecentWeekday, periods, smallNumber, weekday, type DayNumber, type Span,
} from "./dates.ts";

export interface DateMatch {
  start: number;
  end: number;
  /** The whole calendar day or period named. */
  span: Span;
  /** As written, for replies (本月, 上周三). */
  label: string;
  /** A single day (今天, 周五, 11月20日) rather than a period. */
  isDay: boolean;
  /** The expression points at the future by its words (明天, 下周), not just by arithmetic. */
  future: boolean;
  /** Several days listed (15、16号): set when the span is a list; `scattered` when the days are not contiguous
   * (12、15号), so that a total over them asks instead of being stored on a wrong span. */
  listed?: boolean;
  scattered?: boolean;
  /** 截至11月17日: from the start of the year up to that day. */
  until?: boolean;
}

const N = "(\\d{1,2}|[一二三四五六七八九十两]{1,3})";
const YEAR = "(\\d{4}|[〇零一二三四五六七八九]{4}|今|去|前|明|本)";
const WEEKDAY_CHARS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7 };
/** What a bare day number must not be followed by: rooms, shelves, windows (3号报告厅, 2号书架). */
const NOT_A_DAY_AFTER = "(?!报告厅|书架|楼|窗口|机|厅|室|柜|台|桌|门|线|位|床|箱|馆|分馆|站|展厅|阅览室|均)";

interface Rule {
  pattern: RegExp;
  resolve(match: RegExpExecArray, today: DayNumber): Omit<DateMatch, "start" | "end" | "label"> | undefined;
}

const currentYear = (today: DayNumber) => civil(today).year;

function yearOf(token: string | undefined, today: DayNumber): number | undefined {
  const year = currentYear(today);
  switch (token) {
    case undefined:
    case "今":
    case "本":
      return year;
    case "去":
      return year - 1;
    case "前":
      return year - 2;
    case "明":
      return year + 1;
  }
  const digits = /^\d{4}$/.test(token) ? Number(token) : smallNumber(token);
  return digits !== undefined && digits >= 1900 && digits <= 2200 ? digits : undefined;
}

/** A bare day of the month (16号): this month, or last month when that day has not come yet. */
function bareDayOfMonth(token: string | undefined, today: DayNumber): DayNumber | undefined {
  const d = dayOfMonth(token);
  if (d === undefined) return undefined;
  const now = civil(today);
  let candidate = civilDay(now.year, now.month, d);
  if (candidate === undefined || candidate > today) {
    const prev = civil(periods.month(now.year, now.month - 1).from);
    candidate = civilDay(prev.year, prev.month, d);
  }
  return candidate;
}

/** A month named without a year that lies after today means last year (nobody reports next month's numbers). */
function yearForMonth(month: number, today: DayNumber): number {
  const now = civil(today);
  return month > now.month ? now.year - 1 : now.year;
}

function partOfMonth(span: Span, part: string | undefined): Span {
  const first = span.from;
  switch (part) {
    case "初":
    case "上旬":
      return { from: first, to: first + 9 };
    case "中旬":
      return { from: first + 10, to: first + 19 };
    case "下旬":
    case "底":
    case "末":
      return { from: first + 20, to: span.to };
    default:
      return span;
  }
}

const day = (d: DayNumber, future = false) => ({ span: { from: d, to: d }, isDay: true, future });
const period = (span: Span, future = false) => ({ span, isDay: false, future });

function month(n: string | undefined): number | undefined {
  const value = n === undefined ? undefined : smallNumber(n);
  return value !== undefined && value >= 1 && value <= 12 ? value : undefined;
}

function dayOfMonth(n: string | undefined): number | undefined {
  const value = n === undefined ? undefined : smallNumber(n);
  return value !== undefined && value >= 1 && value <= 31 ? value : undefined;
}

function civilDay(year: number | undefined, m: number | undefined, d: number | undefined): DayNumber | undefined {
  if (year === undefined || m === undefined || d === undefined || !isValidCivil(year, m, d)) return undefined;
  return dayNumber(year, m, d);
}

/** After 周一 these make 一 part of a word: 上周一共 is 上周 + 一共. */
const ONE_AS_WORD = /^(?:共|起|些|直|定|般|样|切|致|下)/;
/** A counter right after 周三 makes 三 a count (本周三场讲座, 上周五次), except in words (场馆, 场地, 次日). */
const COUNTER_AFTER = /^(?:场(?![馆地所])|次(?!日)|期|批|趟|名|位|个|项|篇)/;

const RELATIVE_DAYS: Array<[string, number]> = [
  ["大前天", -3], ["前天", -2], ["前日", -2], ["昨天", -1], ["昨日", -1], ["昨儿个", -1], ["昨儿", -1], ["昨晚", -1],
  ["昨早", -1], ["昨夜", -1], ["今天", 0], ["今日", 0], ["今儿个", 0], ["今儿", 0], ["今早", 0], ["今晚", 0], ["今晨", 0],
  ["今个", 0], ["当天", 0], ["明天", 1], ["明日", 1], ["明早", 1], ["明晚", 1], ["后天", 2], ["大后天", 3],
];

/** The days of the lunar festivals (month, day), 2025–2028. Outside these years the festival names no day. */
const LUNAR_FESTIVALS: Record<"春节" | "元宵" | "端午" | "中秋", Record<number, [number, number]>> = {
  春节: { 2025: [1, 29], 2026: [2, 17], 2027: [2, 6], 2028: [1, 26] },
  元宵: { 2025: [2, 12], 2026: [3, 3], 2027: [2, 20], 2028: [2, 9] },
  端午: { 2025: [5, 31], 2026: [6, 19], 2027: [6, 9], 2028: [5, 28] },
  中秋: { 2025: [10, 6], 2026: [9, 25], 2027: [9, 15], 2028: [10, 3] },
};

const RULES: Rule[] = [
  {
    // 2026年11月20日, 二〇二六年十一月二十日
    pattern: new RegExp(`${YEAR}年${N}月${N}[日号]?`, "y"),
    resolve(m, today) {
      const d = civilDay(yearOf(m[1], today), month(m[2]), dayOfMonth(m[3]));
      return d === undefined ? undefined : day(d);
    },
  },
  {
    // 2026-11-20, 2026/11/20, 2026.11.20
    pattern: /(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/y,
    resolve(m) {
      const d = civilDay(Number(m[1]), Number(m[2]), Number(m[3]));
      return d === undefined ? undefined : day(d);
    },
  },
  {
    // 今年一至三月, 2026年1-10月, 今年1到3月份
    pattern: new RegExp(`${YEAR}年(?:的)?${N}月?(?:份)?(?:至|到|~|-|—|－)${N}月(?:份)?(?:底|末)?`, "y"),
    resolve(m, today) {
      const year = yearOf(m[1], today);
      const first = month(m[2]);
      const last = month(m[3]);
      if (year === undefined || first === undefined || last === undefined || last < first) return undefined;
      return period(periods.months(year, first, last));
    },
  },
  {
    // 1-10月, 一至三月 (no year)
    pattern: new RegExp(`${N}月?(?:份)?(?:至|到|~|-|—|－)${N}月(?:份)?(?:底|末)?`, "y"),
    resolve(m, today) {
      const first = month(m[1]);
      const last = month(m[2]);
      if (first === undefined || last === undefined || last < first) return undefined;
      // 1-12月 in January is last year's; 1-12月 in November is this year's (the year about to close).
      const { year, month: current } = civil(today);
      const rangeYear = last > current + 1 ? year - 1 : yearForMonth(first, today);
      return period(periods.months(rangeYear, first, last));
    },
  },
  {
    // 今年第三季度, 2025年四季度, 第三季度, 三季度
    pattern: new RegExp(`(?:${YEAR}年(?:的)?)?第?([一二三四1-4])季度`, "y"),
    resolve(m, today) {
      const quarter = smallNumber(m[2]!);
      if (quarter === undefined || quarter < 1 || quarter > 4) return undefined;
      let year = yearOf(m[1], today);
      if (year === undefined) return undefined;
      if (m[1] === undefined && periods.quarter(year, quarter).from > today) year -= 1;
      return period(periods.quarter(year, quarter));
    },
  },
  {
    pattern: /[Qq]([1-4])(?![0-9])/y,
    resolve(m, today) {
      const quarter = Number(m[1]);
      let year = currentYear(today);
      if (periods.quarter(year, quarter).from > today) year -= 1;
      return period(periods.quarter(year, quarter));
    },
  },
  {
    // 上半年, 今年上半年, 2025年下半年
    pattern: new RegExp(`(?:${YEAR}年(?:的)?)?(上|下)半年(?:度)?`, "y"),
    resolve(m, today) {
      let year = yearOf(m[1], today);
      if (year === undefined) return undefined;
      const span = m[2] === "上" ? periods.months(year, 1, 6) : periods.months(year, 7, 12);
      if (m[1] === undefined && span.from > today) {
        year -= 1;
        return period(m[2] === "上" ? periods.months(year, 1, 6) : periods.months(year, 7, 12));
      }
      return period(span);
    },
  },
  {
    // 2025年3月, 今年3月份, 去年11月底
    pattern: new RegExp(`${YEAR}年(?:的)?${N}月(?:份)?(初|上旬|中旬|下旬|底|末)?(?![\\d一二三四五六七八九十两]+[日号])`, "y"),
    resolve(m, today) {
      const year = yearOf(m[1], today);
      const mm = month(m[2]);
      if (year === undefined || mm === undefined) return undefined;
      return period(partOfMonth(periods.month(year, mm), m[3]));
    },
  },
  {
    // 2026年, 今年, 本年度, 全年, 去年
    pattern: /(\d{4}|[〇零一二三四五六七八九]{4})年(?:度)?(?![\d一二三四五六七八九十两]+月)|今年(?:以来|度)?|本年(?:度)?|全年|年内|年初至今|去年(?:全年)?|上一年(?:度)?|明年|前年/y,
    resolve(m, today) {
      const text = m[0];
      const year = currentYear(today);
      if (m[1] !== undefined) {
        const explicit = yearOf(m[1], today);
        return explicit === undefined ? undefined : period(periods.year(explicit), explicit > year);
      }
      if (text.startsWith("去年") || text.startsWith("上一年")) return period(periods.year(year - 1));
      // 全年借阅1126册 sent on 2 January: the year just closed, not two days of the new one.
      if (text === "全年" && civil(today).month === 1) return period(periods.year(year - 1));
      if (text === "前年") return period(periods.year(year - 2));
      if (text === "明年") return period(periods.year(year + 1), true);
      return period(periods.year(year));
    },
  },
  {
    // 11月20日, 十一月二十号
    pattern: new RegExp(`${N}月${N}[日号]`, "y"),
    resolve(m, today) {
      const mm = month(m[1]);
      const d = civilDay(mm === undefined ? undefined : yearForMonth(mm, today), mm, dayOfMonth(m[2]));
      return d === undefined ? undefined : day(d);
    },
  },
  {
    // 11月, 3月份, 11月初, 十月底
    pattern: new RegExp(`${N}月(?:份)?(初|上旬|中旬|下旬|底|末)?`, "y"),
    resolve(m, today) {
      const mm = month(m[1]);
      if (mm === undefined) return undefined;
      return period(partOfMonth(periods.month(yearForMonth(mm, today), mm), m[2]));
    },
  },
  {
    // 11.20, 11/20: only month ≤ 12 and day ≤ 31, and not a decimal value (checked by the caller's lookahead)
    pattern: /(\d{1,2})[./·・](\d{1,2})(?![\d.%万千百亿])(?! [万千百亿])(?![册本人次场个位名元件种项篇条期批家天小学课趟张份部TGK])/y,
    resolve(m, today) {
      const mm = Number(m[1]);
      const d = Number(m[2]);
      const result = civilDay(mm >= 1 && mm <= 12 ? yearForMonth(mm, today) : undefined, mm, d);
      return result === undefined ? undefined : day(result);
    },
  },
  {
    // 16号, 二十日: this month, or last month when the day has not come yet
    pattern: new RegExp(`${N}[号日]${NOT_A_DAY_AFTER}`, "y"),
    resolve(m, today) {
      const candidate = bareDayOfMonth(m[1], today);
      return candidate === undefined ? undefined : day(candidate);
    },
  },
  {
    // 15、16号 / 11、12、13号 / 12和13日: a list of day numbers sharing one 号. Contiguous days are one span; days
    // with a gap are marked scattered (the report asks).
    pattern: new RegExp(`${N}((?:[、和及与]${N})+)[号日]${NOT_A_DAY_AFTER}`, "y"),
    resolve(m, today) {
      const parts = [m[1]!, ...m[2]!.split(/[、和及与]/).filter((x) => x !== "")];
      const days = parts.map((x) => bareDayOfMonth(x, today));
      if (days.some((d) => d === undefined)) return undefined;
      const sorted = (days as DayNumber[]).slice().sort((a, b) => a - b);
      const scattered = sorted.some((d, i) => i > 0 && d - sorted[i - 1]! !== 1);
      return { span: { from: sorted[0]!, to: sorted[sorted.length - 1]! }, isDay: false, future: false, listed: true, scattered };
    },
  },
  {
    pattern: new RegExp(RELATIVE_DAYS.map(([word]) => word).sort((a, b) => b.length - a.length).join("|"), "y"),
    resolve(m, today) {
      const offset = RELATIVE_DAYS.find(([word]) => word === m[0])![1];
      return day(today + offset, offset > 0);
    },
  },
  {
    // 周五, 上周三, 这周一, 星期天, 礼拜六, 下周二
    // 上周一共 is 上周 + 一共, not last Monday.
    pattern: /(上上|上|这|本|下)?(?:个|一)?(?:周|星期|礼拜)([一二三四五六日天1-7])/y,
    resolve(m, today) {
      if (m[2] === "一" && ONE_AS_WORD.test(m.input.slice(m.index + m[0].length))) return undefined;
      // 本周三场讲座 is three lectures this week: a numeral followed by a counter is a count, not a weekday.
      if (m[1] !== undefined && /[一二三四五六1-6]/.test(m[2]!) && COUNTER_AFTER.test(m.input.slice(m.index + m[0].length))) return undefined;
      const target = WEEKDAY_CHARS[m[2]!]!;
      switch (m[1]) {
        case undefined:
          return day(mostRecentWeekday(today, target));
        case "上":
          return day(periods.week(today, 1).from + target - 1);
        case "上上":
          return day(periods.week(today, 2).from + target - 1);
        case "下":
          return day(periods.week(today, -1).from + target - 1, true);
        default: {
          const d = periods.week(today).from + target - 1;
          return day(d, d > today);
        }
      }
    },
  },
  {
    // 周六日, 周六周日, 上周六日: Saturday and Sunday of one week, one span
    pattern: /(上上|上|这|本)?(?:个)?(?:周|星期|礼拜)六(?:[、和及]?(?:周|星期|礼拜)?(?:日|天))/y,
    resolve(m, today) {
      const back = m[1] === "上上" ? 2 : m[1] === "上" ? 1 : 0;
      let saturday = periods.week(today, back).from + 5;
      if (m[1] === undefined && saturday > today) saturday -= 7;
      return { ...period({ from: saturday, to: saturday + 1 }, saturday > today), listed: true };
    },
  },
  {
    // 周末, 上周末
    pattern: /(上|这|本|下)?(?:个)?(?:周末|礼拜天和礼拜六)/y,
    resolve(m, today) {
      if (m[1] === "上") {
        const week = periods.week(today, 1);
        return period({ from: week.from + 5, to: week.to });
      }
      if (m[1] === "下") {
        const week = periods.week(today, -1);
        return period({ from: week.from + 5, to: week.to }, true);
      }
      const week = periods.week(today);
      const saturday = week.from + 5;
      // 这周末 is this week's, even when it is still ahead (an announcement); a bare 周末 in a report is the most
      // recent one.
      if (m[1] !== undefined && saturday > today) return period({ from: saturday, to: week.to }, true);
      if (saturday > today) return period({ from: saturday - 7, to: saturday - 6 });
      return period({ from: saturday, to: week.to });
    },
  },
  {
    // 本周, 这周, 上周, 上上周, 下周, 这礼拜
    pattern: /(本|这|这一|上|上一|上上|下|下一)(?:个)?(?:周|星期|礼拜)(?![日天末])/y,
    resolve(m, today) {
      const rest = m.input.slice(m.index + m[0].length);
      if (/^[二三四五六1-7]/.test(rest) && !COUNTER_AFTER.test(rest.slice(1))) return undefined;
      if (rest.startsWith("一") && !ONE_AS_WORD.test(rest.slice(1)) && !COUNTER_AFTER.test(rest.slice(1))) return undefined;
      const back = m[1]!.startsWith("上上") ? 2 : m[1]!.startsWith("上") ? 1 : m[1]!.startsWith("下") ? -1 : 0;
      return period(periods.week(today, back), back < 0);
    },
  },
  {
    // 本月, 这个月, 上个月, 上月底, 下个月
    pattern: /(本|这个|这|当|上个|上一个|上|下个|下)月(?:份)?(初|上旬|中旬|下旬|底|末)?/y,
    resolve(m, today) {
      const now = civil(today);
      const offset = m[1]!.startsWith("上") ? -1 : m[1]!.startsWith("下") ? 1 : 0;
      return period(partOfMonth(periods.month(now.year, now.month + offset), m[2]), offset > 0);
    },
  },
  {
    // 本季度, 上季度, 这个季度
    pattern: /(本|这个|这一|这|上个|上一个|上|下个|下)季度?/y,
    resolve(m, today) {
      if (!m[0].endsWith("季度") && !m[0].endsWith("季")) return undefined;
      const now = civil(today);
      const offset = m[1]!.startsWith("上") ? -1 : m[1]!.startsWith("下") ? 1 : 0;
      const index = now.year * 4 + Math.floor((now.month - 1) / 3) + offset;
      return period(periods.quarter(Math.floor(index / 4), (index % 4) + 1), offset > 0);
    },
  },
  {
    // 国庆第四天, 五一假期第二天: one day of the holiday.
    pattern: /(国庆|十一|五一)(?:节)?(?:假期|长假|小长假)?(?:的)?第([一二三四五六七1-7])天/y,
    resolve(m, today) {
      const n = smallNumber(m[2]!);
      const month = m[1] === "五一" ? 5 : 10;
      if (n === undefined) return undefined;
      let year = currentYear(today);
      if (dayNumber(year, month, 1) > today) year -= 1;
      return day(dayNumber(year, month, 1) + n - 1);
    },
  },
  {
    pattern: /国庆(?:节)?(?:期间|假期|长假|七天)?|十一(?:期间|假期|长假)/y,
    resolve(_m, today) {
      let year = currentYear(today);
      if (dayNumber(year, 10, 1) > today) year -= 1;
      return period({ from: dayNumber(year, 10, 1), to: dayNumber(year, 10, 7) });
    },
  },
  {
    pattern: /(?:五一|劳动节)(?:期间|假期|小长假)?/y,
    resolve(_m, today) {
      let year = currentYear(today);
      if (dayNumber(year, 5, 1) > today) year -= 1;
      return period({ from: dayNumber(year, 5, 1), to: dayNumber(year, 5, 5) });
    },
  },
  {
    // 端午三天, 中秋假期, 春节期间, 元宵节那天: the lunar festivals, from a table of their days (月, 日).
    // A bare festival name (端午诗词, 月满中秋, 因春节闭馆) names the occasion, not the days.
    pattern: /(春节|元宵|端午|中秋)(?:节)?(?:(期间|假期|小长假|长假|三天|七天)|当天|那天|当日|(?=第[一二三四五六七1-7]天|最后一天))/y,
    resolve(m, today) {
      const festival = m[1] as keyof typeof LUNAR_FESTIVALS;
      let year = currentYear(today);
      const dayIn = (y: number) => {
        const md = LUNAR_FESTIVALS[festival][y];
        return md ? dayNumber(y, md[0], md[1]) : undefined;
      };
      let first = dayIn(year);
      if (first === undefined) return undefined;
      if (first > today) {
        year -= 1;
        first = dayIn(year);
        if (first === undefined) return undefined;
      }
      // The holiday around the day: three days for 端午 and 中秋, 除夕 to 初六 for 春节.
      // 端午第三天 / 中秋最后一天: the holiday, narrowed by scanDateAt.
      if (!m[2] && /^(?:第|最后)/.test(m.input.slice(m.index + m[0].length))) return period(festival === "春节" ? { from: first - 1, to: first + 5 } : { from: first, to: first + 2 });
      if (!m[2]) return day(first);
      if (festival === "春节") return period({ from: first - 1, to: first + 5 });
      if (festival === "元宵") return day(first);
      return period({ from: first, to: first + 2 });
    },
  },
  {
    // 读书日那天, 世界读书日当天: 23 April. A bare 读书日 names the occasion (读书日相关报道, 读书日倒计时), not the day.
    pattern: /(?:世界)?读书日(?:那天|当天|当日)/y,
    resolve(_m, today) {
      let year = currentYear(today);
      if (dayNumber(year, 4, 23) > today) year -= 1;
      return day(dayNumber(year, 4, 23));
    },
  },
  {
    // 元旦三天, 元旦假期: the three days of the holiday; 元旦 alone is 1 January.
    pattern: /元旦(?:期间|假期|三天|小长假|当天)?/y,
    resolve(m, today) {
      let year = currentYear(today);
      if (dayNumber(year, 1, 1) > today) year -= 1;
      if (/期间|假期|三天|小长假/.test(m[0])) return period({ from: dayNumber(year, 1, 1), to: dayNumber(year, 1, 3) });
      return day(dayNumber(year, 1, 1));
    },
  },
  {
    // 年底, 年末, 今年最后一天, 截至年底: 31 December (of the year just closed, in January and February).
    pattern: /(今年|去年)(?:的)?最后一天|(今年|去年)?(?:的)?(?:年底|年末)(?!前)/y,
    resolve(m, today) {
      const now = civil(today);
      const which = m[1] ?? m[2];
      const year = which === "去年" ? now.year - 1 : which === "今年" ? now.year : now.month <= 2 ? now.year - 1 : now.year;
      return day(dayNumber(year, 12, 31));
    },
  },
];

/** Recognises the longest date expression starting exactly at `position`, with an optional range to a second
 * date (11月1日至15日, 周一到周三). */
export function scanDateAt(text: string, position: number, today: DayNumber): DateMatch | undefined {
  const first = longestRuleMatch(text, position, today);
  if (!first) return undefined;
  const connector = /\s*(?:至|到|~|-|—|－)\s*/y;
  connector.lastIndex = first.end;
  if (connector.exec(text)) {
    const secondStart = connector.lastIndex;
    const second = longestRuleMatch(text, secondStart, today) ?? bareDayInMonthOf(text, secondStart, first) ?? bareWeekdayOf(text, secondStart, first);
    if (second && second.span.to >= first.span.from && (first.isDay === second.isDay)) {
      return {
        start: position,
        end: second.end,
        span: { from: first.span.from, to: second.span.to },
        label: text.slice(position, second.end),
        isDay: false,
        future: first.future || second.future,
      };
    }
  }
  // 中秋假期最后一天, 春节期间第三天: one day of a holiday just named.
  // 国庆前四天, 国庆后三天: the first or last days of it.
  const within = first.isDay ? null : /(?:的)?(?:最后一天|第([一二三四五六七八九1-9])天|([前后])([两二三四五六七2-7])天)/y;
  if (within) {
    within.lastIndex = first.end;
    const m = within.exec(text);
    const n = m?.[1] === undefined ? undefined : smallNumber(m[1]);
    const count = m?.[3] === undefined ? undefined : smallNumber(m[3]);
    if (m && count !== undefined && first.span.from + count - 1 <= first.span.to) {
      const span = m[2] === "前" ? { from: first.span.from, to: first.span.from + count - 1 } : { from: first.span.to - count + 1, to: first.span.to };
      return { start: position, end: within.lastIndex, span, label: text.slice(position, within.lastIndex), isDay: false, future: first.future };
    }
    const d = m && count === undefined ? (n === undefined ? first.span.to : first.span.from + n - 1) : undefined;
    if (m && d !== undefined && d <= first.span.to) {
      return { start: position, end: within.lastIndex, span: { from: d, to: d }, label: text.slice(position, within.lastIndex), isDay: true, future: first.future };
    }
  }
  // 上周六上周日: two consecutive days written side by side are both of them.
  const next = first.isDay ? longestRuleMatch(text, first.end, today) : undefined;
  if (next?.isDay && next.span.from === first.span.to + 1) {
    return { start: position, end: next.end, span: { from: first.span.from, to: next.span.to }, label: text.slice(position, next.end), isDay: false, future: first.future || next.future };
  }
  return first;
}

function longestRuleMatch(text: string, position: number, today: DayNumber): DateMatch | undefined {
  let best: DateMatch | undefined;
  for (const rule of RULES) {
    rule.pattern.lastIndex = position;
    const match = rule.pattern.exec(text);
    if (!match || match[0].length === 0) continue;
    const end = position + match[0].length;
    if (best && end <= best.end) continue;
    const resolved = rule.resolve(match, today);
    if (!resolved) continue;
    best = { start: position, end, label: match[0], ...resolved };
  }
  return best;
}

/** 11月1日至15日: the second end borrows the first's month. */
function bareDayInMonthOf(text: string, position: number, first: DateMatch): DateMatch | undefined {
  const pattern = new RegExp(`${N}[日号]`, "y");
  pattern.lastIndex = position;
  const match = pattern.exec(text);
  if (!match || !first.isDay) return undefined;
  const d = dayOfMonth(match[1]);
  const base = civil(first.span.from);
  const resolved = civilDay(base.year, base.month, d);
  if (resolved === undefined) return undefined;
  return { start: position, end: position + match[0].length, span: { from: resolved, to: resolved }, label: match[0], isDay: true, future: false };
}

/** 本周一到三: the second weekday of a range written without 周. */
function bareWeekdayOf(text: string, position: number, first: DateMatch): DateMatch | undefined {
  const order = "一二三四五六日";
  const from = /(?:周|星期|礼拜)([一二三四五六日天])$/.exec(first.label);
  const to = /[一二三四五六日天](?![\d一二三四五六七八九十百千万场次个人本册位名期])/y;
  to.lastIndex = position;
  const match = to.exec(text);
  if (!from || !match || !first.isDay) return undefined;
  const offset = order.indexOf(match[0] === "天" ? "日" : match[0]) - order.indexOf(from[1] === "天" ? "日" : from[1]!);
  if (offset <= 0) return undefined;
  const resolved = first.span.from + offset;
  return { start: position, end: position + 1, span: { from: resolved, to: resolved }, label: match[0], isDay: true, future: false };
}

/** A report covers what has happened: a period that contains today ends today (本周 = Monday..today); a period
 * wholly in the future is not a report at all. */
export function resolveForReport(match: DateMatch, today: DayNumber): { span: Span; future: boolean } {
  if (match.future || match.span.from > today) return { span: match.span, future: true };
  return { span: { from: match.span.from, to: Math.min(match.span.to, today) }, future: false };
}

/** A question about 本周/本月/今年 means the whole calendar period. */
export function resolveForQuery(match: DateMatch): Span {
  return match.span;
}

export { weekday };
