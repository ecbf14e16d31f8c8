// `digest [--week 2026-W47] [--send]`: the weekly digest the Monday job posts, printed (or sent) on demand.
import { writeFileSync } from "node:fs";
import { Command, Option } from "commander";
import { libraryDay } from "../src/records/dates.js";
import { digestWeekFor } from "../src/schedule/jobs.js";
import { parsePeriod } from "../src/digests/periods.js";
import { produceWeeklyDigest } from "../src/digests/run.js";
import { withConfigOption } from "./context.js";
import { withProduceDeps, type DigestCommandDeps } from "./digest-shared.js";

interface DigestOptions {
  config?: string;
  week?: string;
  send?: boolean;
  chart?: string;
}

export function digestCommand(deps: DigestCommandDeps = {}): Command {
  return withConfigOption(new Command("digest"))
    .description("print the weekly digest (default: last complete week); --send posts it to the staff group")
    .addOption(new Option("--week <week>", "ISO week, e.g. 2026-W47"))
    .addOption(new Option("--chart <file>", "also write the week's chart as PNG"))
    .option("--send", "post to the staff group through the group robot (via the outbox), as the schedule does")
    .action(async (options: DigestOptions) => {
      const stdout = deps.stdout ?? process.stdout;
      await withProduceDeps(options, deps, async (produce, config) => {
        const today = libraryDay(new Date(), config.site.library.timezone);
        const week = options.week ? parsePeriod(options.week) : digestWeekFor(today);
        if (week.kind !== "week") throw new Error(`--week wants a week such as 2026-W47, not ${options.week}`);
        const result = await produceWeeklyDigest(produce, week, { send: options.send, createdBy: "cli", today });
        stdout.write(`${result.messages.join("\n\n")}\n`);
        if (options.chart && result.chartPng) writeFileSync(options.chart, result.chartPng);
        const note = [`digest ${week.id} v${result.draft.version}${result.draft.created ? " (new version)" : ""}`, `${result.messages.length} message(s)`];
        if (options.chart) note.push(result.chartPng ? `chart → ${options.chart}` : "no chart (no daily figures)");
        if (result.sent) note.push(`queued for the group (${result.messages.length} message(s)${result.chartPng ? " + chart" : ""})`);
        (deps.stderr ?? process.stderr).write(`libtally: ${note.join(", ")}\n`);
      });
    });
}
