// The transport-neutral bot core: one inbound message in, one reply out.
//
//   keep the message (idempotent on channel + externalId) → who is speaking → parse → an answer to an open
//   question? → store / correct / answer → one line of Chinese, stored with the message.
//
// Each message is handled in one database transaction together with its Message row: a redelivery of the same
// message waits on the unique (channel, externalId) until the first delivery commits, then gets the stored reply;
// a failure rolls everything back and the message is kept with an apology, so nothing is half-recorded.
import type { Logger } from "pino";
import { createHolidayCalendar, type HolidayCalendar } from "../calendar/holidays.js";
import { siteBranches } from "../calendar/open-days.js";
import type { SiteConfig } from "../config/site.js";
import type { Db } from "../db/open.js";
import type { Provider } from "../db/url.js";
import { parseMessage } from "../parsing/parse.js";
import type { Catalogue, ParseContext, ParseResult, ParsedQuery } from "../parsing/types.js";
import { eachDay, formatRange, libraryDay } from "../records/dates.js";
import type { DbClient } from "../records/ledger.js";
import { metricInfoFrom } from "../records/totals.js";
import { answerQuery } from "./answers.js";
import { handleCorrection } from "./correct.js";
import { labeller } from "./format.js";
import { matchDraftRequest, type DraftRequest } from "./draft-requests.js";
import { DRAFT_REFUSAL, draftFailedReply, draftReply, noDraftPortReply, notStartedReply, type DraftPort } from "./drafts.js";
import { classifyAnswer, openQuestion, ask, resolveQuestion, type PendingPayload } from "./pending.js";
import { isManager, mayReportFor, resolveSender, type Sender } from "./people.js";
import { handleReport, resolveConflict, resolveRecords, saysBackfill } from "./report.js";
import type { Outcome, Turn } from "./turn.js";
import type { BotCore, BotReply, InboundMessage } from "./types.js";
import { isUniqueViolation } from "../db/errors.js";

export type Parser = (text: string, ctx: ParseContext) => ParseResult;

export interface BotCoreOptions {
  prisma: Db;
  /** On PostgreSQL several instances may share the database; messages are then handled one at a time. */
  provider?: Provider;
  /** With the WeCom app channel: looks up a sender missing from the site's people list (their department gives
   * their branch) and caches it in Directory. Never throws. */
  directory?: { ensure(userid: string): Promise<unknown> };
  /** Only the site part is read; a full Config from loadConfig fits. */
  config: { site: SiteConfig };
  catalogue: Catalogue;
  /** Which days count as due in coverage (holidays, 调休). The application passes the instance the schedule and
   * digests use; defaults to the published schedule, warning through `log` for an unknown year. */
  holidays?: HolidayCalendar;
  log: Logger;
  /** Defaults to the real clock; tests pin it. Used for receivedAt and question expiry; the library day of a
   * report comes from the message's sentAt. */
  now?: () => Date;
  /** Defaults to parseMessage. */
  parse?: Parser;
  /** How long a redelivery waits for the first delivery's reply (ms). */
  redeliveryWaitMs?: number;
  /** Produces summary drafts and weekly digests asked for in chat (生成第三季度总结). Without it the core tells a
   * manager which command to run instead. */
  drafts?: DraftPort;
}

export const APOLOGY = "抱歉，处理这条消息时出错了，没有记录任何数据。请稍后再发一次，或联系信息部。";
const UNSUPPORTED = "暂时只能读文字消息。请把数字用文字发给我，例如“今日到馆35人”。";

export function helpText(sender?: Sender): string {
  const examples = "可以这样发：“今日到馆35人”“昨天借阅86册次，还书74册”“城东分馆 本周讲座2场 参与120人次”。";
  const forManagers = sender && isManager(sender) ? "查询可问“本月到馆多少人？”或“汇总”；要总结可说“生成第三季度总结”“生成上周周报”。" : "";
  return `${examples}${forManagers}`;
}


/** Two different reports for one day counter arriving together must not both be stored without the 改为/加上
 * question, and a check-then-insert cannot see the other's uncommitted row. On PostgreSQL one transaction-scoped
 * advisory lock makes every message's handling take turns, across instances; a staff group sends a few messages a
 * minute, so waiting costs nothing. It is taken after the Message insert, so a redelivery still meets the unique
 * key first. SQLite serializes write transactions itself (and runs one instance). */
