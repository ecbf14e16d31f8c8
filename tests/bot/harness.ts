// A bot core on a real test database with a pinned clock, and an independent tally the scenarios keep by hand.
import { buildCatalogue } from "../../src/catalogue/index.js";
import { EXAMPLE_CONFIG_PATH, readSiteConfig } from "../../src/config/load.js";
import type { SiteConfig } from "../../src/config/site.js";
import { createBotCore } from "../../src/bot/core.js";
import type { HolidayCalendar } from "../../src/calendar/holidays.js";
import type { BotReply } from "../../src/bot/types.js";
import { silentLogger } from "../../src/log.js";
import type { Provider } from "../../src/db/url.js";
import { loadEffectiveFacts } from "../../src/records/facts.js";
import { metricInfoFrom, totalFor } from "../../src/records/totals.js";
import { createTestDatabase, type TestDatabase } from "../helpers/db.js";

export const SITE: SiteConfig = readSiteConfig(EXAMPLE_CONFIG_PATH);
export const CATALOGUE = buildCatalogue(SITE);
export const INFO = metricInfoFrom(CATALOGUE);

export interface Harness {
  test: TestDatabase;
  /** Sends `text` as `as` at library time `at` ('2026-11-18T17:00'); returns the reply. */
  say(as: string, at: string, text: string, options?: { msgid?: string; chat?: string }): Promise<BotReply>;
  /** The ledger's figure for a metric over days, optionally one branch. */
  figure(metric: string, from: string, to: string, branch?: string): Promise<number | null>;
  drop(): Promise<void>;
}

/** `holidays` replaces the published holiday schedule (default: the one chinese-days carries). */
export async function createHarness(provider: Provider, site: SiteConfig = SITE, options: { holidays?: HolidayCalendar } = {}): Promise<Harness> {
  const test = await createTestDatabase(provider);
  let clock = new Date(0);
  const core = createBotCore({
    prisma: test.db.prisma,
    config: { site },
    catalogue: CATALOGUE,
    log: silentLogger,
    now: () => clock,
    redeliveryWaitMs: 3000,
    ...(options.holidays ? { holidays: options.holidays } : {}),
  });
  let sequence = 0;
  return {
    test,
    async say(as, at, text, options = {}) {
      clock = new Date(`${at}:00+08:00`);
      return core.handle({
        channel: "cli",
        externalId: options.msgid ?? `auto-${++sequence}`,
        senderId: as,
        chatId: options.chat,
        chatType: options.chat ? "group" : "single",
        text,
        sentAt: clock,
      });
    },
    async figure(metric, from, to, branch) {
      const facts = await loadEffectiveFacts(test.db.prisma, { from, to, metrics: [metric], ...(branch ? { branches: [branch] } : {}) });
      return totalFor(facts, { metric, period: { from, to }, branch }, INFO).value;
    },
    drop: () => test.drop(),
  };
}

/** The test's own bookkeeping of what a careful statistician would have on file: metric|branch|day → value. */
export class Tally {
  private readonly values = new Map<string, number>();
  set(metric: string, branch: string, day: string, value: number): void {
    this.values.set(`${metric}|${branch}|${day}`, value);
  }
  add(metric: string, branch: string, day: string, value: number): void {
    this.values.set(`${metric}|${branch}|${day}`, (this.values.get(`${metric}|${branch}|${day}`) ?? 0) + value);
  }
  remove(metric: string, branch: string, day: string): void {
    this.values.delete(`${metric}|${branch}|${day}`);
  }
  sum(metric: string, from: string, to: string, branch?: string): number {
    let total = 0;
    for (const [key, value] of this.values) {
      const [m, b, d] = key.split("|") as [string, string, string];
      if (m === metric && (branch === undefined || b === branch) && d >= from && d <= to) total += value;
    }
    return total;
  }
}
