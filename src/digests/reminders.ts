// The evening reminder: on a library day, @-mention only the people of the branches that are open and have not
// reported any day counter (到馆, 借阅 …) for the day. Closed branches (regular closing day, announced closure,
// statutory holiday) are never reminded. Pure: the facts of the day and the open days are passed in.
import type { Person, SiteConfig } from "../config/site.js";
import type { OpenDays } from "../calendar/open-days.js";
import type { Catalogue, IsoDate } from "../parsing/types.js";
import { formatDay } from "../records/dates.js";
import type { DigestFact } from "./tally.js";

export interface ReminderPlan {
  day: IsoDate;
  /** Why nobody is reminded (all closed, all reported); undefined when a reminder goes out. */
  skipped?: string;
  openBranches: string[];
  missingBranches: string[];
  /** WeCom userids to @-mention. */
  mentions: string[];
  text?: string;
}

export interface ReminderInput {
  day: IsoDate;
  site: SiteConfig;
  catalogue: Catalogue;
  openDays: OpenDays;
  /** Effective facts overlapping the day. */
  facts: readonly DigestFact[];
}

/** The people who report for a branch: its own staff and anyone whose reportsFor names it. Managers and
 * admins are not chased for numbers unless nobody else reports for the branch. */
export function reportersFor(people: readonly Person[], branch: string): Person[] {
  const reporters = people.filter((p) => p.branch === branch || p.reportsFor.includes(branch));
  const staff = reporters.filter((p) => p.role === "staff");
  return staff.length ? staff : reporters;
}

export function planReminder(input: ReminderInput): ReminderPlan {
  const { day, openDays } = input;
  const openBranches = openDays.openBranches(day);
  if (openBranches.length === 0) {
    const label = openDays.branchDay(openDays.branches[0]!, day).label ?? "闭馆";
    return { day, skipped: `全馆闭馆（${label}），不提醒`, openBranches, missingBranches: [], mentions: [] };
  }
  const dayCounters = new Set(input.catalogue.metrics.filter((m) => m.behaviour === "day_counter").map((m) => m.key));
  const reported = new Set(
    input.facts.filter((f) => f.parentId === null && dayCounters.has(f.metric) && f.dateFrom <= day && day <= f.dateTo).map((f) => f.branch),
  );
  const missingBranches = openBranches.filter((b) => !reported.has(b));
  if (missingBranches.length === 0) {
    return { day, skipped: "开放的各馆均已报送", openBranches, missingBranches, mentions: [] };
  }
  const mentions = [...new Set(missingBranches.flatMap((b) => reportersFor(input.site.people, b).map((p) => p.userid)))];
  const text =
    `${missingBranches.join("、")}${formatDay(day)}的到馆、借阅等数据还没有报送，` +
    `请在群里发一下今天的数字；今天如果闭馆，也请说一声“今天闭馆”。`;
  return { day, openBranches, missingBranches, mentions, text };
}
