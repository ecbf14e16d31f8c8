import { Command } from "commander";
import { openDatabase } from "../src/db/open.js";
import { configFrom, withConfigOption } from "./context.js";

export function migrateCommand(): Command {
  return withConfigOption(new Command("migrate"))
    .description("apply committed migrations to DATABASE_URL (also done at every start)")
    .action(async (options: { config?: string }) => {
      const config = configFrom(options);
      const db = await openDatabase(config.env.DATABASE_URL);
      try {
        const state = await db.migrationState();
        const applied = db.applied.length ? `applied ${db.applied.join(", ")}` : "nothing to apply";
        process.stdout.write(`${db.display}: ${applied}; schema ${state.current ? "current" : `behind by ${state.pending.join(", ")}`}\n`);
      } finally {
        await db.close();
      }
    });
}
