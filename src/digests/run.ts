// Producing digests, drafts and reminders from the database: load the facts and closures, build (pure), store
// the versioned draft, and post when asked. The schedule and the commands both call these, so `digest --send`
// and the Monday job post exactly the same text.
import type { SiteConfig } from "../config/site.js";
import type { Db } from "../db/open.js";
import type { Logger } from "../log.js";
import type { Catalogue, DayRange, IsoDate } from "../parsing/types.js";
import { loadEffectiveFacts } from "../records/facts.js";
import type { OpenDays } from "../calendar/open-days.js";
import { loadOpenDays } from "../calendar/closures.js";
import type { HolidayCalendar } from "../calendar/holidays.js";
import { weekChartPng } from "./chart.js";
import { summaryDocx } from "./docx.js";
import { saveDraft, type StoredDraft } from "./drafts.js";
import { previousPeriod, sameLastYear, unfinishedAsOf, type Period } from "./periods.js";
import type { GroupPoster } from "./poster.js";
import { planReminder, type ReminderPlan } from "./reminders.js";
import { splitMarkdown } from "./split.js";
import { buildSummary, summaryBlocks, type SummaryDocument } from "./summary.js";
import { createTally, type DigestFact } from "./tally.js";
import { buildWeeklyDigest, digestBlocks, type WeeklyDigest } from "./weekly.js";

export interface ProduceDeps {
  prisma: Db;
  site: SiteConfig;
  catalogue: Catalogue;
  holidays: HolidayCalendar;
  /** Needed only to send. */
  poster?: GroupPoster;
  log?: Logger;
  /** Chart font (default Debian's WQY Micro Hei). */
  fontFile?: string;
}

export interface SendOptions {
  send?: boolean;
  /** Who asked: 'schedule', 'cli', or a userid. */
  createdBy: string;
  /** The last library day the figures cover: coverage does not expect days after it, and a period that ends
   * later is labelled 截至 this day. The schedule passes the period's last day once it is over. */
  today?: IsoDate;
  /**
   * Set for a draft asked for in chat: the chat message's key (channel:msgid). Posts are deduplicated per
   * version *and* request, so a redelivery of the request posts nothing twice while asking again later posts
   * the (perhaps unchanged) draft again, as asked. The schedule and the CLI leave it unset: one post per version.
   * With it, `today` is the day of the request, still under way (see draftAsOf).
   */
  requestKey?: string;
}

/**
 * The day a draft is labelled 截至, if any: a period that ends after the figures do. A request in chat is read
 * while its day is still under way, so there even the period's last day counts as unfinished.
 */
export function draftAsOf(period: Period, options: Pick<SendOptions, "today" | "requestKey">): IsoDate | undefined {
  if (options.requestKey && options.today && options.today <= period.range.to) return options.today;
  return unfinishedAsOf(period, options.today);
}

function postKey(base: string, options: SendOptions): string {
  return options.requestKey ? `${base}:req:${options.requestKey}` : base;
}

async function factsFor(prisma: Db, range: DayRange): Promise<DigestFact[]> {
  return loadEffectiveFacts(prisma, { from: range.from, to: range.to, includeSubsets: true });
}

async function openDaysFor(deps: ProduceDeps, range: DayRange): Promise<OpenDays> {
  return loadOpenDays(deps.prisma, deps.site, deps.holidays, range);
}

function requirePoster(deps: ProduceDeps): GroupPoster {
  if (!deps.poster) throw new Error("sending needs the group robot (WECOM_WEBHOOK_KEY) to be configured");
  return deps.poster;
}

function clipRange(range: DayRange, today: IsoDate | undefined): DayRange {
  return today && today < range.to ? { from: range.from, to: today < range.from ? range.from : today } : range;
}

// ── Weekly digest ────────────────────────────────────────────────────────────────────────────────────────────

export interface DigestResult {
  digest: WeeklyDigest;
  draft: StoredDraft;
  /** The markdown messages, in order, as posted (each within WeCom's byte limit). */
  messages: string[];
  chartPng?: Buffer;
  sent: boolean;
}

