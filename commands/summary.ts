// `summary --period 2026-Q3|2026-H1|2026 [--docx FILE] [--send]`: the work-summary draft the schedule posts after
// each period, printed with its trace appendix (or sent: markdown + .docx to the staff group).
import { writeFileSync } from "node:fs";
import { Command, Option } from "commander";
import { libraryDay } from "../src/records/dates.js";
import { parsePeriod } from "../src/digests/periods.js";
import { produceSummary } from "../src/digests/run.js";
import { withConfigOption } from "./context.js";
import { withProduceDeps, type DigestCommandDeps } from "./digest-shared.js";

interface SummaryOptions {
  config?: string;
  period: string;
  docx?: string;
  send?: boolean;
}

export function summaryCommand(deps: DigestCommandDeps = {}): Command {
  return withConfigOption(new Command("summary"))
    .description("draft the quarter / half-year / annual work summary from the records; stores a new version when the figures changed")
    .addOption(new Option("--period <period>", "2026-Q3, 2026-H1 or 2026").makeOptionMandatory())
    .addOption(new Option("--docx <file>", "also write the draft as a Word document"))
    .option("--send", "post the draft (markdown and .docx) to the staff group through the outbox, as the schedule does")
    .action(async (options: SummaryOptions) => {
      const stdout = deps.stdout ?? process.stdout;
      await withProduceDeps(options, deps, async (produce, config) => {
        const period = parsePeriod(options.period);
        if (period.kind === "week") throw new Error("--period wants a quarter, half year or year; use `digest --week` for weeks");
        const today = libraryDay(new Date(), config.site.library.timezone);
        const result = await produceSummary(produce, period, { send: options.send, createdBy: "cli", today });
        stdout.write(`${result.draft.markdown}\n`);
        if (options.docx) writeFileSync(options.docx, result.docx);
        const note = [`summary ${period.id} v${result.draft.version}${result.draft.created ? " (new version)" : ""}`];
        if (options.docx) note.push(`docx → ${options.docx}`);
        if (result.sent) note.push(`queued for the group (${result.messages.length} message(s) + ${result.docxName})`);
        (deps.stderr ?? process.stderr).write(`libtally: ${note.join(", ")}\n`);
      });
    });
}
