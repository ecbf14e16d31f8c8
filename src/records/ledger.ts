// The ledger's writes: facts are only ever appended. A correction or retraction is a new fact that supersedes an
// earlier one (Fact.supersedesId is unique, so two racing corrections of the same fact cannot both win), with
// who did it and why. Nothing here decides *whether* to write; the bot core does that.
import type { Fact, Prisma } from "../db/open.js";
import type { DayRange, IsoDate } from "../parsing/types.js";
import { isUniqueViolation } from "../db/errors.js";

/** A transaction or the client itself: every write takes one so the core can group them. */
export type DbClient = Prisma.TransactionClient;

export interface NewFact {
  metric: string;
  value: number;
  unit: string;
  approx?: boolean;
  date: DayRange;
  branch: string;
  eventType?: string | null;
  eventName?: string | null;
  subset?: string | null;
  /** Index, in the same batch, of the total this 其中 breakdown belongs to. */
  subsetOf?: number;
  /** The stored total this breakdown belongs to, when the total was stored separately. */
  parentId?: number;
}

export interface Attribution {
  messageId: number | null;
  actorId: string;
  reason?: string;
}

/** Another correction got to this fact first (the unique supersedesId said no). */
export class AlreadySupersededError extends Error {
  override name = "AlreadySupersededError";
  constructor(readonly factId: number, options?: ErrorOptions) {
    super(`fact ${factId} has already been corrected or retracted by someone else`, options);
  }
}


function factData(fact: NewFact, by: Attribution) {
  return {
    messageId: by.messageId,
    actorId: by.actorId,
    reason: by.reason ?? null,
    metric: fact.metric,
    value: fact.value,
    unit: fact.unit,
    approx: fact.approx ?? false,
    dateFrom: fact.date.from,
    dateTo: fact.date.to,
    branch: fact.branch,
    eventType: fact.eventType ?? null,
    eventName: fact.eventName ?? null,
    subset: fact.subset ?? null,
  };
}

/** Appends a message's facts in order; 其中 breakdowns point at their total's new id. */
export async function appendFacts(db: DbClient, facts: readonly NewFact[], by: Attribution): Promise<Fact[]> {
  const created: Fact[] = [];
  for (const fact of facts) {
    const parent = fact.subsetOf === undefined ? undefined : created[fact.subsetOf];
    if (fact.subsetOf !== undefined && !parent) {
      throw new RangeError(`breakdown of ${fact.metric} points at record ${fact.subsetOf}, which comes later or does not exist`);
    }
    created.push(await db.fact.create({ data: { ...factData(fact, by), parentId: parent?.id ?? fact.parentId ?? null } }));
  }
  return created;
}

function asNewFact(fact: Fact): NewFact {
  return {
    metric: fact.metric,
    value: fact.value,
    unit: fact.unit,
    approx: fact.approx,
    date: { from: fact.dateFrom, to: fact.dateTo },
    branch: fact.branch,
    eventType: fact.eventType,
    eventName: fact.eventName,
    subset: fact.subset,
  };
}

async function createSuperseding(db: DbClient, old: Fact, data: ReturnType<typeof factData> & { op: string; parentId: number | null }): Promise<Fact> {
  try {
    return await db.fact.create({ data: { ...data, supersedesId: old.id } });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AlreadySupersededError(old.id, { cause: error });
    throw error;
  }
}

/** The effective breakdowns under a total. */
async function effectiveChildren(db: DbClient, parentId: number): Promise<Fact[]> {
  return db.fact.findMany({ where: { parentId, op: "assert", supersededBy: { is: null } }, orderBy: { id: "asc" } });
}

/** Replaces `old` with a changed copy: `changes` names what differs (value, date, metric …). A total's 其中
 * breakdowns are carried over to the replacement so they stay attached to an effective total. */