export async function produceWeeklyDigest(deps: ProduceDeps, week: Period, options: SendOptions): Promise<DigestResult> {
  const previous = previousPeriod(week);
  const lastYear = sameLastYear(week);
  const year = week.range.to.slice(0, 4);
  const [weekFacts, previousFacts, lastYearFacts, ytdFacts, openDays] = await Promise.all([
    factsFor(deps.prisma, week.range),
    factsFor(deps.prisma, previous.range),
    factsFor(deps.prisma, lastYear.range),
    factsFor(deps.prisma, { from: `${year}-01-01`, to: week.range.to }),
    openDaysFor(deps, week.range),
  ]);
  const digest = buildWeeklyDigest({
    libraryName: deps.site.library.name,
    week,
    tally: createTally(deps.catalogue),
    facts: { week: weekFacts, previousWeek: previousFacts, sameWeekLastYear: lastYearFacts, yearToDate: ytdFacts },
    previousWeek: previous,
    sameWeekLastYear: lastYear,
    openDays,
    targets: deps.site.targets[year] ?? {},
    today: options.today,
    asOf: draftAsOf(week, options),
  });
  const blocks = digestBlocks(digest);
  const draft = await saveDraft(deps.prisma, { kind: "digest", period: week.id, markdown: blocks.join("\n\n"), trace: digest.trace, createdBy: options.createdBy });
  const messages = splitMarkdown(blocks);
  const chartPng = digest.chart ? weekChartPng(digest.chart, { fontFile: deps.fontFile }) : undefined;
  if (options.send) {
    const poster = requirePoster(deps);
    const key = postKey(`digest:${week.id}:v${draft.version}`, options);
    for (const [i, message] of messages.entries()) await poster.postMarkdown(message, `${key}:md${i + 1}`);
    if (chartPng) await poster.postFile(`${digest.title}.png`, chartPng, `${key}:chart`);
  }
  return { digest, draft, messages, chartPng, sent: Boolean(options.send) };
}

// ── Period summary draft ─────────────────────────────────────────────────────────────────────────────────────

export interface SummaryResult {
  document: SummaryDocument;
  draft: StoredDraft;
  /** Markdown messages for the group (without the trace appendix, which lives in the stored draft and .docx). */
  messages: string[];
  docx: Buffer;
  docxName: string;
  sent: boolean;
}

export function draftBanner(version: number): string {
  return `> 草稿（第${version}版）：数字均来自群内报送记录，【】处请补充后使用`;
}

export async function produceSummary(deps: ProduceDeps, period: Period, options: SendOptions): Promise<SummaryResult> {
  const lastYear = sameLastYear(period);
  const year = period.range.to.slice(0, 4);
  const range = clipRange(period.range, options.today);
  const [facts, lastYearFacts, ytdFacts, openDays] = await Promise.all([
    factsFor(deps.prisma, period.range),
    factsFor(deps.prisma, lastYear.range),
    factsFor(deps.prisma, { from: `${year}-01-01`, to: period.range.to }),
    openDaysFor(deps, period.range),
  ]);
  const document = buildSummary({
    libraryName: deps.site.library.name,
    period,
    tally: createTally(deps.catalogue),
    facts,
    lastYear: { period: lastYear, facts: lastYearFacts },
    yearToDate: ytdFacts,
    targets: deps.site.targets[year] ?? {},
    openDays,
    coveredUntil: range.to,
    asOf: draftAsOf(period, options),
  });
  const stored = summaryBlocks(document, { appendix: true }).join("\n\n");
  const draft = await saveDraft(deps.prisma, { kind: "summary", period: period.id, markdown: stored, trace: document.trace, createdBy: options.createdBy });
  const banner = draftBanner(draft.version);
  const messages = splitMarkdown(summaryBlocks(document, { appendix: false, banner }));
  const docx = await summaryDocx(document, { banner: `草稿（第${draft.version}版）`, appendix: true });
  const docxName = `${document.title}（草稿第${draft.version}版）.docx`;
  if (options.send) {
    const poster = requirePoster(deps);
    const key = postKey(`summary:${period.id}:v${draft.version}`, options);
    for (const [i, message] of messages.entries()) await poster.postMarkdown(message, `${key}:md${i + 1}`);
    await poster.postFile(docxName, docx, `${key}:docx`);
  }
  return { document, draft, messages, docx, docxName, sent: Boolean(options.send) };
}

// ── Reminder ─────────────────────────────────────────────────────────────────────────────────────────────────

export async function runReminder(deps: ProduceDeps, day: IsoDate, options: { send?: boolean }): Promise<ReminderPlan> {
  const range = { from: day, to: day };
  const [facts, openDays] = await Promise.all([factsFor(deps.prisma, range), openDaysFor(deps, range)]);
  const plan = planReminder({ day, site: deps.site, catalogue: deps.catalogue, openDays, facts });
  if (options.send && plan.text) await requirePoster(deps).postText(plan.text, plan.mentions, `reminder:${day}`);
  return plan;
}
