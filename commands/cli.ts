// libtally's operator entry: `npm run -s cli -- <command>` or the `libtally` bin.
import { Command } from "commander";
import { configCommand } from "./config.js";
import { longRunning } from "./context.js";
import { reportFatal } from "./errors.js";
import { migrateCommand } from "./migrate.js";
import { parseCommand } from "./parse.js";
import { replayCommand } from "./replay.js";
import { sayCommand } from "./say.js";
import { chatCommand } from "./chat.js";
import { traceCommand } from "./trace.js";
import { digestCommand } from "./digest.js";
import { summaryCommand } from "./summary.js";
import { openBotSession } from "../src/app.js";
import { createLogger } from "../src/log.js";
import { serveCommand } from "./serve.js";

/** Names later issues fill in; reserved so nothing else takes them. */
const RESERVED = ["import", "export"];

export function buildProgram(): Command {
  const program = new Command("libtally")
    .description("library statistics bot for WeCom: records, answers, digests and work-summary drafts")
    .option("--debug", "print stack traces on errors")
    .showHelpAfterError();
  program.addCommand(serveCommand());
  program.addCommand(migrateCommand());
  program.addCommand(configCommand());
  program.addCommand(parseCommand());
  program.addCommand(sayCommand());
  program.addCommand(chatCommand());
  program.addCommand(traceCommand());
  program.addCommand(
    replayCommand({
      openCore: (config) => openBotSession(config, createLogger("warn", process.stderr)),
    }),
  );
  program.addCommand(digestCommand());
  program.addCommand(summaryCommand());
  for (const name of RESERVED) {
    program.addCommand(
      new Command(name).description("(reserved, not available yet)").action(() => {
        process.stderr.write(`libtally: "${name}" is not available yet\n`);
        process.exitCode = 2;
      }),
    );
  }
  return program;
}

export async function runCli(argv = process.argv): Promise<void> {
  try {
    await buildProgram().parseAsync(argv);
  } catch (error) {
    reportFatal(error);
    process.exitCode = 1;
  }
  // A one-shot command is done: don't wait for timers left behind by drivers (the wasm schema engine leaves a
  // 10 s lock timeout pending on PostgreSQL).
  if (!longRunning.active) process.exit();
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("commands/cli.ts")) {
  await runCli();
}
