// What `digest` and `summary` share: config, database, catalogue, calendar, and the poster for --send.
import type { Config } from "../src/config/load.js";
import { buildCatalogue } from "../src/catalogue/index.js";
import { createHolidayCalendar } from "../src/calendar/holidays.js";
import { openDatabase, type Database } from "../src/db/open.js";
import type { GroupPoster } from "../src/digests/poster.js";
import type { ProduceDeps } from "../src/digests/run.js";
import { configFrom } from "./context.js";

/** How --send reaches the group: the lead passes the outbox adapter in when wiring the commands into cli.ts. */
export type PosterFactory = (config: Config, db: Database) => GroupPoster;

export interface DigestCommandDeps {
  poster?: PosterFactory;
  /** Where printed text goes (tests capture it). */
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

export async function withProduceDeps<T>(
  options: { config?: string; send?: boolean },
  deps: DigestCommandDeps,
  body: (produce: ProduceDeps, config: Config) => Promise<T>,
): Promise<T> {
  const config = configFrom(options);
  const db = await openDatabase(config.env.DATABASE_URL);
  try {
    const stderr = deps.stderr ?? process.stderr;
    const holidays = createHolidayCalendar({ warn: (message) => stderr.write(`libtally: ${message}\n`) });
    let poster: GroupPoster | undefined;
    if (options.send) {
      if (!deps.poster) throw new Error("--send is not available: no group poster is wired into this command");
      poster = deps.poster(config, db);
    }
    const produce: ProduceDeps = {
      prisma: db.prisma,
      site: config.site,
      catalogue: buildCatalogue({ metrics: config.site.metrics, aliases: config.site.aliases }),
      holidays,
      ...(poster ? { poster } : {}),
    };
    return await body(produce, config);
  } finally {
    await db.close();
  }
}
