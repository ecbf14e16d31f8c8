// Honours named without a number: 「我馆被市文广局表彰为先进集体」 is one 项. Each clause that names an honour is one
// record, with the branch that clause names (…，另外少儿馆获市级“优秀阅读推广基地”称号 is the children's library's).
import { resolveForReport, type DateMatch } from "./date-expressions.ts";
import { toDayRange, type DayNumber } from "./dates.ts";
import type { Token } from "./tokens.ts";
import type { ParsedRecord } from "./types.ts";

const HONOUR = /(?:被|荣获|获得|获评|荣膺|获)[^，,。;；!！]{0,20}(?:表彰为|评为|授予|称号|先进集体|示范)/;
/** 收到通知 announces the honour that arrived; other plan words mean it has not been given yet. */
const NOT_YET = /计划|预计|准备|打算|将于|将在|即将|有望|可望|争取|力争|申报|推荐|候选|参评|拟/;

interface HonourClause {
  tokens: Token[];
  text: string;
}

export function honourRecords(clauses: readonly HonourClause[], wholeText: string, today: DayNumber, defaultBranch?: string): ParsedRecord[] {
  if (clauses.some((c) => c.tokens.some((t) => t.type === "number")) || NOT_YET.test(wholeText)) return [];
  const records: ParsedRecord[] = [];
  let date: DateMatch | undefined;
  for (const clause of clauses) {
    // 表彰为2026年度全民阅读先进集体: a year inside the honour's name is not the day it was given.
    const honour = HONOUR.exec(clause.text);
    const honourStart = (clause.tokens[0]?.start ?? 0) + (honour?.index ?? clause.text.length);
    for (const token of clause.tokens) if (token.type === "date" && token.start < honourStart) date = token.date;
    if (!honour) continue;
    const span = date ? resolveForReport(date, today) : { span: { from: today, to: today }, future: false };
    if (span.future) return [];
    const record: ParsedRecord = { metric: "honors", value: 1, unit: "项", approx: false, date: toDayRange(span.span) };
    const level = levelOf(clause.text);
    if (level) record.level = level;
    const branch = clause.tokens.find((t) => t.type === "lex" && t.entry.branch !== undefined);
    const named = branch?.type === "lex" ? branch.entry.branch : undefined;
    if (named ?? defaultBranch) record.branch = named ?? defaultBranch;
    records.push(record);
  }
  return records;
}

function levelOf(text: string): string | undefined {
  if (/国家级|全国|国家/.test(text)) return "国家级";
  if (/省/.test(text)) return "省级";
  if (/市/.test(text)) return "市级";
  if (/区/.test(text)) return "区级";
  if (/县/.test(text)) return "县级";
  return undefined;
}
