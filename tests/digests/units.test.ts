// Pure parts: WeCom splitting, the chart's Chinese glyphs, periods, the holiday calendar and its fallback.
import { Resvg } from "@resvg/resvg-js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createHolidayCalendar } from "../../src/calendar/holidays.js";
import { createOpenDays } from "../../src/calendar/open-days.js";
import { DEFAULT_CJK_FONT, weekChartPng, weekChartSvg } from "../../src/digests/chart.js";
import { parsePeriod, previousPeriod, sameLastYear } from "../../src/digests/periods.js";
import { byteLength, splitMarkdown } from "../../src/digests/split.js";
import type { WeekChartData } from "../../src/digests/weekly.js";
import { testSite } from "./helpers.js";

describe("splitMarkdown", () => {
  it("keeps sections whole when they fit and never exceeds the limit or cuts a character", () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: "grapheme", maxLength: 300 }), { minLength: 1, maxLength: 8 }), { maxLength: 12 }), (sections) => {
        const blocks = sections.map((lines) => lines.join("\n")).filter((b) => b.length > 0);
        const messages = splitMarkdown(blocks, 512);
        for (const m of messages) expect(byteLength(m)).toBeLessThanOrEqual(512);
        // Nothing lost, nothing broken: the characters come back in order.
        expect(messages.join("").replace(/\n/g, "")).toBe(blocks.join("").replace(/\n/g, ""));
      }),
    );
  });

  it("cuts at section boundaries first", () => {
    const section = (n: number) => `**第${n}节**\n${"到馆人次".repeat(300)}`;
    const messages = splitMarkdown([section(1), section(2), section(3)], 4096);
    expect(messages).toHaveLength(3);
    expect(messages.every((m) => m.startsWith("**第"))).toBe(true);
  });
});

describe("week chart", () => {
  const data: WeekChartData = {
    title: "示例区图书馆2026年第47周每日到馆人次",
    unit: "人次",
    categories: ["周一\n11/16", "周二\n11/17", "周三\n11/18", "周四\n11/19", "周五\n11/20", "周六\n11/21", "周日\n11/22"],
    series: [{ name: "总馆", values: [120, 135, 98, 110, 142, 260, 275] }],
  };

  /** Dark pixels in the title band (the top 45 px, where only the Chinese title is drawn). */
  function darkTitlePixels(fontFiles: string[]): number {
    const image = new Resvg(weekChartSvg(data), { font: { fontFiles, loadSystemFonts: false, defaultFontFamily: "WenQuanYi Micro Hei" } }).render();
    const pixels = image.pixels; // a copy per access: read it once
    let dark = 0;
    for (let y = 0; y < 45; y++) {
      for (let x = 0; x < image.width; x++) {
        const i = (y * image.width + x) * 4;
        if (pixels[i + 3]! > 0 && pixels[i]! < 128) dark++;
      }
    }
    return dark;
  }

  it("is a valid PNG of the requested size", () => {
    const png = weekChartPng(data);
    expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(png.readUInt32BE(16)).toBe(900);
    expect(png.readUInt32BE(20)).toBe(520);
  });

  it("draws the Chinese title with the WQY font (without it the title band stays empty)", () => {
    expect(weekChartSvg(data)).toContain("示例区图书馆");
    expect(darkTitlePixels([DEFAULT_CJK_FONT])).toBeGreaterThan(500);
    expect(darkTitlePixels([])).toBeLessThan(50);
  });
});

describe("periods", () => {
  it("parses weeks, quarters, halves and years", () => {
    expect(parsePeriod("2026-W47").range).toEqual({ from: "2026-11-16", to: "2026-11-22" });
    expect(parsePeriod("2026-W01").range).toEqual({ from: "2025-12-29", to: "2026-01-04" });
    expect(parsePeriod("2026-Q3").range).toEqual({ from: "2026-07-01", to: "2026-09-30" });
    expect(parsePeriod("2026-H1").range).toEqual({ from: "2026-01-01", to: "2026-06-30" });
    expect(parsePeriod("2026").range).toEqual({ from: "2026-01-01", to: "2026-12-31" });
    expect(previousPeriod(parsePeriod("2026-Q1")).id).toBe("2025-Q4");
    expect(sameLastYear(parsePeriod("2026-W47")).range).toEqual({ from: "2025-11-17", to: "2025-11-23" });
    expect(() => parsePeriod("2026-W54")).toThrow(/第1至53周/);
  });
});

describe("holiday calendar", () => {
  it("knows 2026's holidays and 调休 working weekends from chinese-days", () => {
    const calendar = createHolidayCalendar();
    expect(calendar.day("2026-10-01")).toMatchObject({ holiday: true, name: "国庆节", official: true });
    expect(calendar.day("2026-02-14")).toMatchObject({ holiday: false, workingWeekend: true, officialWorkday: true });
    expect(calendar.day("2026-11-22")).toMatchObject({ holiday: false, officialWorkday: false });
  });

  it("falls back to weekends and fixed-date holidays for an unknown year, with one warning", () => {
    const warnings: number[] = [];
    const calendar = createHolidayCalendar({ warn: (_, year) => warnings.push(year) });
    expect(calendar.day("2031-10-02")).toMatchObject({ holiday: true, name: "国庆节", official: false });
    expect(calendar.day("2031-05-01")).toMatchObject({ holiday: true, name: "劳动节" });
    expect(calendar.day("2031-03-04")).toMatchObject({ holiday: false, officialWorkday: true });
    expect(warnings).toEqual([2031]);
  });

  it("lets the site open on a holiday or close on any day", () => {
    const site = testSite({ calendar: { open: ["2026-10-03"], closed: ["2026-11-18"] } });
    const days = createOpenDays(site, createHolidayCalendar(), [{ branch: "城东分馆", date: "2026-11-17", reason: "停电" }]);
    expect(days.openBranches("2026-10-03")).toEqual(["总馆", "城东分馆", "少儿馆"]);
    expect(days.openBranches("2026-10-02")).toEqual([]);
    expect(days.openBranches("2026-11-18")).toEqual([]);
    expect(days.openBranches("2026-11-17")).toEqual(["总馆", "少儿馆"]);
    expect(days.branchDay("城东分馆", "2026-11-16")).toMatchObject({ open: false, reason: "regular", label: "周一例行闭馆" });
  });
});
