// China's official calendar: statutory holidays (法定节假日) and the weekends worked in exchange (调休上班), from
// `chinese-days`, which carries the State Council's published schedule year by year. A year the package does not
// know yet (the schedule is published each November for the next year) falls back to the fixed-date holidays, with
// a warning, so reminders keep running instead of stopping on an unknown year.
import { createRequire } from "node:module";
import type { IsoDate } from "../parsing/types.js";
import { weekdayOf } from "../records/dates.js";

/** The package's data file: day → "English,中文,天数" for holidays and for the 调休 working days. */
interface ChineseDaysData {
  holidays: Record<IsoDate, string>;
  workdays: Record<IsoDate, string>;
}

const require = createRequire(import.meta.url);
// The published schedule as data (the package's own JSON), not its date helpers: its helpers silently treat an
// unknown year as ordinary weekdays and weekends, and we must know when that happens.
const OFFICIAL: ChineseDaysData = require("chinese-days/dist/chinese-days.json") as ChineseDaysData;

/** Holidays fixed on the Gregorian calendar (《全国年节及纪念日放假办法》, 2025 revision): 元旦, 劳动节 two days, 国庆节
 * three days. The lunar holidays and 清明 move and are only known from the published schedule. */
const FIXED_DATE_HOLIDAYS: ReadonlyArray<{ monthDay: string; name: string }> = [
  { monthDay: "01-01", name: "元旦" },
  { monthDay: "05-01", name: "劳动节" },
  { monthDay: "05-02", name: "劳动节" },
  { monthDay: "10-01", name: "国庆节" },
  { monthDay: "10-02", name: "国庆节" },
  { monthDay: "10-03", name: "国庆节" },
];

export interface DayInfo {
  date: IsoDate;
  /** A statutory holiday day (including the weekend days folded into a holiday block). */
  holiday: boolean;
  /** A Saturday or Sunday that is an official working day (调休上班). */
  workingWeekend: boolean;
  /** An official working day: a weekday that is no holiday, or a 调休 weekend. */
  officialWorkday: boolean;
  /** 国庆节, 春节 … for holidays and 调休 days; undefined otherwise. */
  name?: string;
  /** False when the year's published schedule is unknown and the fixed-date fallback answered. */
  official: boolean;
}

export interface HolidayCalendar {
  day(date: IsoDate): DayInfo;
  /** Years the published schedule covers. */
  knownYears(): number[];
}

export interface HolidayCalendarOptions {
  /** Called once per unknown year the first time it is asked about. */
  warn?: (message: string, year: number) => void;
  /** For tests: a different published schedule. */
  data?: ChineseDaysData;
}

function chineseName(entry: string): string {
  return entry.split(",")[1] ?? entry;
}

export function createHolidayCalendar(options: HolidayCalendarOptions = {}): HolidayCalendar {
  const data = options.data ?? OFFICIAL;
  const years = new Set([...Object.keys(data.holidays), ...Object.keys(data.workdays)].map((d) => Number(d.slice(0, 4))));
  const warned = new Set<number>();

  function day(date: IsoDate): DayInfo {
    const year = Number(date.slice(0, 4));
    const weekend = [0, 6].includes(weekdayOf(date));
    if (years.has(year)) {
      const holidayEntry = data.holidays[date];
      const workEntry = data.workdays[date];
      const holiday = holidayEntry !== undefined;
      const workingWeekend = weekend && workEntry !== undefined;
      const entry = holidayEntry ?? workEntry;
      return {
        date,
        holiday,
        workingWeekend,
        officialWorkday: !holiday && (!weekend || workingWeekend),
        ...(entry ? { name: chineseName(entry) } : {}),
        official: true,
      };
    }
    if (!warned.has(year)) {
      warned.add(year);
      options.warn?.(
        `${year}年的法定节假日安排不在 chinese-days 中（已知 ${[...years].sort().slice(-3).join("、")} 等年份）：按周末和固定日期节日（元旦、劳动节、国庆节）处理，春节、清明、端午、中秋和调休请在站点配置 calendar 中补充，或升级 chinese-days`,
        year,
      );
    }
    const fixed = FIXED_DATE_HOLIDAYS.find((h) => h.monthDay === date.slice(5));
    return {
      date,
      holiday: fixed !== undefined,
      workingWeekend: false,
      officialWorkday: fixed === undefined && !weekend,
      ...(fixed ? { name: fixed.name } : {}),
      official: false,
    };
  }

  return { day, knownYears: () => [...years].sort((a, b) => a - b) };
}
