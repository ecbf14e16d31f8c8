import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveForQuery, resolveForReport, scanDateAt } from "../../src/parsing/date-expressions.ts";
import { civil, dayFromIso, dayNumber, isoDay, todayIn, weekday } from "../../src/parsing/dates.ts";

const today = dayFromIso("2026-11-18"); // a Wednesday

function resolve(text: string): string | undefined {
  const match = scanDateAt(text, 0, today);
  if (!match) return undefined;
  const span = resolveForQuery(match);
  return span.from === span.to ? isoDay(span.from) : `${isoDay(span.from)}..${isoDay(span.to)}`;
}

describe("date expressions (reference Wednesday 2026-11-18)", () => {
  it.each([
    ["今天", "2026-11-18"], ["昨天", "2026-11-17"], ["前天", "2026-11-16"], ["昨儿", "2026-11-17"], ["大前天", "2026-11-15"],
    ["周五", "2026-11-13"], ["周三", "2026-11-18"], ["周一", "2026-11-16"], ["星期天", "2026-11-15"], ["上周三", "2026-11-11"],
    ["11月20日", "2026-11-20"], ["11.16", "2026-11-16"], ["11/16", "2026-11-16"], ["十一月十六日", "2026-11-16"],
    ["16号", "2026-11-16"], ["20号", "2026-10-20"], ["2026-11-12", "2026-11-12"], ["2026年11月10日", "2026-11-10"],
    ["本周", "2026-11-16..2026-11-22"], ["上周", "2026-11-09..2026-11-15"], ["周末", "2026-11-14..2026-11-15"],
    ["本月", "2026-11-01..2026-11-30"], ["上个月", "2026-10-01..2026-10-31"], ["今年", "2026-01-01..2026-12-31"],
    ["第三季度", "2026-07-01..2026-09-30"], ["上半年", "2026-01-01..2026-06-30"], ["11月初", "2026-11-01..2026-11-10"],
    ["国庆期间", "2026-10-01..2026-10-07"], ["今年一至三月", "2026-01-01..2026-03-31"], ["1-10月", "2026-01-01..2026-10-31"],
    ["12月", "2025-12-01..2025-12-31"], ["去年", "2025-01-01..2025-12-31"], ["Q3", "2026-07-01..2026-09-30"],
    ["本季度", "2026-10-01..2026-12-31"], ["周一到周三", "2026-11-16..2026-11-18"], ["11月1日至15日", "2026-11-01..2026-11-15"],
  ])("%s → %s", (text, expected) => {
    expect(resolve(text)).toBe(expected);
  });

  it("reads 上周一共 as last week, not last Monday", () => {
    expect(resolve("上周一共")).toBe("2026-11-09..2026-11-15");
    expect(resolve("上周一到馆")).toBe("2026-11-09");
  });

  it("truncates a current period to today for reports and marks future ones", () => {
    const week = scanDateAt("本周", 0, today)!;
    expect(resolveForReport(week, today)).toEqual({ span: { from: dayFromIso("2026-11-16"), to: today }, future: false });
    expect(resolveForReport(scanDateAt("明天", 0, today)!, today).future).toBe(true);
    expect(resolveForReport(scanDateAt("下周二", 0, today)!, today).future).toBe(true);
  });

  it.each(["3号报告厅", "1.2万", "3.5小时", "统一"])("does not read %s as a date", (text) => {
    expect(scanDateAt(text, 0, today)).toBeUndefined();
  });
});

describe("calendar arithmetic", () => {
  it("round-trips every day between 1900 and 2200", () => {
    fc.assert(
      fc.property(fc.integer({ min: dayNumber(1900, 1, 1), max: dayNumber(2200, 12, 31) }), (day) => {
        const { year, month, day: d } = civil(day);
        expect(dayNumber(year, month, d)).toBe(day);
        expect(dayFromIso(isoDay(day))).toBe(day);
        expect(weekday(day + 7)).toBe(weekday(day));
      }),
    );
  });

  it("round-trips M月D日 and bare weekdays resolve to the most recent past day", () => {
    fc.assert(
      fc.property(fc.integer({ min: dayNumber(2020, 1, 1), max: dayNumber(2035, 12, 31) }), fc.integer({ min: 1, max: 7 }), (ref, target) => {
        const names = ["一", "二", "三", "四", "五", "六", "日"];
        const match = scanDateAt(`周${names[target - 1]}`, 0, ref)!;
        const day = match.span.from;
        expect(weekday(day)).toBe(target);
        expect(day).toBeLessThanOrEqual(ref);
        expect(ref - day).toBeLessThan(7);
        const { month, day: d } = civil(ref);
        const same = scanDateAt(`${month}月${d}日`, 0, ref)!;
        expect(same.span.from).toBe(ref);
      }),
    );
  });

  it("takes 'today' in the library's zone whatever the instant", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) }), (ms) => {
        const shanghai = new Date(ms + 8 * 3600_000);
        const expected = dayNumber(shanghai.getUTCFullYear(), shanghai.getUTCMonth() + 1, shanghai.getUTCDate());
        expect(todayIn(new Date(ms), "Asia/Shanghai")).toBe(expected);
      }),
    );
  });

  it("never throws on any text at any position", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30, unit: fc.constantFrom(..."0123456789.-/年月日号周星期天今昨前本上下这第季度半十一二三四五六七八九两至到xQ") }), fc.nat(30), (text, position) => {
        const match = scanDateAt(text, Math.min(position, text.length), today);
        if (match) expect(match.span.from).toBeLessThanOrEqual(match.span.to);
      }),
      { numRuns: 3000 },
    );
  });
});
