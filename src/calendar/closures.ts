// Loading the closures announced in chat (ClosedDay rows) for a stretch of days, and the open days they make.
import type { SiteConfig } from "../config/site.js";
import type { Prisma } from "../db/open.js";
import type { DayRange } from "../parsing/types.js";
import type { HolidayCalendar } from "./holidays.js";
import { createOpenDays, type ClosureRow, type OpenDays } from "./open-days.js";

/** Takes the client or a transaction (the bot core answers inside the message's transaction). */
export async function loadClosures(prisma: Prisma.TransactionClient, period: DayRange): Promise<ClosureRow[]> {
  return prisma.closedDay.findMany({
    where: { date: { gte: period.from, lte: period.to } },
    select: { branch: true, date: true, reason: true },
    orderBy: [{ date: "asc" }, { branch: "asc" }],
  });
}

/** The open days over `period` with the closures announced for it: what digests, reminders and chat answers
 * all build coverage from. */
export async function loadOpenDays(prisma: Prisma.TransactionClient, site: SiteConfig, holidays: HolidayCalendar, period: DayRange): Promise<OpenDays> {
  return createOpenDays(site, holidays, await loadClosures(prisma, period));
}
