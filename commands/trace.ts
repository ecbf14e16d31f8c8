// `trace --metric KEY --period FROM..TO [--branch NAME]`: the facts behind a figure, each with the message it came
// from and every correction on the way.
import { Command } from "commander";
import { buildCatalogue } from "../src/catalogue/index.js";
import { openDatabase } from "../src/db/open.js";
import { formatNumber } from "../src/bot/format.js";
import { metricInfoFrom } from "../src/records/totals.js";
import { traceFigure, type TraceStep } from "../src/records/trace.js";
import { configFrom, withConfigOption } from "./context.js";

function parsePeriod(value: string): { from: string; to: string } {
  const match = /^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$/.exec(value.trim());
  if (!match) throw new RangeError(`--period ${value} must be YYYY-MM-DD..YYYY-MM-DD (or one day)`);
  const from = match[1]!;
  const to = match[2] ?? from;
  if (to < from) throw new RangeError(`--period ${value} ends before it starts`);
  return { from, to };
}

function stepLine(step: TraceStep): string {
  const range = step.date.from === step.date.to ? step.date.from : `${step.date.from}..${step.date.to}`;
  const what = step.op === "retract" ? "retract" : `${formatNumber(step.value)}${step.unit}`;
  const source = step.message ? `msg #${step.message.id} ${step.message.sentAt.toISOString()} ${step.message.senderId}: ${JSON.stringify(step.message.text)}` : "no message";
  const why = step.reason ? ` (reason: ${JSON.stringify(step.reason)})` : "";
  return `    #${step.factId} ${what} ${range} ${step.branch} by ${step.actorId}${why} ← ${source}`;
}

export function traceCommand(): Command {
  return withConfigOption(new Command("trace"))
    .description("print the facts and messages behind a figure")
    .requiredOption("--metric <key>", "metric key, e.g. visits")
    .requiredOption("--period <from..to>", "days, e.g. 2026-11-16..2026-11-22")
    .option("--branch <name>", "one branch (default: the whole network)")
    .option("--event-type <key>", "one event type, e.g. lecture")
    .action(async (options: { metric: string; period: string; branch?: string; eventType?: string; config?: string }) => {
      const config = configFrom(options);
      const catalogue = buildCatalogue(config.site);
      const info = metricInfoFrom(catalogue);
      if (!info(options.metric)) throw new RangeError(`--metric ${options.metric} is not in the catalogue`);
      const period = parsePeriod(options.period);
      const database = await openDatabase(config.env.DATABASE_URL);
      try {
        const trace = await traceFigure(database.prisma, { metric: options.metric, period, branch: options.branch, eventType: options.eventType }, info);
        const { total } = trace;
        const value = total.value === null ? "no value" : `${total.approx ? "~" : ""}${formatNumber(total.value)}${total.unit}`;
        process.stdout.write(`${options.metric} ${period.from}..${period.to} ${options.branch ?? "all branches"}: ${value} from ${total.factIds.length} fact(s)\n`);
        for (const fact of trace.facts) {
          process.stdout.write(`  fact #${fact.factId}${fact.counted ? "" : " (straddles the period: not counted)"}\n`);
          for (const step of fact.history) process.stdout.write(`${stepLine(step)}\n`);
        }
      } finally {
        await database.close();
      }
    });
}
