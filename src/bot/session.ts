// A bot core on the configured database, for the commands that talk to the bot without WeCom (say, chat).
import { createHolidayCalendar } from "../calendar/holidays.js";
import { buildCatalogue } from "../catalogue/index.js";
import type { Config } from "../config/load.js";
import { openDatabase, type Database } from "../db/open.js";
import { createDraftPort } from "../digests/on-request.js";
import type { Logger } from "../log.js";
import { outboxGroupPoster } from "../outbox/group-poster.js";
import { createOutbox } from "../outbox/outbox.js";
import { createBotCore } from "./core.js";
import type { BotCore } from "./types.js";

export interface BotSession {
  core: BotCore;
  database: Database;
  close(): Promise<void>;
}

/** `say 生成第三季度总结` takes the path a WeCom message takes: with the group robot configured, the draft's posts
 * are queued in the outbox, and the running server's dispatcher delivers them. */
export async function openBotSession(config: Config, log: Logger, now?: () => Date): Promise<BotSession> {
  const database = await openDatabase(config.env.DATABASE_URL);
  const catalogue = buildCatalogue(config.site);
  const poster = config.channels.webhook ? outboxGroupPoster(createOutbox({ prisma: database.prisma })) : undefined;
  const holidays = createHolidayCalendar({ warn: (message, year) => log.warn({ year }, message) });
  const drafts = createDraftPort({ prisma: database.prisma, site: config.site, catalogue, holidays, log, ...(poster ? { poster } : {}) });
  const core = createBotCore({ prisma: database.prisma, provider: database.provider, config, catalogue, log, drafts, ...(now ? { now } : {}) });
  return { core, database, close: () => database.close() };
}

/** An instant from --now: ISO-8601; a bare date or a time without a zone is read in the library's timezone
 * (UTC+8 for Asia/Shanghai) so `--now 2026-11-18T17:00` means 17:00 at the library. */
export function parseNowOption(value: string, timezone: string): Date {
  const trimmed = value.trim();
  const hasZone = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(trimmed);
  if (hasZone) {
    const date = new Date(trimmed);
    if (Number.isNaN(date.getTime())) throw new RangeError(`--now ${value} is not an ISO-8601 time`);
    return date;
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(trimmed);
  if (!match) throw new RangeError(`--now ${value} is not an ISO-8601 time (e.g. 2026-11-18T17:00+08:00)`);
  const [, y, mo, d, h = "12", mi = "00", s = "00"] = match;
  const asUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  return new Date(asUtc - zoneOffsetMs(new Date(asUtc), timezone));
}

/** The zone's offset from UTC at about that instant. */
function zoneOffsetMs(instant: Date, timezone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone: timezone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" })
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return local - instant.getTime();
}
