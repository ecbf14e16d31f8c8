// Recognising a request for a work-summary draft or a weekly digest in chat: 生成第三季度总结, 生成上半年总结,
// 2025年度总结, 生成本周周报, 上周周报. The message grammar (src/parsing) reads these as chatter, so the core asks
// this small matcher first. Pure: the text and the library day in, a period out.
//
// The whole message must be the request (after politeness and a verb): 年度总结会参与50人 is a report, not a
// request, and is left to the parser.
import type { IsoDate } from "../parsing/types.js";
import { isoWeekOf, halfPeriod, previousPeriod, quarterPeriod, weekContaining, weekPeriod, yearPeriod, type Period } from "../digests/periods.js";

export type DraftRequest =
  | { kind: "summary"; period: Period }
  | { kind: "digest"; period: Period }
  /** Looks like a request but names a period that does not exist (第60周): the reply says why. */
  | { kind: "invalid"; reply: string };

const CHINESE_NUMBER: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4 };

/** Whitespace (WeCom puts U+2005 after an @-mention), closing punctuation and softeners are not part of it. */
function normalize(text: string): string {
  return text
    .replace(/\s+/gu, "")
    .replace(/[。.!！~～?？]+$/u, "")
    .replace(/(?:吧|一下|谢谢)+$/u, "")
    .replace(/^(?:请|麻烦|帮忙|帮我|给我|请帮我|麻烦帮我)+/u, "")
    .replace(/^(?:生成|出|做|写|发|来|起草|拟|整理)(?:一[份个下篇])?/u, "");
}

type YearSpec = { explicit: number } | "this" | "last" | undefined;

/** A leading year: 2025年, 今年, 本年, 去年, 上年 / 上一年; the rest names the period within it. */
function splitYear(expr: string): { year: YearSpec; rest: string } {
  const m = /^(?:(\d{4})年|(今年|本年|去年|上一?年))的?/u.exec(expr);
  if (!m) return { year: undefined, rest: expr };
  const year: YearSpec = m[1] ? { explicit: Number(m[1]) } : m[2] === "今年" || m[2] === "本年" ? "this" : "last";
  return { year, rest: expr.slice(m[0].length) };
}

function yearOf(spec: YearSpec, today: IsoDate): number | undefined {
  const current = Number(today.slice(0, 4));
  if (spec === undefined) return undefined;
  if (spec === "this") return current;
  if (spec === "last") return current - 1;
  return spec.explicit;
}

/** Without a year, 第三季度 / 上半年 is the latest one that has begun: in February, 第四季度 is last year's. */
function latestBegun(make: (year: number) => Period, today: IsoDate): Period {
  const thisYear = make(Number(today.slice(0, 4)));
  return thisYear.range.from <= today ? thisYear : make(thisYear.year - 1);
}

function quarterContaining(day: IsoDate): Period {
  return quarterPeriod(Number(day.slice(0, 4)), Math.ceil(Number(day.slice(5, 7)) / 3));
}

/** A quarter, half year or year named in `expr`, or undefined. */
function summaryPeriod(expr: string, today: IsoDate): Period | undefined {
  const { year: spec, rest } = splitYear(expr);
  const year = yearOf(spec, today);
  let m = /^第?([一二三四1-4])季度$/u.exec(rest);
  if (m) {
    const quarter = CHINESE_NUMBER[m[1]!] ?? Number(m[1]);
    return year !== undefined ? quarterPeriod(year, quarter) : latestBegun((y) => quarterPeriod(y, quarter), today);
  }
  if (spec === undefined && /^(?:本|这个?|当前)季度$/u.test(rest)) return quarterContaining(today);
  if (spec === undefined && /^上一?个?季度$/u.test(rest)) return previousPeriod(quarterContaining(today));
  m = /^([上下])半年$/u.exec(rest);
  if (m) {
    const half = m[1] === "上" ? 1 : 2;
    return year !== undefined ? halfPeriod(year, half) : latestBegun((y) => halfPeriod(y, half), today);
  }
  if (year !== undefined && /^(?:度|全年)?$/u.test(rest)) return yearPeriod(year);
  // 年度总结 without a year: the year now under way, except in January, when last year's is what is written.
  if (spec === undefined && /^(?:年度|全年)$/u.test(rest)) {
    const current = Number(today.slice(0, 4));
    return yearPeriod(today.slice(5, 7) === "01" ? current - 1 : current);
  }
  return undefined;
}

/** A week named in `expr` ("" is the last complete week, as the Monday digest), or an explanation. */
function weekPeriodFrom(expr: string, today: IsoDate): Period | { reply: string } | undefined {
  const thisWeek = weekContaining(today);
  if (expr === "") return previousPeriod(thisWeek);
  if (/^(?:本|这)周$|^(?:本|这个?)星期$/u.test(expr)) return thisWeek;
  if (/^上一?个?(?:周|星期)$/u.test(expr)) return previousPeriod(thisWeek);
  const m = /^(?:(\d{4})年)?第(\d{1,2})周$/u.exec(expr);
  if (!m) return undefined;
  const year = m[1] ? Number(m[1]) : isoWeekOf(today).year;
  const week = Number(m[2]);
  const last = isoWeekOf(`${year}-12-28`).week;
  if (week < 1 || week > last) return { reply: `${year}年只有第1至${last}周，没有第${week}周。` };
  return weekPeriod(year, week);
}

/** The draft a message asks for, or undefined when it is not such a request. `today` is the library day. */
export function matchDraftRequest(text: string, today: IsoDate): DraftRequest | undefined {
  const m = /^(.*?)的?(?:工作)?(总结|周报|数据简报|简报)(?:草稿|初稿)?$/u.exec(normalize(text));
  if (!m) return undefined;
  const [, expr = "", noun] = m;
  if (noun === "总结") {
    const period = summaryPeriod(expr, today);
    if (period) return { kind: "summary", period };
    // 本周总结 / 上周工作总结: a week has a digest, not a 总结. A bare 总结 names no period: not a request.
    if (expr === "") return undefined;
  }
  const week = weekPeriodFrom(expr, today);
  if (week === undefined) return undefined;
  return "reply" in week ? { kind: "invalid", reply: week.reply } : { kind: "digest", period: week };
}
