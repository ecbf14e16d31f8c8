import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseNumeral, toChineseNumeral } from "../../src/parsing/numerals.ts";

describe("parseNumeral", () => {
  it.each([
    ["35", 35], ["两千", 2000], ["1.2万", 12000], ["3千", 3000], ["一万二", 12000], ["两百五", 250], ["廿五", 25],
    ["1万2", 12000], ["二〇二六", 2026], ["1.5千", 1500], ["三十五", 35], ["一百二十", 120], ["一千零五", 1005],
    ["三百零八", 308], ["一万五千八百二十二", 15822], ["十五", 15], ["十", 10], ["一十二", 12], ["七万八", 78000],
    ["4.52万", 45200], ["2432.3万", 24323000], ["壹仟贰佰", 1200], ["百", 100], ["一亿二千万", 120000000],
  ])("%s → %d", (text, value) => {
    expect(parseNumeral(text)).toEqual({ kind: "exact", value });
  });

  it.each([
    ["两三百", 200, 300], ["十几", 11, 19], ["几十", 10, 90], ["二十几", 21, 29], ["四五十", 40, 50], ["一二百", 100, 200],
    ["三四", 3, 4],
  ])("%s is a range %d..%d, never one number", (text, low, high) => {
    expect(parseNumeral(text)).toEqual({ kind: "range", low, high });
  });

  it.each(["万一", "十百", "千千", "", "abc", "三五"])("rejects %j", (text) => {
    expect(parseNumeral(text)).toBeUndefined();
  });

  it("round-trips every integer spelt in Chinese", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999_999 }), (n) => {
        expect(parseNumeral(toChineseNumeral(n))).toEqual({ kind: "exact", value: n });
      }),
      { numRuns: 2000 },
    );
  });

  it("round-trips Arabic integers and decimals, and 万 multiples", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 99 }), (whole, cents) => {
        const decimal = `${whole}.${String(cents).padStart(2, "0")}`;
        expect(parseNumeral(String(whole))).toEqual({ kind: "exact", value: whole });
        expect(parseNumeral(decimal)).toEqual({ kind: "exact", value: Number(decimal) });
        // 1..999 before 万: "0.0万" is no quantity anyone types, and the parser refuses a zero before a big unit.
        const head = (whole % 999) + 1;
        const tenThousands = `${head}.${cents % 10}万`;
        expect(parseNumeral(tenThousands)).toEqual({ kind: "exact", value: head * 10000 + (cents % 10) * 1000 });
      }),
    );
  });

  it("never throws on any string and returns a finite value or nothing", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40, unit: fc.constantFrom(..."0123456789.零〇一二三四五六七八九十百千万亿两廿几x") }), (text) => {
        const result = parseNumeral(text);
        if (result?.kind === "exact") expect(Number.isFinite(result.value)).toBe(true);
        if (result?.kind === "range") expect(result.low).toBeLessThanOrEqual(result.high);
      }),
      { numRuns: 3000 },
    );
  });
});
