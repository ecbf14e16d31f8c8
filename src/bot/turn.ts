// One inbound message being handled: everything the handlers need, inside the message's transaction.
import type { Logger } from "pino";
import type { HolidayCalendar } from "../calendar/holidays.js";
import type { SiteConfig } from "../config/site.js";
import type { Catalogue, DayRange, IsoDate } from "../parsing/types.js";
import { formatRange } from "../records/dates.js";
import type { DbClient, NewFact } from "../records/ledger.js";
import type { MetricInfoLookup } from "../records/totals.js";
import type { Labeller } from "./format.js";
import type { Sender } from "./people.js";

export interface Turn {
  db: DbClient;
  site: SiteConfig;
  /** Statutory holidays and 调休: which days a branch was due to report. */
  holidays: HolidayCalendar;
  catalogue: Catalogue;
  info: MetricInfoLookup;
  names: Labeller;
  sender: Sender;
  /** The stored Message row. */
  messageId: number;
  /** Pending questions belong to the sender in this chat; one-to-one chats use a key of their own. */
  chatKey: string;
  text: string;
  sentAt: Date;
  /** The library day the message was sent on. */
  today: IsoDate;
  /** Clock for expiry times. */
  now: Date;
  log: Logger;
}

export interface Outcome {
  /** Stored on the Message row: report, query, correction, answer, question, other, refused, unsupported, draft. */
  kind: string;
  text: string;
  /**
   * Work that must not run inside the message's transaction: it opens transactions of its own (the outbox's; on
   * SQLite that would wait for this one forever) and may take seconds (a chart, a Word file). The core runs it
   * once the message is committed; its outcome becomes the stored reply. `text` is unused then.
   */
  afterCommit?: (log: Logger) => Promise<Outcome>;
}

/** 城东分馆 11月18日 到馆35人次 */
export function describeFigure(turn: Turn, fact: { metric: string; value: number; unit: string; approx?: boolean; eventType?: string | null; branch: string; date: DayRange }): string {
  return `${fact.branch} ${formatRange(fact.date)} ${turn.names.figure(fact.metric, fact.value, fact.unit, fact.approx ?? false, fact.eventType)}`;
}

export function storedAsNew(fact: { metric: string; value: number; unit: string; approx: boolean; dateFrom: string; dateTo: string; branch: string; eventType: string | null }): NewFact & { date: DayRange } {
  return { metric: fact.metric, value: fact.value, unit: fact.unit, approx: fact.approx, date: { from: fact.dateFrom, to: fact.dateTo }, branch: fact.branch, eventType: fact.eventType };
}
