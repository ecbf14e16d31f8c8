// Tables pasted from a spreadsheet: a header row of metric words over rows that start with a day or a branch.
//
//   日期 到馆 借出 还回 办证
//   11/28 1326 804 759 21        →  11/28 到馆1326 借出804 还回759 办证21
//
// Each row is rewritten as an ordinary line, so the rest of the parser reads it like any daily report.
import { matchLexicon, type Lexicon } from "./lexicon.ts";

/** First-column headings that name the row, not a metric. */
const ROW_HEADING = /^(?:日期|时间|项目|馆|馆名|分馆|馆别|名称|星期|单位|场馆)$/;
const FIGURE = /^(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?[万千]?)$/;

export function expandTables(text: string, lexicon: Lexicon): string {
  const lines = text.split("\n");
  let header: string[] | undefined;
  return lines
    .map((line) => {
      const cells = line.trim().split(/\s+/);
      if (isHeader(cells, lexicon)) {
        header = cells;
        return line;
      }
      if (header && cells.length === header.length && cells.slice(1).every((c) => FIGURE.test(c))) {
        return [cells[0], ...cells.slice(1).map((value, i) => `${header![i + 1]!.replace(/[(（]([^)）]*)[)）]$/, "")}${value}${unitOf(header![i + 1]!)}`)].join(" ");
      }
      header = undefined;
      return line;
    })
    .join("\n");
}

function isHeader(cells: string[], lexicon: Lexicon): boolean {
  if (cells.length < 3 || !ROW_HEADING.test(cells[0]!)) return false;
  return cells.slice(1).every((raw) => {
    // 编目(册): a unit in brackets after the metric word.
    const cell = raw.replace(/[(（][^)）]*[)）]$/, "");
    const word = matchLexicon(lexicon, cell, 0);
    return word?.metrics !== undefined && word.text.length >= cell.replace(/人次|册次|人数|册数|场次|次数|数$/, "").length;
  });
}

/** 编目(册) → 册: the unit a header cell gives its column, if any. */
function unitOf(cell: string): string {
  return /[(（]([^)）]*)[)）]$/.exec(cell)?.[1] ?? "";
}
