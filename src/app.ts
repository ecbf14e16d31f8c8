// Composition root of the bot: which parts exist, and how they are connected. Small on purpose; each part is
// built and tested in its own folder.
import type Router from "@koa/router";
import { createBotCore } from "./bot/core.js";
import type { BotCore } from "./bot/types.js";
import { createHolidayCalendar, type HolidayCalendar } from "./calendar/holidays.js";
import { buildCatalogue } from "./catalogue/index.js";
import type { Config } from "./config/load.js";
import { openDatabase, type Database, type Db } from "./db/open.js";
import { createDraftPort } from "./digests/on-request.js";
import type { GroupPoster } from "./digests/poster.js";
import { createDirectory } from "./directory/index.js";
import type { BackgroundWork } from "./http/in-flight.js";
import { isLoopback, tryOutRouter } from "./http/try-out.js";
import type { Logger } from "./log.js";
import { outboxGroupPoster, unconfiguredGroupPoster } from "./outbox/group-poster.js";
import { createOutboxService, type OutboxService } from "./outbox/index.js";
import type { OutboxWriter } from "./outbox/types.js";
import type { Catalogue } from "./parsing/types.js";
import { createSchedule } from "./schedule/index.js";
import type { Scheduler } from "./schedule/scheduler.js";
import { wecomApiClientFromConfig, type WecomApiClient } from "./transport/wecom/api-client.js";
import { wecomRouter } from "./transport/wecom/routes.js";

interface Parts {
  config: Config;
  db: Database;
  log: Logger;
}

interface AssembledCore {
  core: BotCore;
  catalogue: Catalogue;
  holidays: HolidayCalendar;
  /** The staff group, where a group robot is configured. */
  groupPoster?: GroupPoster;
}

/** The bot core with everything it talks to: the catalogue, drafts on request (posted through `outbox` where a
 * group robot is configured), and, with the self-built app, the WeCom address book for unlisted senders.
 * `background` is the client for what writes outside the message's transaction (drafts, the address book). */
function assembleCore(
  { config, db, log }: Parts,
  background: Db,
  outbox: OutboxWriter,
  client: WecomApiClient,
  now?: () => Date,
): AssembledCore {
  const catalogue = buildCatalogue(config.site);
  const holidays = createHolidayCalendar({ warn: (message, year) => log.warn({ year }, message) });
  const groupPoster = config.channels.webhook ? outboxGroupPoster(outbox) : undefined;
  const drafts = createDraftPort({ prisma: background, site: config.site, catalogue, holidays, log, ...(groupPoster ? { poster: groupPoster } : {}) });
  const directory = config.channels.app ? createDirectory({ prisma: background, client, site: config.site, log }) : undefined;
  const core = createBotCore({
    prisma: db.prisma,
    provider: db.provider,
    config,
    catalogue,
    holidays,
    log,
    drafts,
    ...(directory ? { directory } : {}),
    ...(now ? { now } : {}),
  });
  return { core, catalogue, holidays, ...(groupPoster ? { groupPoster } : {}) };
}

export interface Application {
  catalogue: Catalogue;
  core: BotCore;
  outbox: OutboxService;
  schedule: Scheduler;
  routers: Router[];
  /** Whether the outbox has anywhere to deliver (some WeCom channel is configured). */
  canSend: boolean;
}

/** The running service: core, WeCom routes, outbox dispatcher, schedule, and the local try-out route.
 * `inFlight` counts work a request leaves running (a late answer), so shutdown waits for it before the database
 * closes; main.ts passes the tracker the HTTP server drains. */
export function assembleApplication(parts: Parts & { inFlight?: BackgroundWork }): Application {
  const { config, db, log, inFlight } = parts;
  // Each part that writes on its own schedule gets its own client (its own connection on SQLite).
  const outboxDb = db.separateClient();
  const background = db.separateClient();
  const client = wecomApiClientFromConfig(config, { log, prisma: outboxDb });
  const outbox = createOutboxService({ prisma: outboxDb, client, log });
  const { core, catalogue, holidays, groupPoster } = assembleCore(parts, background, outbox, client);
  const schedule = createSchedule({
    prisma: background,
    site: config.site,
    catalogue,
    poster: groupPoster ?? unconfiguredGroupPoster(log),
    log,
    holidays,
  });
  const routers = [wecomRouter({ config, core, log, outbox, inFlight })];
  const tryOut = Object.keys(config.channels).length === 0;
  if (tryOut && isLoopback(config.env.HOST)) routers.push(tryOutRouter(core));
  else if (tryOut) log.warn({ host: config.env.HOST }, "no WeCom settings and not on loopback: POST /try stays off");
  return { catalogue, core, outbox, schedule, routers, canSend: Boolean(config.channels.app || config.channels.webhook) };
}

export interface BotSession {
  core: BotCore;
  database: Database;
  close(): Promise<void>;
}

/** The bot core on the configured database, for commands that talk to the bot without HTTP (say, chat, replay):
 * exactly the path a WeCom message takes. Posts (a draft asked for in chat) are queued in the outbox, and the
 * running server's dispatcher delivers them. */
export async function openBotSession(config: Config, log: Logger, now?: () => Date): Promise<BotSession> {
  const db = await openDatabase(config.env.DATABASE_URL);
  const background = db.separateClient();
  const client = wecomApiClientFromConfig(config, { log, prisma: background });
  const outbox = createOutboxService({ prisma: background, client, log });
  const { core } = assembleCore({ config, db, log }, background, outbox, client, now);
  return { core, database: db, close: () => db.close() };
}