const MESSAGE_LOCK_KEY = 7_215_001;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createBotCore(options: BotCoreOptions): BotCore {
  const { prisma, catalogue } = options;
  const site = options.config.site;
  const serializeAcrossInstances = async (db: DbClient) => {
    if (options.provider === "postgresql") await db.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${MESSAGE_LOCK_KEY})`);
  };
  const clock = options.now ?? (() => new Date());
  const parse = options.parse ?? parseMessage;
  const info = metricInfoFrom(catalogue);
  const names = labeller(catalogue);
  const waitMs = options.redeliveryWaitMs ?? 8000;
  const holidays = options.holidays ?? createHolidayCalendar({ warn: (message, year) => options.log.warn({ year }, message) });
  const branchEntries = siteBranches(site).map((b) => ({ name: b.name, aliases: b.aliases }));

  async function storedReply(message: InboundMessage): Promise<BotReply> {
    const deadline = Date.now() + waitMs;
    for (;;) {
      const row = await prisma.message.findUnique({ where: { channel_externalId: { channel: message.channel, externalId: message.externalId } } });
      if (row?.reply != null) return { text: row.reply, redelivery: true };
      // Still in flight elsewhere (or its process died mid-way): say nothing rather than process it twice.
      if (Date.now() >= deadline) return { text: "", redelivery: true };
      await sleep(100);
    }
  }

  function messageRow(message: InboundMessage, receivedAt: Date) {
    return {
      channel: message.channel,
      externalId: message.externalId,
      senderId: message.senderId,
      chatId: message.chatId ?? null,
      text: message.unsupported ? `[${message.unsupported}] ${message.text}`.trim() : message.text,
      sentAt: message.sentAt,
      receivedAt,
    };
  }

  async function process(db: DbClient, messageId: number, message: InboundMessage, now: Date, log: Logger): Promise<Outcome> {
    if (message.unsupported) return { kind: "unsupported", text: UNSUPPORTED };
    // Inside the message's transaction: on PostgreSQL it already holds a connection and the message lock.
    const sender = await resolveSender(db, site, message.senderId);
    if (!sender) {
      log.info("unknown sender refused");
      return { kind: "refused", text: `您好，您还不在${site.library.name}的报数名单里，暂时不能报数或查询。请把您的企业微信账号（${message.senderId}）告诉信息部，由信息部添加。` };
    }
    const text = message.text.trim();
    const turn: Turn = {
      db,
      site,
      holidays,
      catalogue,
      info,
      names,
      sender,
      messageId,
      chatKey: message.chatId ?? `single:${message.senderId}`,
      text,
      sentAt: message.sentAt,
      today: libraryDay(message.sentAt, site.library.timezone),
      now,
      log,
    };
    // Before the parser, which reads 生成第三季度总结 as chatter, and before open questions: a request for a draft
    // is never an answer to one, and the question stays open.
    const draftRequest = matchDraftRequest(text, turn.today);
    if (draftRequest) return requestDraft(turn, draftRequest, `${message.channel}:${message.externalId}`);

    const parsed = parse(text, parseContext(turn));
    log.debug({ parsed }, "parsed");

    const pending = await openQuestion(turn);
    if (pending) {
      const answered = await answerPending(turn, pending.row, pending.payload, parsed);
      if (answered) return answered;
    }
    return dispatch(turn, parsed);
  }

  /** Managers may have a draft generated; the work itself runs after the message is committed. */
  function requestDraft(turn: Turn, request: DraftRequest, requestKey: string): Outcome {
    if (!isManager(turn.sender)) return { kind: "refused", text: DRAFT_REFUSAL };
    if (request.kind === "invalid") return { kind: "other", text: request.reply };
    const { period } = request;
    if (period.range.from > turn.today) return { kind: "other", text: notStartedReply(period) };
    const port = options.drafts;
    if (!port) return { kind: "other", text: noDraftPortReply(period) };
    const job = { period, requestedBy: turn.sender.userid, today: turn.today, requestKey };
    return {
      kind: "draft",
      text: "",
      async afterCommit(log) {
        try {
          const outcome = request.kind === "summary" ? await port.summary(job) : await port.digest(job);
          log.info({ period: period.id, ...outcome }, "draft generated on request");
          return { kind: "draft", text: draftReply(period, outcome) };
        } catch (error) {
          log.error({ err: error, period: period.id }, "draft on request failed");
          return { kind: "error", text: draftFailedReply(period) };
        }
      },
    };
  }

  /** Runs an outcome's after-commit work and stores its reply, which redeliveries have been waiting for. */
  async function finishAfterCommit(messageId: number, work: NonNullable<Outcome["afterCommit"]>, log: Logger): Promise<string> {
    const outcome = await work(log);
    try {
      await prisma.message.update({ where: { id: messageId }, data: { kind: outcome.kind, reply: outcome.text } });
    } catch (error) {
      // The work is done (the draft stored, the posts queued); only the stored reply is missing.
      log.error({ err: error }, "could not store the reply");
    }
    log.info({ kind: outcome.kind, reply: outcome.text }, "replied");
    return outcome.text;
  }

  function parseContext(turn: Turn): ParseContext {
    return {
      now: turn.sentAt,
      timezone: site.library.timezone,
      defaultBranch: turn.sender.branch ?? site.library.headBranch,
      branches: branchEntries,
      catalogue,
    };
  }

  async function answerPending(
    turn: Turn,
    row: Parameters<typeof resolveQuestion>[1],
    payload: PendingPayload,
    parsed: ParseResult,
  ): Promise<Outcome | undefined> {
    const intent = classifyAnswer(turn.text, parsed.intent);
    const numbers = [...turn.text.matchAll(/\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));
    if (intent === "cancel") {
      await resolveQuestion(turn, row, "cancel");
      return { kind: "answer", text: "好的，已取消，这条没有记录。" };
    }
    if (payload.kind === "clarify") {
      // The answer restates the figure (到馆132 after 到馆123还是132？) or completes the original message: read it alone
      // first, then together with the original, answer first (到馆 + 今天35人).
      for (const combined of [turn.text, `${turn.text} ${payload.originalText}`, `${payload.originalText} ${turn.text}`]) {
        const reparsed = parse(combined, parseContext(turn));
        if (reparsed.kind === "report" && reparsed.records.length > 0 && !reparsed.ask) {
          await resolveQuestion(turn, row, "answered");
          return dispatch(turn, reparsed, { backfillText: combined });
        }
        // 城东分馆上周多少？ → 要查哪项数据？ → 到馆: the answer completes the question.
        if (reparsed.kind === "query" && reparsed.query && !reparsed.ask) {
          await resolveQuestion(turn, row, "answered");
          return dispatch(turn, reparsed);
        }
      }
      if (parsed.kind === "other" && !intent) return undefined;
      if (intent === "confirm") {
        await resolveQuestion(turn, row, "confirm");
        return { kind: "answer", text: "请直接发要记录的内容，例如“今日到馆15人”。" };
      }
      await resolveQuestion(turn, row, "superseded");
      return undefined;
    }
    // A number in 改为50 / 加上50 must be the number asked about; 再加上自助机的17册 is a new correction.
    const asked = new Set(payload.records.map((r) => r.value));
    const numberFits = numbers.length === 0 || numbers.every((n) => asked.has(n));
    if (payload.kind === "day_conflict") {
      if ((intent === "replace" || intent === "add") && numberFits) {
        await resolveQuestion(turn, row, intent);
        return resolveConflict(turn, payload.records, intent);
      }
      if (intent === "confirm") return { kind: "question", text: "请回复“改为”（以这次为准）或“加上”（两次相加），或“取消”。" };
    }
    if (payload.kind === "confirm_records") {
      if (intent === "confirm" || (intent === "replace" && numberFits) || (intent === "add" && numberFits)) {
        await resolveQuestion(turn, row, "confirm");
        return handleReport(turn, payload.records, { backfill: payload.backfill, confirmed: true });
      }
      // 改为35 for a single figure: store the corrected number, through the checks again.
      if (intent === "replace" && numbers.length === 1 && payload.records.filter((r) => r.subsetOf === undefined).length === 1) {
        await resolveQuestion(turn, row, "corrected");
        const records = payload.records.map((r) => (r.subsetOf === undefined ? { ...r, value: numbers[0]! } : r));
        return handleReport(turn, records, { backfill: payload.backfill });
      }
    }
    // Not an answer: a new report, correction or question replaces the question; chatter gets a reminder.
    if (parsed.kind === "other" && parsed.intent !== "help") {
      return { kind: "question", text: `还在等您回复：${payload.question}` };
    }
    await resolveQuestion(turn, row, "superseded");
    return undefined;
  }

  async function dispatch(turn: Turn, parsed: ParseResult, options: { backfillText?: string } = {}): Promise<Outcome> {
    if (parsed.ask) {
      const question = await ask(turn, { kind: "clarify", question: parsed.ask, originalText: turn.text });
      return { kind: "question", text: question };
    }
    // 今天到馆48人，这个月一共多少了？ is a query that also reports: store the records, then answer with them in.
    const reports = parsed.kind === "report" || (parsed.kind === "query" && parsed.records.length > 0);
    switch (reports ? "report" : parsed.kind) {
      case "report": {
        if (parsed.records.length === 0) return { kind: "other", text: helpText(turn.sender) };
        const resolved = resolveRecords(turn, parsed.records);
        if ("refusal" in resolved) return { kind: "refused", text: resolved.refusal };
        const outcome = await handleReport(turn, resolved.records, { backfill: saysBackfill(options.backfillText ?? turn.text) });
        if (parsed.query && outcome.kind === "report") {
          const answers = await answerAll(turn, parsed.query);
          return { kind: "report", text: `${outcome.text}\n${answers}` };
        }
        return outcome;
      }
      case "query":
        return { kind: "query", text: parsed.query ? await answerAll(turn, parsed.query) : helpText(turn.sender) };
      case "correction":
        if (!parsed.correction) return { kind: "other", text: helpText(turn.sender) };
        return handleCorrection(turn, parsed.correction);
      default:
        return handleOther(turn, parsed);
    }
  }

  async function answerAll(turn: Turn, query: ParsedQuery | ParsedQuery[]): Promise<string> {
    const queries = Array.isArray(query) ? query : [query];
    const answers: string[] = [];
    for (const q of queries) answers.push(await answerQuery({ prisma: turn.db, site, holidays, catalogue, sender: turn.sender, today: turn.today, text: turn.text }, q));
    return answers.join("\n");
  }

  async function handleOther(turn: Turn, parsed: ParseResult): Promise<Outcome> {
    switch (parsed.intent) {
      case "closure": {
        const closure = parsed.closure ?? { date: { from: turn.today, to: turn.today } };
        const branch = closure.branch ?? turn.sender.branch ?? site.library.headBranch;
        if (!mayReportFor(turn.sender, branch)) return { kind: "refused", text: `抱歉，您不能为${branch}登记闭馆。` };
        const days = eachDay(closure.date);
        if (days.length > 62) return { kind: "other", text: "闭馆时间超过两个月，请联系信息部在配置里登记。" };
        for (const date of days) {
          await turn.db.closedDay.upsert({
            where: { branch_date: { branch, date } },
            create: { branch, date, reason: turn.text, messageId: turn.messageId },
            update: {},
          });
        }
        return { kind: "closure", text: `✅ 已登记：${branch} ${formatRange(closure.date)} 闭馆，${days.length > 1 ? "这几天" : "当天"}不算缺报。` };
      }
      case "confirm":
        return { kind: "other", text: "目前没有等您确认的事项。" };
      case "cancel":
        return { kind: "other", text: "目前没有等您确认的事项。要撤销已记录的数据，请说“撤销上一条”。" };
      case "plan":
        return { kind: "other", text: "这是计划或预告，暂不记录；办完后再报实际数字即可。" };
      case "pledge":
        return { kind: "other", text: "捐赠意向暂不记录；实际收到后再报，例如“今天接受捐赠图书120册”。" };
      default:
        return { kind: "other", text: helpText(turn.sender) };
    }
  }

  return {
    async handle(message: InboundMessage): Promise<BotReply> {
      const now = clock();
      const log = options.log.child({ channel: message.channel, externalId: message.externalId, senderId: message.senderId });
      log.info({ chatId: message.chatId, text: message.text }, "inbound message");
      // Outside the transaction: a WeCom lookup must not hold the database while it waits.
      if (options.directory && !site.people.some((person) => person.userid === message.senderId)) {
        await options.directory.ensure(message.senderId);
      }
      try {
        const handled = await prisma.$transaction(
          async (db) => {
            const row = await db.message.create({ data: messageRow(message, now) });
            await serializeAcrossInstances(db);
            const outcome = await process(db, row.id, message, now, log);
            // With after-commit work the reply stays empty until that work is done; a redelivery waits for it.
            await db.message.update({ where: { id: row.id }, data: { kind: outcome.kind, reply: outcome.afterCommit ? null : outcome.text } });
            if (!outcome.afterCommit) log.info({ kind: outcome.kind, reply: outcome.text }, "replied");
            return { messageId: row.id, outcome };
          },
          { maxWait: 15_000, timeout: 30_000 },
        );
        const { afterCommit } = handled.outcome;
        if (afterCommit) return { text: await finishAfterCommit(handled.messageId, afterCommit, log) };
        return { text: handled.outcome.text };
      } catch (error) {
        if (isUniqueViolation(error)) {
          log.info("redelivery: returning the stored reply");
          return storedReply(message);
        }
        log.error({ err: error }, "message failed; nothing recorded");
        try {
          await prisma.message.create({ data: { ...messageRow(message, now), kind: "error", reply: APOLOGY } });
        } catch (storeError) {
          if (isUniqueViolation(storeError)) return storedReply(message);
          log.error({ err: storeError }, "could not keep the failed message");
        }
        return { text: APOLOGY };
      }
    },
  };
}
