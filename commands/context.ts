// Shared by commands: the --config option and loading the validated config once.
import { Option, type Command } from "commander";
import { loadConfig, type Config } from "../src/config/load.js";

export function withConfigOption(command: Command): Command {
  return command.addOption(
    new Option("-c, --config <file>", "site config file (JSON or YAML); default $LIBTALLY_CONFIG or ./libtally.config.json"),
  );
}

export function configFrom(options: { config?: string }): Config {
  return loadConfig({ dotEnv: true, configPath: options.config });
}

/** Commands that keep running after their action returns (serve, chat) set this, so the CLI does not exit. */
export const longRunning = { active: false };
