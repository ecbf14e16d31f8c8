import { Command } from "commander";
import { createLogger } from "../src/log.js";
import { startService } from "../src/main.js";
import { configFrom, longRunning, withConfigOption } from "./context.js";

export function serveCommand(): Command {
  return withConfigOption(new Command("serve"))
    .description("run the bot: HTTP callbacks, schedule and outbox (what `npm start` runs)")
    .action(async (options: { config?: string }) => {
      const config = configFrom(options);
      const log = createLogger(config.env.LOG_LEVEL);
      if (config.usingExample) log.warn({ config: config.sitePath }, "no site config given: using the shipped example");
      const service = await startService({ config, log });
      longRunning.active = true;
      for (const signal of ["SIGTERM", "SIGINT"] as const) {
        process.once(signal, () => {
          log.info({ signal }, "signal received");
          service.stop().then(
            () => process.exit(0),
            (error: unknown) => {
              log.error({ err: error }, "shutdown failed");
              process.exit(1);
            },
          );
        });
      }
    });
}
