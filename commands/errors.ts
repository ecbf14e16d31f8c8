// How operator commands fail: one clear line on stderr and a non-zero exit; the stack only when asked for.
import { ConfigError } from "../src/config/load.js";
import { DatabaseUnavailableError } from "../src/db/open.js";
import { DatabaseUrlError } from "../src/db/url.js";

/** Errors whose message already says what is wrong and what to fix. */
const EXPECTED = [ConfigError, DatabaseUnavailableError, DatabaseUrlError];

export function isDebug(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.LIBTALLY_DEBUG === "1" || process.argv.includes("--debug");
}

export function reportFatal(error: unknown, stderr: NodeJS.WritableStream = process.stderr): void {
  const err = error instanceof Error ? error : new Error(String(error));
  const expected = EXPECTED.some((type) => err instanceof type);
  stderr.write(`libtally: ${expected ? err.message : `${err.name}: ${err.message.split("\n")[0]}`}\n`);
  if (isDebug()) stderr.write(`${err.stack ?? ""}\n`);
  else if (!expected) stderr.write("libtally: run with --debug (or LIBTALLY_DEBUG=1) for details\n");
}