export async function replaceFact(db: DbClient, old: Fact, changes: Partial<NewFact>, by: Attribution): Promise<Fact> {
  const next: NewFact = { ...asNewFact(old), ...changes };
  const replacement = await createSuperseding(db, old, { ...factData(next, by), op: "assert", parentId: old.parentId });
  // A breakdown shares its total's days and branch: moving the total moves its parts, or they would be counted
  // on a day and at a branch where their total no longer is.
  const moved: Partial<NewFact> = {
    ...(changes.date ? { date: changes.date } : {}),
    ...(changes.branch ? { branch: changes.branch } : {}),
  };
  for (const child of await effectiveChildren(db, old.id)) {
    await createSuperseding(db, child, {
      ...factData({ ...asNewFact(child), ...moved }, { ...by, reason: `随上级记录 #${old.id} 更正` }),
      op: "assert",
      parentId: replacement.id,
    });
  }
  return replacement;
}

/** Withdraws `old` (and its breakdowns): the retraction states no value of its own. */
export async function retractFact(db: DbClient, old: Fact, by: Attribution): Promise<Fact> {
  for (const child of await effectiveChildren(db, old.id)) {
    await createSuperseding(db, child, { ...factData(asNewFact(child), { ...by, reason: by.reason ?? `随上级记录 #${old.id} 撤销` }), op: "retract", parentId: child.parentId });
  }
  return createSuperseding(db, old, { ...factData(asNewFact(old), by), op: "retract", parentId: old.parentId });
}

const effective = { op: "assert", supersededBy: { is: null } } as const;

/** Effective top-level facts of one metric and branch whose range overlaps `date`. */
export async function findOverlapping(db: DbClient, where: { metric: string; branch: string; date: DayRange }): Promise<Fact[]> {
  return db.fact.findMany({
    where: {
      ...effective,
      parentId: null,
      metric: where.metric,
      branch: where.branch,
      dateFrom: { lte: where.date.to },
      dateTo: { gte: where.date.from },
    },
    orderBy: { id: "asc" },
  });
}

export interface FactTarget {
  metric?: string;
  branch?: string;
  /** Facts overlapping this range. */
  date?: DayRange;
  value?: number;
  /** Only facts this person stated (actorId). */
  actorId?: string;
}

export async function findEffective(db: DbClient, target: FactTarget): Promise<Fact[]> {
  return db.fact.findMany({
    where: {
      ...effective,
      parentId: null,
      ...(target.metric ? { metric: target.metric } : {}),
      ...(target.branch ? { branch: target.branch } : {}),
      ...(target.date ? { dateFrom: { lte: target.date.to }, dateTo: { gte: target.date.from } } : {}),
      ...(target.value !== undefined ? { value: target.value } : {}),
      ...(target.actorId ? { actorId: target.actorId } : {}),
    },
    orderBy: { id: "asc" },
  });
}

/** The effective facts the sender's most recent message still stands behind (for 撤销上一条 / 刚才报错了). */
export async function lastReportedBy(db: DbClient, actorId: string, filter: { metric?: string; value?: number } = {}): Promise<Fact[]> {
  const latest = await db.fact.findFirst({
    where: { ...effective, parentId: null, actorId, ...(filter.metric ? { metric: filter.metric } : {}), ...(filter.value !== undefined ? { value: filter.value } : {}) },
    orderBy: { id: "desc" },
  });
  if (!latest) return [];
  if (latest.messageId === null) return [latest];
  return db.fact.findMany({
    where: { ...effective, parentId: null, actorId, messageId: latest.messageId, ...(filter.metric ? { metric: filter.metric } : {}), ...(filter.value !== undefined ? { value: filter.value } : {}) },
    orderBy: { id: "asc" },
  });
}

/** Values of one metric at one branch, for plausibility: single-day facts before `before`, newest first. */
export async function recentValues(db: DbClient, where: { metric: string; branch: string; before: IsoDate; since: IsoDate }): Promise<Fact[]> {
  return db.fact.findMany({
    where: { ...effective, parentId: null, metric: where.metric, branch: where.branch, dateTo: { lt: where.before, gte: where.since } },
    orderBy: [{ dateTo: "desc" }, { id: "desc" }],
    take: 200,
  });
}
