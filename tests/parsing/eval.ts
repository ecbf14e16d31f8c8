// Prints the parser's figures on the evaluation corpus: `npx tsx tests/parsing/eval.ts [--failures]`.
import { evaluateCorpus, loadCorpus, loadEntries, ratios, type Score } from "./corpus-eval.ts";

const pct = (n: number) => (n * 100).toFixed(1).padStart(5) + "%";

function row(name: string, s: Score): string {
  const r = ratios(s);
  return [
    name.padEnd(12), String(s.messages).padStart(4), pct(s.kindCorrect / Math.max(1, s.messages)),
    pct(r.precision), pct(r.recall), pct(r.f1),
    `${s.asksGiven}/${s.asksExpected}`.padStart(6), String(s.needlessAsks).padStart(5),
    `${s.queriesCorrect}/${s.queriesExpected}`.padStart(6), `${s.correctionsCorrect}/${s.correctionsExpected}`.padStart(6),
    String(s.chatterRecords).padStart(5),
  ].join("  ");
}

// --pattern NAME scores one file's messages only; --file PATH scores a JSON Lines file kept outside the corpus
// (a blind set measured before anything is fixed for it).
const optionValue = (name: string) => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const only = optionValue("--pattern");
const file = optionValue("--file");
const entries = file ? loadEntries(file) : only ? loadCorpus().filter((e) => e.pattern === only) : undefined;
const { total, byPattern, failures } = evaluateCorpus(entries);
console.log(["pattern".padEnd(12), "msgs", "  kind", "  prec", "recall", "    F1", "  asks", "extra", "query", "  corr", "leak"].join("  "));
for (const [pattern, score] of [...byPattern.entries()].sort()) console.log(row(pattern, score));
console.log(row("ALL", total));
const u = ratios(total.unambiguous);
console.log(`\nunambiguous records: precision ${pct(u.precision)} recall ${pct(u.recall)} F1 ${pct(u.f1)}`);
console.log(`records from chatter/plans (expected kind other): ${total.chatterRecords}`);
console.log(`failures: ${failures.length}`);
if (process.argv.includes("--failures")) {
  for (const f of failures) {
    console.log(`\n[${f.entry.pattern}] ${JSON.stringify(f.entry.text)}\n  ${f.reasons.join("\n  ")}\n  got ${JSON.stringify(f.actual)}`);
  }
}
