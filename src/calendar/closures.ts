// Loading the closures announced in chat (ClosedDay rows) for a stretch of days.
import type { Db } from "../db/open.js";
import type { DayRange } from "../parsing/types.js";
import type { ClosureRow } from "./open-days.js";

export async function loadClosures(prisma: Db, period: DayRange): Promise<ClosureRow[]> {
  return prisma.closedDay.findMany({
    where: { date: { gte: period.from, lte: period.to } },
    select: { branch: true, date: true, reason: true },
    orderBy: [{ date: "asc" }, { branch: "asc" }],
  });
}
