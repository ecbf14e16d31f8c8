// trace: the facts and messages behind a figure, including the corrections that shaped it, so anyone can see
// why a total is what it is.
import type { Db, Fact, Message } from "../db/open.js";
import type { DayRange } from "../parsing/types.js";
import { loadEffectiveFacts } from "./facts.js";
import { totalFor, type MetricInfoLookup, type MetricTotal } from "./totals.js";

export interface TraceStep {
  factId: number;
  op: string;
  value: number;
  unit: string;
  date: DayRange;
  branch: string;
  actorId: string;
  reason: string | null;
  createdAt: Date;
  message: { id: number; senderId: string; text: string; sentAt: Date } | null;
}

export interface TracedFact {
  /** The effective fact (counted or straddling). */
  factId: number;
  counted: boolean;
  /** Oldest first: the original report, then every correction up to and including the effective fact. */
  history: TraceStep[];
}

export interface Trace {
  total: MetricTotal;
  facts: TracedFact[];
}

export async function traceFigure(
  prisma: Db,
  query: { metric: string; period: DayRange; branch?: string; eventType?: string },
  info: MetricInfoLookup,
): Promise<Trace> {
  const facts = await loadEffectiveFacts(prisma, {
    from: query.period.from,
    to: query.period.to,
    metrics: [query.metric],
    ...(query.branch ? { branches: [query.branch] } : {}),
    includeSubsets: query.eventType !== undefined,
  });
  const total = totalFor(facts, query, info);
  const counted = new Set(total.factIds);
  const shown = [...total.factIds, ...total.straddlingIds];
  const traced: TracedFact[] = [];
  for (const factId of shown) traced.push({ factId, counted: counted.has(factId), history: await historyOf(prisma, factId) });
  return { total, facts: traced };
}

/** Walks supersedesId back to the original report. */
export async function historyOf(prisma: Db, factId: number): Promise<TraceStep[]> {
  const steps: TraceStep[] = [];
  let id: number | null = factId;
  // Supersession chains are short (a handful of corrections); the guard stops a corrupt cycle.
  for (let guard = 0; id !== null && guard < 1000; guard++) {
    const fact: (Fact & { message: Message | null }) | null = await prisma.fact.findUnique({ where: { id }, include: { message: true } });
    if (!fact) break;
    steps.push({
      factId: fact.id,
      op: fact.op,
      value: fact.value,
      unit: fact.unit,
      date: { from: fact.dateFrom, to: fact.dateTo },
      branch: fact.branch,
      actorId: fact.actorId,
      reason: fact.reason,
      createdAt: fact.createdAt,
      message: fact.message ? { id: fact.message.id, senderId: fact.message.senderId, text: fact.message.text, sentAt: fact.message.sentAt } : null,
    });
    id = fact.supersedesId;
  }
  return steps.reverse();
}
