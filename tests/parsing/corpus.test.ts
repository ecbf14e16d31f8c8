// The evaluation corpus as a regression gate: hand-written staff messages (tests/parsing/corpus/*.jsonl) with
// their expected output. Thresholds sit a little under today's figures so that a regression fails the build.
import { describe, expect, it } from "vitest";
import { evaluateCorpus, loadCorpus, ratios } from "./corpus-eval.ts";

describe("evaluation corpus", () => {
  const entries = loadCorpus();
  const { total, byPattern, failures } = evaluateCorpus(entries);
  const describeFailures = () => failures.map((f) => `${f.entry.text}: ${f.reasons.join("; ")}`).join("\n");

  it("has at least 500 messages covering every pattern", () => {
    expect(entries.length).toBeGreaterThanOrEqual(500);
    for (const pattern of ["basic", "numerals", "multi", "dates", "branches", "events", "subset", "voice", "noise", "seeds",
      "traps", "chatter", "plans", "queries", "corrections", "ambiguous", "intents"]) {
      expect(byPattern.get(pattern)?.messages ?? 0, pattern).toBeGreaterThan(0);
    }
  });

  it("reaches record F1 ≥ 0.98 on unambiguous messages", () => {
    expect(ratios(total.unambiguous).f1, describeFailures()).toBeGreaterThanOrEqual(0.98);
  });

  it("never records anything from chatter, plans, pledges or traps", () => {
    expect(total.chatterRecords, describeFailures()).toBe(0);
  });

  it("asks back on every ambiguous message and records nothing for them", () => {
    expect(total.asksGiven).toBe(total.asksExpected);
    const ambiguous = byPattern.get("ambiguous")!;
    expect(ambiguous.falsePositives).toBe(0);
  });

  it("classifies ≥ 97% of messages and answers ≥ 95% of queries and corrections exactly", () => {
    expect(total.kindCorrect / total.messages, describeFailures()).toBeGreaterThanOrEqual(0.97);
    expect(total.queriesCorrect / total.queriesExpected).toBeGreaterThanOrEqual(0.95);
    expect(total.correctionsCorrect / total.correctionsExpected).toBeGreaterThanOrEqual(0.95);
  });
});
