// What `digest` and `summary` share: config, database, catalogue, calendar, and the poster for --send.
//
// --send goes through the durable outbox, as the schedule's posts do: every message is enqueued first (under
// the same dedupe keys as the schedule, so a post the Monday job already made is not made again), then this
// command runs the outbox dispatcher once to deliver what is due. What cannot go out now (the robot's 20 per
// minute, a WeCom outage) stays queued and the running server's dispatcher delivers it; nothing is lost and,
// with claims in the database, nothing is sent twice even while the server is running too.
import type { Config } from "../src/config/load.js";
import { buildCatalogue } from "../src/catalogue/index.js";
import { createHolidayCalendar } from "../src/calendar/holidays.js";
import { openDatabase, type Database } from "../src/db/open.js";
import type { GroupPoster } from "../src/digests/poster.js";
import type { ProduceDeps } from "../src/digests/run.js";
import { createLogger, type Logger } from "../src/log.js";
import { outboxGroupPoster } from "../src/outbox/group-poster.js";
import { createOutboxService, type DispatchSummary } from "../src/outbox/index.js";
import { wecomApiClientFromConfig } from "../src/transport/wecom/api-client.js";
import { configFrom } from "./context.js";

/** How --send reaches the group. Tests pass a recording poster; by default it is the outbox (below). */
export type PosterFactory = (config: Config, db: Database) => GroupPoster;

export interface DigestCommandDeps {
  poster?: PosterFactory;
  /** Where printed text goes (tests capture it). */
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

interface Sending {
  poster: GroupPoster;
  /** Delivers what is due now; returns what happened and how many messages are still queued. */
  deliver(): Promise<DispatchSummary & { queued: number }>;
}

/** The group robot through the outbox, with one dispatcher pass to deliver at once. */
export function outboxSending(config: Config, db: Database, log: Logger): Sending {
  if (!config.channels.webhook) throw new Error("--send needs the group robot: set WECOM_WEBHOOK_KEY (群机器人的 webhook key)");
  const client = wecomApiClientFromConfig(config, { log, prisma: db.prisma });
  const outbox = createOutboxService({ prisma: db.prisma, client, log });
  return {
    poster: outboxGroupPoster(outbox),
    async deliver() {
      const summary = await outbox.dispatcher.runOnce();
      const queued = await db.prisma.outboxMessage.count({ where: { status: "pending" } });
      return { ...summary, queued };
    },
  };
}

/** libtally: outbox: 3 sent; 2 still queued, the running server delivers them */
export function deliveryNote(result: DispatchSummary & { queued: number }): string {
  const parts = [`${result.sent} sent`];
  if (result.failed) parts.push(`${result.failed} failed for good (see OutboxAttempt)`);
  if (result.queued) parts.push(`${result.queued} still queued (rate limit or retry); the running server's dispatcher delivers them`);
  return `outbox: ${parts.join("; ")}`;
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
    let sending: Sending | undefined;
    if (options.send && deps.poster) {
      poster = deps.poster(config, db);
    } else if (options.send) {
      sending = outboxSending(config, db, createLogger("warn", stderr));
      poster = sending.poster;
    }
    const produce: ProduceDeps = {
      prisma: db.prisma,
      site: config.site,
      catalogue: buildCatalogue({ metrics: config.site.metrics, aliases: config.site.aliases }),
      holidays,
      ...(poster ? { poster } : {}),
    };
    const result = await body(produce, config);
    if (sending) stderr.write(`libtally: ${deliveryNote(await sending.deliver())}\n`);
    return result;
  } finally {
    await db.close();
  }
}
