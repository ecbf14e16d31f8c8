// The week's chart as a PNG: ECharts renders SVG on the server (no canvas, no browser), resvg rasterises it.
// resvg is told exactly which font file to use (Debian's fonts-wqy-microhei): with system fonts alone a server
// without CJK fonts draws every Chinese character as an empty box, and nothing fails.
import { existsSync } from "node:fs";
import { Resvg } from "@resvg/resvg-js";
import * as echarts from "echarts";
import type { WeekChartData } from "./weekly.js";

export const DEFAULT_CJK_FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";
const FONT_FAMILY = "WenQuanYi Micro Hei";

export class ChartFontMissingError extends Error {
  override name = "ChartFontMissingError";
}

export interface ChartOptions {
  fontFile?: string;
  width?: number;
  height?: number;
}

/** The chart as SVG text. The chart instance is disposed: an undisposed SSR chart keeps timers alive and the
 * process does not exit. */
export function weekChartSvg(data: WeekChartData, options: ChartOptions = {}): string {
  const width = options.width ?? 900;
  const height = options.height ?? 520;
  const chart = echarts.init(null, null, { renderer: "svg", ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: "#ffffff",
      textStyle: { fontFamily: FONT_FAMILY },
      title: { text: data.title, left: "center", top: 12, textStyle: { fontSize: 20, fontFamily: FONT_FAMILY } },
      legend: { top: 48, textStyle: { fontSize: 14, fontFamily: FONT_FAMILY } },
      grid: { left: 70, right: 30, top: 96, bottom: 70 },
      xAxis: { type: "category", data: data.categories, axisLabel: { fontSize: 13, fontFamily: FONT_FAMILY, interval: 0 } },
      yAxis: { type: "value", name: data.unit, nameTextStyle: { fontSize: 13, fontFamily: FONT_FAMILY }, axisLabel: { fontSize: 12 } },
      series: data.series.map((s) => ({
        name: s.name,
        type: "bar",
        stack: "total",
        data: s.values,
        label: { show: false },
      })),
    });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

/** The chart as PNG bytes, Chinese text drawn with the WQY font. */
export function weekChartPng(data: WeekChartData, options: ChartOptions = {}): Buffer {
  const fontFile = options.fontFile ?? DEFAULT_CJK_FONT;
  if (!existsSync(fontFile)) {
    throw new ChartFontMissingError(`CJK font ${fontFile} not found: install the Debian package fonts-wqy-microhei`);
  }
  const svg = weekChartSvg(data, options);
  const resvg = new Resvg(svg, {
    background: "#ffffff",
    font: { fontFiles: [fontFile], loadSystemFonts: false, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
  });
  return resvg.render().asPng();
}
