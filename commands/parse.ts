// `libtally parse [--now ISO-8601] [--branches FILE] [TEXT]`: one message → one JSON object; without TEXT,
// JSON Lines in ({"text", "now"?}) and JSON Lines out, streamed in order, so thousands of messages can be parsed
// by one process (our evaluation does this).
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import { Command, InvalidArgumentError } from "commander";
import { buildCatalogue, type CatalogueExtension } from "../src/catalogue/index.ts";
import { loadConfig } from "../src/config/load.ts";
import { resultToJson } from "../src/parsing/json.ts";
import { parseMessage } from "../src/parsing/parse.ts";
import type { BranchEntry, Catalogue } from "../src/parsing/types.ts";

interface ParseOptions {
  now?: Date;
  branches?: string;
  config?: string;
}

interface Directory {
  branches: BranchEntry[];
  catalogue: Catalogue;
  timezone: string;
}

export function parseCommand(): Command {
  return new Command("parse")
    .description("parse staff messages into records, questions or corrections and print JSON")
    .argument("[text]", "the message; without it, read JSON Lines {\"text\", \"now\"?} from stdin")
    .option("--now <iso>", "when the message was sent (ISO-8601); default: now", parseInstant)
    .option("--branches <file>", "JSON list [{\"name\", \"aliases\"}] replacing the configured branch directory")
    .option("--config <file>", "site config to read the branch directory and custom metrics from")
    .action(async (text: string | undefined, options: ParseOptions) => {
      const directory = loadDirectory(options);
      if (text !== undefined) {
        process.stdout.write(JSON.stringify(parseOne(text, options.now ?? new Date(), directory)) + "\n");
        return;
      }
      await parseStream(process.stdin, process.stdout, options.now, directory);
    });
}

function parseInstant(value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new InvalidArgumentError("must be an ISO-8601 date-time, e.g. 2026-11-18T10:00:00+08:00");
  return date;
}

export function parseOne(text: string, now: Date, directory: Directory): object {
  return resultToJson(parseMessage(text, { now, timezone: directory.timezone, branches: directory.branches, catalogue: directory.catalogue }));
}

/** One JSON Lines message → one output line. A malformed line gets an error object in its place, so the
 * output stays aligned with the input. */
export function parseJsonLine(line: string, defaultNow: Date | undefined, directory: Directory): string {
  let input: { text?: unknown; now?: unknown };
  try {
    input = JSON.parse(line) as typeof input;
  } catch {
    return JSON.stringify({ error: "line is not JSON" });
  }
  if (typeof input?.text !== "string") return JSON.stringify({ error: "missing \"text\"" });
  const now = typeof input.now === "string" ? new Date(input.now) : (defaultNow ?? new Date());
  if (Number.isNaN(now.getTime())) return JSON.stringify({ error: "\"now\" is not an ISO-8601 date-time" });
  return JSON.stringify(parseOne(input.text, now, directory));
}

async function parseStream(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, now: Date | undefined, directory: Directory) {
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === "") continue;
    const ok = output.write(parseJsonLine(line, now, directory) + "\n");
    if (!ok) await new Promise((resolve) => output.once("drain", resolve));
  }
}

/** The site's branches, custom metrics and timezone; `--branches` replaces the branches. Parsing must work
 * anywhere, so an unreadable site config means no branches rather than an error. */
function loadDirectory(options: ParseOptions): Directory {
  let site: (CatalogueExtension & { branches: BranchEntry[]; timezone: string }) | undefined;
  try {
    const config = loadConfig({ dotEnv: true, configPath: options.config });
    site = {
      branches: config.site.branches.map((b) => ({ name: b.name, aliases: b.aliases })),
      metrics: config.site.metrics,
      aliases: config.site.aliases,
      timezone: config.site.library.timezone,
    };
  } catch {
    site = undefined;
  }
  const branches = options.branches ? readBranchesFile(options.branches) : (site?.branches ?? []);
  return {
    branches,
    catalogue: buildCatalogue({ metrics: site?.metrics, aliases: site?.aliases }),
    timezone: site?.timezone ?? "Asia/Shanghai",
  };
}

export function readBranchesFile(path: string): BranchEntry[] {
  const data: unknown = JSON.parse(readFileSync(path, "utf8"));
  if (!Array.isArray(data)) throw new InvalidArgumentError(`${path} must hold a JSON list of {"name", "aliases"}`);
  return data.map((entry, i) => {
    const e = entry as { name?: unknown; aliases?: unknown };
    if (typeof e?.name !== "string" || e.name.length === 0) throw new InvalidArgumentError(`${path}: entry ${i} needs a "name"`);
    const aliases = Array.isArray(e.aliases) ? e.aliases.filter((a): a is string => typeof a === "string" && a.length > 0) : [];
    return { name: e.name, aliases };
  });
}

// Allow `tsx commands/parse.ts …` until the lead wires parseCommand() into commands/cli.ts.
if (import.meta.url === `file://${process.argv[1]}`) {
  await parseCommand().parseAsync(process.argv);
}
