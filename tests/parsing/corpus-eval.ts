// Scores the parser against the hand-written evaluation corpus (tests/parsing/corpus/*.jsonl): kind accuracy,
// record precision/recall per pattern, questions asked back, and records leaked from chatter. Shared by the
// threshold test (corpus.test.ts), the report script (eval.ts) and the benchmark (bench/parse.ts).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildCatalogue } from "../../src/catalogue/index.ts";
import { resultToJson, type ParseResultJson, type QueryJson, type RecordJson } from "../../src/parsing/json.ts";
import { parseMessage } from "../../src/parsing/parse.ts";
import type { BranchEntry, ParseContext } from "../../src/parsing/types.ts";

export const CORPUS_DIR = join(import.meta.dirname, "corpus");

export interface CorpusEntry {
  text: string;
  now: string;
  pattern: string;
  /** Another branch directory for this message: a JSON file in the corpus folder (default branches.json). */
  branches?: string;
  expect: {
    kind: ParseResultJson["kind"];
    records: RecordJson[];
    query?: QueryJson | QueryJson[];
    correction?: ParseResultJson["correction"];
    /** true: the parser must ask back (the wording is not compared). */
    ask?: boolean;
    intent?: string;
  };
}

export function loadCorpus(dir = CORPUS_DIR): CorpusEntry[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".jsonl"))
    .sort()
    .flatMap((name) => loadEntries(join(dir, name)));
}

export function loadEntries(file: string): CorpusEntry[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line, index) => {
      try {
        return JSON.parse(line) as CorpusEntry;
      } catch (error) {
        throw new Error(`${file}:${index + 1}: not a JSON line`, { cause: error });
      }
    });
}

export function loadBranches(dir = CORPUS_DIR, file = "branches.json"): BranchEntry[] {
  return JSON.parse(readFileSync(join(dir, file), "utf8")) as BranchEntry[];
}

const otherDirectories = new Map<string, BranchEntry[]>();

/** The entry's own branch directory when it names one, else the shared context's. */
function entryContext(entry: CorpusEntry, context: Omit<ParseContext, "now">): Omit<ParseContext, "now"> {
  if (entry.branches === undefined) return context;
  let branches = otherDirectories.get(entry.branches);
  if (!branches) {
    branches = loadBranches(CORPUS_DIR, entry.branches);
    otherDirectories.set(entry.branches, branches);
  }
  return { ...context, branches };
}

export function corpusContext(branches = loadBranches()): Omit<ParseContext, "now"> {
  return { timezone: "Asia/Shanghai", branches, catalogue: buildCatalogue() };
}

export function parseEntry(entry: CorpusEntry, context = corpusContext()): ParseResultJson {
  return resultToJson(parseMessage(entry.text, { ...entryContext(entry, context), now: new Date(entry.now) }));
}

export interface Score {
  messages: number;
  kindCorrect: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  /** Messages expected to ask back, and how many did. */
  asksExpected: number;
  asksGiven: number;
  /** Asks where none was expected. */
  needlessAsks: number;
  queriesExpected: number;
  queriesCorrect: number;
  correctionsExpected: number;
  correctionsCorrect: number;
  /** Records produced for messages whose expected kind is other. */
  chatterRecords: number;
  /** Unambiguous messages only (no ask expected). */
  unambiguous: { truePositives: number; falsePositives: number; falseNegatives: number };
}

export interface Failure {
  entry: CorpusEntry;
  actual: ParseResultJson;
  reasons: string[];
}

export function emptyScore(): Score {
  return {
    messages: 0, kindCorrect: 0, truePositives: 0, falsePositives: 0, falseNegatives: 0, asksExpected: 0, asksGiven: 0,
    needlessAsks: 0, queriesExpected: 0, queriesCorrect: 0, correctionsExpected: 0, correctionsCorrect: 0,
    chatterRecords: 0, unambiguous: { truePositives: 0, falsePositives: 0, falseNegatives: 0 },
  };
}

const recordKey = (r: RecordJson) =>
  JSON.stringify([r.metric, r.value, r.unit, r.approx, r.date, r.branch ?? null, r.event_type ?? null, r.subset ?? false]);

