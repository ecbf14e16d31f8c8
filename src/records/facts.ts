// Reading the ledger: the effective facts are the asserted facts that no later fact supersedes. Every total,
// digest and summary is a fold over these, so any figure can be traced to the facts (and messages) behind it.
import type { Fact, Prisma } from "../db/open.js";
import type { IsoDate } from "../parsing/types.js";

export interface FactFilter {
  /** Facts whose day range overlaps [from, to]. */
  from: IsoDate;
  to: IsoDate;
  metrics?: string[];
  branches?: string[];
  eventType?: string;
  /** Include 其中 breakdown rows (default false: they never add to totals). */
  includeSubsets?: boolean;
}

export type EffectiveFact = Fact;

/** Takes the client or a transaction (the bot core answers inside the message's transaction). */
export async function loadEffectiveFacts(prisma: Prisma.TransactionClient, filter: FactFilter): Promise<EffectiveFact[]> {
  return prisma.fact.findMany({
    where: {
      op: "assert",
      supersededBy: { is: null },
      dateFrom: { lte: filter.to },
      dateTo: { gte: filter.from },
      ...(filter.metrics ? { metric: { in: filter.metrics } } : {}),
      ...(filter.branches ? { branch: { in: filter.branches } } : {}),
      ...(filter.eventType ? { eventType: filter.eventType } : {}),
      ...(filter.includeSubsets ? {} : { parentId: null }),
    },
    orderBy: { id: "asc" },
  });
}
