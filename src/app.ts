// Composition root of the bot: which parts exist, and how they are connected. Small on purpose; each part is
// built and tested in its own folder.
import type Router from "@koa/router";
import { createBotCore } from "./bot/core.js";
import { createDirectory } from "./directory/index.js";
import type { BotCore } from "./bot/types.js";
import { createHolidayCalendar } from "./calendar/holidays.js";
import { buildCatalogue } from "./catalogue/index.js";
import type { Config } from "./config/load.js";
import type { Database } from "./db/open.js";
import { createDraftPort } from "./digests/on-request.js";
import type { GroupPoster } from "./digests/poster.js";
import { isLoopback, tryOutRouter } from "./http/try-out.js";
import type { Logger } from "./log.js";
import { createOutboxService, type OutboxService } from "./outbox/index.js";
import { outboxGroupPoster, unconfiguredGroupPoster } from "./outbox/group-poster.js";
import type { Catalogue } from "./parsing/types.js";
import { createSchedule } from "./schedule/index.js";
import type { Scheduler } from "./schedule/scheduler.js";
import { wecomApiClientFromConfig } from "./transport/wecom/api-client.js";
import { wecomRouter } from "./transport/wecom/routes.js";

export interface Application {
  catalogue: Catalogue;
  core: BotCore;
  outbox: OutboxService;
  schedule: Scheduler;
  routers: Router[];
  /** Whether the outbox has anywhere to deliver (some WeCom channel is configured). */
  canSend: boolean;
}

export function assembleApplication({ config, db, log }: { config: Config; db: Database; log: Logger }): Application {
  const catalogue = buildCatalogue(config.site);
  const client = wecomApiClientFromConfig(config, { log, prisma: db.prisma });
  const outbox = createOutboxService({ prisma: db.prisma, client, log });
  const holidays = createHolidayCalendar({ warn: (message, year) => log.warn({ year }, message) });
  // Drafts asked for in chat are posted only where the group robot is configured; without it they are stored
  // and the reply names the command that prints them. Enqueueing wakes the dispatcher, so they go out at once.
  const requestPoster: GroupPoster | undefined = config.channels.webhook ? outboxGroupPoster(outbox) : undefined;
  const drafts = createDraftPort({ prisma: db.prisma, site: config.site, catalogue, holidays, log, ...(requestPoster ? { poster: requestPoster } : {}) });
  // With the self-built app, a sender missing from the site's people list is looked up in the WeCom address book.
  const directory = config.channels.app ? createDirectory({ prisma: db.prisma, client, site: config.site, log }) : undefined;
  const core = createBotCore({ prisma: db.prisma, provider: db.provider, config, catalogue, log, drafts, ...(directory ? { directory } : {}) });
  const schedulePoster = requestPoster ?? unconfiguredGroupPoster(log);
  const schedule = createSchedule({ prisma: db.prisma, site: config.site, catalogue, poster: schedulePoster, log, holidays });
  const routers = [wecomRouter({ config, core, log, outbox })];
  const tryOut = Object.keys(config.channels).length === 0;
  if (tryOut && isLoopback(config.env.HOST)) routers.push(tryOutRouter(core));
  else if (tryOut) log.warn({ host: config.env.HOST }, "no WeCom settings and not on loopback: POST /try stays off");
  return { catalogue, core, outbox, schedule, routers, canSend: Boolean(config.channels.app || config.channels.webhook) };
}