const queryKey = (q: QueryJson) =>
  JSON.stringify([q.metric, q.period, q.aggregation, q.branch ?? null, q.event_type ?? null, q.compare ?? null]);

function asList<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** Multiset intersection size of two record lists. */
function matchedRecords(expected: RecordJson[], actual: RecordJson[]): number {
  const pool = new Map<string, number>();
  for (const r of expected) pool.set(recordKey(r), (pool.get(recordKey(r)) ?? 0) + 1);
  let matched = 0;
  for (const r of actual) {
    const left = pool.get(recordKey(r)) ?? 0;
    if (left > 0) {
      matched += 1;
      pool.set(recordKey(r), left - 1);
    }
  }
  return matched;
}

export function scoreEntry(entry: CorpusEntry, actual: ParseResultJson, score: Score): string[] {
  const reasons: string[] = [];
  const { expect } = entry;
  score.messages += 1;
  const askOk = Boolean(expect.ask) === (actual.ask !== undefined);
  const intentOk = expect.intent === undefined || expect.intent === actual.intent;
  if (expect.kind === actual.kind && askOk && intentOk) score.kindCorrect += 1;
  else reasons.push(`kind ${expect.kind}${expect.ask ? "+ask" : ""}${expect.intent ? ":" + expect.intent : ""} ≠ ${actual.kind}${actual.ask ? "+ask" : ""}${actual.intent ? ":" + actual.intent : ""}`);

  const matched = matchedRecords(expect.records, actual.records);
  const fp = actual.records.length - matched;
  const fn = expect.records.length - matched;
  score.truePositives += matched;
  score.falsePositives += fp;
  score.falseNegatives += fn;
  if (!expect.ask) {
    score.unambiguous.truePositives += matched;
    score.unambiguous.falsePositives += fp;
    score.unambiguous.falseNegatives += fn;
  }
  if (fp > 0 || fn > 0) reasons.push(`records: ${matched} matched, ${fp} wrong, ${fn} missing`);
  if (expect.kind === "other") score.chatterRecords += actual.records.length;
  if (expect.ask) {
    score.asksExpected += 1;
    if (actual.ask !== undefined) score.asksGiven += 1;
  } else if (actual.ask !== undefined) {
    score.needlessAsks += 1;
  }
  if (expect.query !== undefined) {
    score.queriesExpected += 1;
    const want = asList(expect.query).map(queryKey).sort();
    const got = asList(actual.query).map(queryKey).sort();
    if (JSON.stringify(want) === JSON.stringify(got)) score.queriesCorrect += 1;
    else reasons.push(`query ${want.join(" ")} ≠ ${got.join(" ")}`);
  }
  if (expect.correction !== undefined) {
    score.correctionsExpected += 1;
    if (JSON.stringify(sortKeys(expect.correction)) === JSON.stringify(sortKeys(actual.correction))) score.correctionsCorrect += 1;
    else reasons.push(`correction ${JSON.stringify(expect.correction)} ≠ ${JSON.stringify(actual.correction)}`);
  }
  return reasons;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

export interface Evaluation {
  total: Score;
  byPattern: Map<string, Score>;
  failures: Failure[];
}

export function evaluateCorpus(entries = loadCorpus(), context = corpusContext()): Evaluation {
  const total = emptyScore();
  const byPattern = new Map<string, Score>();
  const failures: Failure[] = [];
  for (const entry of entries) {
    const actual = parseEntry(entry, context);
    let patternScore = byPattern.get(entry.pattern);
    if (!patternScore) {
      patternScore = emptyScore();
      byPattern.set(entry.pattern, patternScore);
    }
    const reasons = scoreEntry(entry, actual, total);
    scoreEntry(entry, actual, patternScore);
    if (reasons.length > 0) failures.push({ entry, actual, reasons });
  }
  return { total, byPattern, failures };
}

export function ratios(score: { truePositives: number; falsePositives: number; falseNegatives: number }) {
  const precision = score.truePositives + score.falsePositives === 0 ? 1 : score.truePositives / (score.truePositives + score.falsePositives);
  const recall = score.truePositives + score.falseNegatives === 0 ? 1 : score.truePositives / (score.truePositives + score.falseNegatives);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}
