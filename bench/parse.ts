// Messages per second on a large mixed corpus: the evaluation corpus (reports, queries, corrections, chatter,
// traps) repeated. `npx tsx bench/parse.ts [repetitions]`.
import { performance } from "node:perf_hooks";
import { parseMessage } from "../src/parsing/parse.ts";
import { corpusContext, loadCorpus } from "../tests/parsing/corpus-eval.ts";

const repetitions = Number(process.argv[2] ?? 40);
const corpus = loadCorpus();
const context = corpusContext();
const messages = corpus.map((entry) => ({ text: entry.text, now: new Date(entry.now) }));

// Warm up the JIT and the lexicon cache.
for (const m of messages) parseMessage(m.text, { ...context, now: m.now });

let parsed = 0;
let records = 0;
const started = performance.now();
for (let round = 0; round < repetitions; round++) {
  for (const m of messages) {
    records += parseMessage(m.text, { ...context, now: m.now }).records.length;
    parsed += 1;
  }
}
const seconds = (performance.now() - started) / 1000;
const chars = messages.reduce((sum, m) => sum + m.text.length, 0) * repetitions;
console.log(`${parsed} messages (${corpus.length} distinct × ${repetitions}), ${records} records, ${seconds.toFixed(2)} s`);
console.log(`${Math.round(parsed / seconds)} messages/s, ${Math.round(chars / seconds / 1000)}k chars/s, ${((seconds / parsed) * 1e6).toFixed(0)} µs/message`);
