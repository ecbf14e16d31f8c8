// Period work-summary drafts (季度/半年/年度工作总结), written the way a library office writes them
// (shared/docs/summary-structure.md, the seeds in shared/seeds/): a title, an opening paragraph, numbered sections
// 一、二、… per work area with 1、2、 items carrying the real figures, 存在的问题 only from real signals, and the next
// period's plan as marked slots for people to fill. Pure: facts in, a structured document out. Every figure
// printed is recorded with the ids of the facts behind it, so the appendix can show where each number came from.
//
// Rules kept here, from summary-structure.md §4–6:
//   - a section appears only when at least one figure or named activity fills it, and sections are renumbered;
//   - 共/达 for exact totals, 约 when any report behind a figure was approximate (we do not know whether the staff
//     member meant 余 or 近, so 约 is the honest word);
//   - 同比 only when the same metric has data for the same period last year;
//   - 其中 breakdowns print what was reported and need not add up to the total;
//   - no placeholder text: a missing figure drops its sentence.
import type { DayRange, IsoDate } from "../parsing/types.js";
import { daysInMonth, formatDay, formatRange } from "../records/dates.js";
import { compareTotals, dayCounterCoverage, type MetricTotal } from "../records/totals.js";
import { coverageOver, type OpenDays } from "../calendar/open-days.js";
import { branchCount, chineseOrdinal, comparisonPhrase, percent, quantity, quoteName, unreportedNote } from "./format.js";
import { periodName, unfinishedAsOf, type Period } from "./periods.js";
import { compactIds, dayCounterWords, hasValue, type DigestFact, type Tally, type TraceEntry } from "./tally.js";

export interface SummaryInput {
  libraryName: string;
  period: Period;
  tally: Tally;
  /** Effective facts (其中 breakdowns included) overlapping the period. */
  facts: readonly DigestFact[];
  /** The same period a year earlier, for 同比. */
  lastYear: { period: Period; facts: readonly DigestFact[] };
  /** 1 January to the period's end, for annual targets. */
  yearToDate: readonly DigestFact[];
  targets: Readonly<Record<string, number>>;
  openDays: OpenDays;
  /** Coverage looks at days up to here (a draft asked for before the period ends). Default: the period's end.
   * Before the period's last day, the title and opening say 截至 this day: a partial period is never presented
   * as the whole one. */
  coveredUntil?: IsoDate;
  /** Overrides the 截至 day (a request in chat on the period's last day, which is still under way). */
  asOf?: IsoDate;
}

export interface SummarySection {
  /** 一、读者服务效能稳步提升 */
  heading: string;
  /** Framing sentence (no figures), printed before the items. */
  intro?: string;
  /** 1、… items, numbered already. */
  items: string[];
}

export interface SummaryDocument {
  title: string;
  opening: string;
  sections: SummarySection[];
  closing: string;
  trace: TraceEntry[];
}

/** Words a period takes inside sentences (summary-structure.md §6: 本季度 / 上半年 / 全年). */
function periodWords(period: Period): { inText: string; opening: string; next: string; review: string } {
  switch (period.kind) {
    case "quarter":
      return {
        inText: "本季度",
        opening: `${period.year}年${periodName(period)}`,
        next: period.index === 4 ? `${period.year + 1}年第一季度` : `第${chineseOrdinal(period.index! + 1)}季度`,
        review: "本季度",
      };
    case "half":
      return period.index === 1
        ? { inText: "上半年", opening: `${period.year}年上半年`, next: "下半年", review: "半年" }
        : { inText: "下半年", opening: `${period.year}年下半年`, next: `${period.year + 1}年上半年`, review: "半年" };
    case "year":
      return { inText: "全年", opening: `${period.year}年`, next: `${period.year + 1}年`, review: "一年" };
    case "week":
      return { inText: "本周", opening: `${period.year}年${periodName(period)}`, next: "下周", review: "一周" };
  }
}

/** 示例区图书馆2026年第三季度工作总结; with `asOf` (the period is not over) …工作总结（截至11月18日）. */
export function summaryTitle(libraryName: string, period: Period, asOf?: IsoDate): string {
  const until = asOf ? `（截至${formatDay(asOf)}）` : "";
  switch (period.kind) {
    case "year":
      return `${libraryName}${period.year}年度工作总结${until}`;
    default:
      return `${libraryName}${period.year}年${periodName(period)}工作总结${until}`;
  }
}

/** 截至6月底 / 截至6月18日 */
function asOfPhrase(date: IsoDate): string {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  const day = Number(date.slice(8, 10));
  return day === daysInMonth(year, month) ? `截至${month}月底` : `截至${month}月${day}日`;
}

/** The figures of one period with their trace: every number printed goes through here. */
class Figures {
  readonly trace: TraceEntry[] = [];
  constructor(
    private readonly input: SummaryInput,
    private readonly words: ReturnType<typeof periodWords>,
  ) {}

  get tally(): Tally {
    return this.input.tally;
  }

  total(metric: string, extra: { branch?: string; eventType?: string } = {}, facts = this.input.facts): MetricTotal {
    return this.tally.total(facts, metric, this.input.period.range, extra);
  }

  has(metric: string): boolean {
    return hasValue(this.total(metric));
  }

  /** Records a printed figure and returns its words: "6932人次", "约1000册". */
  private record(label: string, total: MetricTotal): string {
    const text = quantity({ value: total.value!, unit: total.unit, approx: total.approx });
    this.trace.push({ figure: `${label} ${text}`, factIds: total.factIds });
    return text;
  }

  /**
   * "{verb}{n}{u}" for a metric with a value, else undefined. An approximate figure drops the verb (共/达) and
   * takes 约: 共6932人次 but 约1000册.
   */
  say(metric: string, verb = "", extra: { branch?: string; eventType?: string; facts?: readonly DigestFact[]; label?: string } = {}): string | undefined {
    const total = this.total(metric, { branch: extra.branch, eventType: extra.eventType }, extra.facts);
    if (!hasValue(total)) return undefined;
    const name = this.tally.metric(metric)?.name ?? metric;
    const label = extra.label ?? `${this.words.inText}${extra.branch ?? ""}${extra.eventType ? this.tally.eventTypeName(extra.eventType) : ""}${name}`;
    const text = this.record(label, total);
    return total.approx ? text : `${verb}${text}`;
  }

  /**
   * Stock: "截至6月底，{phrase}达12770人". The network figure is the sum of the branches' latest values, so a
   * branch that reported none in the period is missing from it, and the sentence says which:
   * "截至9月底，馆藏总量达346000册（不含城西分馆，该馆未报）".
   */
  stock(metric: string, phrase: string): string | undefined {
    const total = this.total(metric);
    if (!hasValue(total)) return undefined;
    const text = this.record(`${asOfPhrase(total.asOf!)}${this.tally.metric(metric)?.name ?? metric}`, total);
    const missing = this.input.openDays.branches.filter((b) => !total.branches.includes(b));
    return `${asOfPhrase(total.asOf!)}，${phrase}${total.approx ? "" : "达"}${text}${missing.length ? `（${unreportedNote(missing)}）` : ""}`;
  }

  /** 同比增长12.3% when last year's same period has data for the metric. */
  yoy(metric: string): string | undefined {
    const current = this.total(metric);
    const previous = this.tally.total(this.input.lastYear.facts, metric, this.input.lastYear.period.range);
    if (!hasValue(current) || !hasValue(previous) || current.behaviour === "stock") return undefined;
    const phrase = comparisonPhrase("同比", compareTotals(current, previous));
    if (phrase) this.record(`${this.input.lastYear.period.year}年同期${this.tally.metric(metric)?.name ?? metric}`, previous);
    return phrase;
  }

  /** Year-over-year ratio for the 存在的问题 signals. */
  yoyRatio(metric: string): number | undefined {
    const current = this.total(metric);
    const previous = this.tally.total(this.input.lastYear.facts, metric, this.input.lastYear.period.range);
    if (!hasValue(current) || !hasValue(previous) || current.behaviour === "stock") return undefined;
    return compareTotals(current, previous).ratio ?? undefined;
  }

  /**
   * "2026年累计接待读者62000人次，完成年度目标120000人次的52.3%" from the year-to-date total, when the year has a
   * target for the metric. `verb` reads before the cumulative figure (接待读者, 外借, 举办活动).
   */
  target(metric: string, verb = ""): string | undefined {
    const target = this.input.targets[metric];
    if (target === undefined) return undefined;
    const year = this.input.period.range.to.slice(0, 4);
    const ytd: DayRange = { from: `${year}-01-01`, to: this.input.period.range.to };
    const total = this.tally.total(this.input.yearToDate, metric, ytd);
    if (!hasValue(total)) return undefined;
    const unit = this.tally.metric(metric)?.unit ?? total.unit;
    const name = this.tally.metric(metric)?.name ?? metric;
    const soFar = this.input.period.kind === "year" ? "" : `${year}年累计${verb}${this.record(`${year}年累计${name}`, total)}，`;
    if (this.input.period.kind === "year") this.record(`${year}年${name}`, total);
    return `${soFar}完成年度目标${quantity({ value: target, unit, approx: false })}的${percent(total.value! / target)}`;
  }

  /**
   * 其中 parts of a metric: typed events (亲子活动80场) or labelled breakdowns (市级三项), largest first. Each part
   * is folded by totals.ts's rules, so a breakdown counts once and only under an untyped total.
   */
  parts(metric: string): string[] {
    const facts = this.input.facts.filter((f) => f.metric === metric);
    const byId = new Map(facts.map((f) => [f.id, f]));
    const groups = new Map<string, DigestFact[]>();
    for (const fact of facts) {
      const label = this.partLabel(fact);
      if (label === undefined) continue;
      if (fact.parentId !== null) {
        // A breakdown counts only under an untyped total that is in hand (totals.ts's rule): never twice.
        const parent = byId.get(fact.parentId);
        if (!parent || parent.eventType !== null) continue;
      }
      groups.set(label, [...(groups.get(label) ?? []), fact]);
    }
    const metricName = this.tally.metric(metric)?.name ?? metric;
    return [...groups.entries()]
      .map(([name, members]) => ({ name, total: this.total(metric, {}, members.map((m) => ({ ...m, parentId: null }))) }))
      .filter(({ total }) => hasValue(total))
      .sort((a, b) => b.total.value! - a.total.value!)
      .map(({ name, total }) => `${name}${this.record(`${this.words.inText}${metricName}中的${name}`, total)}`);
  }

  /** 亲子活动 for a typed fact, the staff's own label (妇女之家, 市级) for an untyped or 'other' breakdown. */
  private partLabel(fact: DigestFact): string | undefined {
    if (fact.eventType && fact.eventType !== "other") return this.tally.eventTypeName(fact.eventType);
    if (fact.subset) return fact.subset;
    if (fact.eventType === "other") return fact.eventName ?? this.tally.eventTypeName("other");
    return undefined;
  }

  /** Names staff gave activities (「书香童年」亲子阅读), in report order. */
  eventNames(metrics: readonly string[]): string[] {
    const inPeriod = this.input.facts.filter(
      (f) => metrics.includes(f.metric) && f.eventName && this.input.period.range.from <= f.dateFrom && f.dateTo <= this.input.period.range.to,
    );
    return [...new Set(inPeriod.map((f) => f.eventName!))];
  }

  /** Named facts of one metric with their own values (5月13日“书香”图书捐赠活动5280册). */
  namedFacts(metric: string): Array<{ name: string; date: IsoDate; text: string }> {
    return this.input.facts
      .filter((f) => f.metric === metric && f.eventName && this.input.period.range.from <= f.dateFrom && f.dateTo <= this.input.period.range.to)
      .map((f) => {
        const name = f.eventName!;
        const text = quantity({ value: f.value, unit: f.unit, approx: f.approx });
        this.trace.push({ figure: `${name} ${text}`, factIds: [f.id] });
        return { name, date: f.dateFrom, text };
      });
  }
}

function joinClauses(clauses: Array<string | undefined>, separator = "，"): string | undefined {
  const present = clauses.filter((c): c is string => c !== undefined && c !== "");
  return present.length ? present.join(separator) : undefined;
}

function sentence(text: string | undefined): string | undefined {
  return text ? `${text}。` : undefined;
}

function monthDay(date: IsoDate): string {
  return `${Number(date.slice(5, 7))}月${Number(date.slice(8, 10))}日`;
}

interface SectionDraft {
  key: string;
  heading: string;
  intro?: string;
  items: Array<string | undefined>;
}

function readerServices(f: Figures, input: SummaryInput, reporting: Reporting, w: ReturnType<typeof periodWords>): SectionDraft {
  const branchesWithVisits = input.openDays.branches.filter((b) => hasValue(f.total("visits", { branch: b })));
  const branchParts =
    branchesWithVisits.length > 1 ? `其中${branchesWithVisits.map((b) => `${b}${f.say("visits", "", { branch: b })}`).join("、")}` : undefined;
  const missing = [...reporting.gaps.keys()];
  const allMissing = missing.length > 1 && missing.length === input.openDays.branches.length;
  // （不含城西分馆，该馆未报；少儿馆部分数据未报）: a branch silent all period first, then the partial gaps.
  const notes = [
    reporting.silent.length ? unreportedNote(reporting.silent) : undefined,
    missing.length ? `${allMissing ? "各馆" : missing.join("、")}部分数据未报` : undefined,
  ].filter((n): n is string => n !== undefined);
  const missingNote = notes.length ? `（${notes.join("；")}）` : "";
  const visits = f.say("visits", "共");
  const eReading = f.say("e_reading_visits", "");
  const visitsClauses = visits
    ? joinClauses([
        `${w.inText}${visits.startsWith("约") ? "接待读者" : "共接待读者"}${visits.replace(/^共/, "")}${missingNote}`,
        f.yoy("visits"),
        branchParts,
        f.target("visits", "接待读者"),
      ])
    : undefined;
  const visitsItem = visitsClauses
    ? `到馆服务：${visitsClauses}。${eReading ? `电子阅览室接待${eReading}。` : ""}`
    : eReading
      ? `电子阅览：电子阅览室接待${eReading}。`
      : undefined;
  const loans = f.say("loans", "");
  // Flows first, then the year's progress: 外借…，还书…；2026年累计外借…，完成年度目标…
  const flows = joinClauses([
    loans ? joinClauses([`外借图书${loans}`, f.yoy("loans")]) : undefined,
    f.say("loan_persons", "") ? `借阅${f.say("loan_persons", "")}` : undefined,
    f.say("returns", "") ? `还书${f.say("returns", "")}` : undefined,
    f.say("renewals", "") ? `续借${f.say("renewals", "")}` : undefined,
  ]);
  const loanItem = sentence(joinClauses([flows, loans ? f.target("loans", "外借") : undefined], "；"));
  const cards = f.say("new_cards", "");
  const cardItem = sentence(
    joinClauses(
      [cards ? `新办读者证${cards}${f.yoy("new_cards") ? `，${f.yoy("new_cards")}` : ""}` : undefined, f.stock("registered_readers", "持证读者")],
      "；",
    ),
  );
  const other = sentence(
    joinClauses([
      f.say("reference_questions", "") ? `解答读者咨询${f.say("reference_questions", "")}` : undefined,
      f.say("open_days", "") ? `开馆${f.say("open_days", "")}` : undefined,
      f.stock("opening_hours_weekly", "每周开放时间"),
      f.stock("reader_satisfaction", "读者满意率"),
    ]),
  );
  return {
    key: "reader_services",
    heading: (f.yoyRatio("visits") ?? 0) > 0 ? "读者服务效能稳步提升" : "优化基础服务，做好读者服务",
    intro: "继续把“读者至上，服务第一”的宗旨贯穿到各项基础服务工作之中。",
    items: [visitsItem, loanItem ? `借阅流通：${loanItem}` : undefined, cardItem ? `读者办证：${cardItem}` : undefined, other ? `咨询与开放：${other}` : undefined],
  };
}

function collection(f: Figures): SectionDraft {
  const titles = f.say("acquisitions_titles", "");
  const books = f.say("acquisitions", "");
  const acquisitions = sentence(
    joinClauses([
      books ? `新增图书${books}${titles ? `（${titles}）` : ""}` : titles ? `新增图书${titles}` : undefined,
      f.say("ebooks_added", "") ? `电子图书${f.say("ebooks_added", "")}` : undefined,
      f.stock("periodicals_subscribed", "征订报刊"),
    ]),
  );
  const processing = sentence(
    joinClauses([f.say("cataloged", "") ? `编目加工${f.say("cataloged", "")}` : undefined, f.say("weeded", "") ? `剔旧${f.say("weeded", "")}` : undefined]),
  );
  const holdings = sentence(
    joinClauses([f.stock("collection_total", "馆藏总量"), f.stock("ebooks_total", "电子图书藏量"), f.stock("digital_resources_tb", "数字资源总量")], "；"),
  );
  return {
    key: "collection",
    heading: "加强文献资源建设",
    intro: "围绕读者需求做好文献采访、加工和管理，逐步完善馆藏结构。",
    items: [acquisitions ? `文献采购：${acquisitions}` : undefined, processing ? `加工整理：${processing}` : undefined, holdings ? `馆藏规模：${holdings}` : undefined],
  };
}

function events(f: Figures, w: ReturnType<typeof periodWords>): SectionDraft {
  const total = f.say("events", "共举办各类活动");
  const parts = f.parts("events");
  const attendance = f.say("event_attendance", "");
  const yoyAttendance = attendance ? f.yoy("event_attendance") : undefined;
  const overview = total
    ? `${w.inText}${total.startsWith("约") ? `举办各类活动${total}` : total}${parts.length ? `，其中${parts.join("、")}` : ""}${attendance ? `，参与${attendance}` : ""}${yoyAttendance ? `，${yoyAttendance}` : ""}${
        f.target("events", "举办活动") ? `；${f.target("events", "举办活动")}` : ""
      }。`
    : attendance
      ? `${w.inText}各类活动参与${attendance}${yoyAttendance ? `，${yoyAttendance}` : ""}。`
      : undefined;
  const names = f.eventNames(["events", "event_attendance"]).map(quoteName);
  const named = names.length ? `重点开展了${names.join("、")}等活动，受到读者欢迎。` : undefined;
  const more = sentence(
    joinClauses([
      f.say("training_hours", "") ? `开展培训${f.say("training_hours", "")}` : undefined,
      f.say("online_participation", "") ? `线上活动参与${f.say("online_participation", "")}` : undefined,
    ]),
  );
  return {
    key: "events",
    heading: "深入开展阅读推广活动",
    intro: "利用图书馆的教育职能，为广大读者开展形式多样的阅读推广活动。",
    items: [overview ? `活动开展：${overview}` : undefined, named ? `品牌活动：${named}` : undefined, more ? `培训与线上服务：${more}` : undefined],
  };
}

function outreach(f: Figures): SectionDraft {
  const trips = f.say("outreach_trips", "");
  const books = f.say("outreach_books_delivered", "共");
  const delivered = sentence(joinClauses([trips ? `开展流动服务${trips}` : undefined, books ? `送书${books.replace(/^共/, trips ? "共" : "")}` : undefined]));
  const points = sentence(f.stock("service_points", "流动图书馆和服务点"));
  return {
    key: "outreach",
    heading: "延伸流动服务和总分馆服务",
    intro: "把图书馆服务送到基层和读者身边。",
    items: [delivered ? `流动服务：${delivered}` : undefined, points ? `服务网点：${points}` : undefined],
  };
}

function heritage(f: Figures): SectionDraft {
  const ancient = sentence(
    joinClauses([
      f.say("ancient_books_cataloged", "") ? `完成古籍普查录入${f.say("ancient_books_cataloged", "")}` : undefined,
      f.say("ancient_books_reported", "") ? `上报古籍${f.say("ancient_books_reported", "")}` : undefined,
      f.say("ancient_books_listed", "") ? `入选珍贵古籍名录${f.say("ancient_books_listed", "")}` : undefined,
      f.say("ancient_books_promotion", "") ? `开展古籍保护宣传${f.say("ancient_books_promotion", "")}` : undefined,
    ]),
  );
  const local = f.say("local_docs_collected", "共");
  return {
    key: "heritage",
    heading: "古籍保护和地方文献工作扎实推进",
    items: [ancient ? `古籍保护：${ancient}` : undefined, local ? `地方文献征集：征集地方文献资料${local.replace(/^共/, "")}。` : undefined],
  };
}

function digital(f: Figures): SectionDraft {
  const resources = sentence(
    joinClauses([
      f.say("digital_visits", "") ? `数字资源访问量${f.say("digital_visits", "")}` : undefined,
      f.say("digital_downloads", "") ? `下载量${f.say("digital_downloads", "")}` : undefined,
    ]),
  );
  const media = sentence(
    joinClauses([
      f.say("new_media_posts", "") ? `新媒体发布${f.say("new_media_posts", "")}` : undefined,
      f.say("new_media_reads", "") ? `阅读量${f.say("new_media_reads", "")}` : undefined,
      f.stock("followers", "粉丝"),
    ]),
  );
  return {
    key: "digital",
    heading: "数字资源与新媒体服务持续拓展",
    items: [resources ? `数字资源：${resources}` : undefined, media ? `新媒体：${media}` : undefined],
  };
}

function donations(f: Figures, w: ReturnType<typeof periodWords>): SectionDraft {
  const times = f.say("donation_events", "");
  const books = f.say("donated_books", "");
  const named = f.namedFacts("donated_books").map((n) => `${monthDay(n.date)}${quoteName(n.name)}收到捐赠图书${n.text}`);
  const gifts = joinClauses([
    books ? `图书${books}` : undefined,
    f.say("donated_periodicals", "") ? `期刊${f.say("donated_periodicals", "")}` : undefined,
    f.say("donated_items", "") ? `物资${f.say("donated_items", "")}` : undefined,
  ], "、");
  const money = f.say("donated_money", "");
  const donationItem =
    times || gifts || money
      ? `社会捐赠：${w.inText}接受社会各界爱心人士捐赠${times ?? ""}${gifts ? `${times ? "，其中" : ""}${gifts}` : ""}${money ? `，社会捐款${money}` : ""}${
          named.length ? `。${named.join("，")}` : ""
        }。`
      : undefined;
  const volunteers = sentence(
    joinClauses([
      f.say("volunteer_attendances", "") ? `志愿者参与服务${f.say("volunteer_attendances", "")}` : undefined,
      f.say("volunteer_hours", "") ? `服务时长${f.say("volunteer_hours", "")}` : undefined,
      f.say("volunteers_recruited", "") ? `新招募志愿者${f.say("volunteers_recruited", "")}` : undefined,
      f.stock("volunteers_registered", "注册志愿者"),
    ]),
  );
  return {
    key: "donations",
    heading: "社会力量积极参与",
    items: [donationItem, volunteers ? `志愿服务：${volunteers}` : undefined],
  };
}

function publicity(f: Figures, w: ReturnType<typeof periodWords>): SectionDraft {
  const reports = sentence(
    joinClauses([
      f.say("media_reports", "") ? `电视台、报社等媒体报道${f.say("media_reports", "")}` : undefined,
      f.say("bulletins", "") ? `出刊信息简报${f.say("bulletins", "")}` : undefined,
      f.say("info_submissions", "") ? `报送信息${f.say("info_submissions", "")}` : undefined,
    ]),
  );
  const honors = f.say("honors", "");
  const parts = honors ? f.parts("honors") : [];
  return {
    key: "publicity",
    heading: "宣传报道与荣誉",
    items: [
      reports ? `宣传报道：${w.inText}${reports}` : undefined,
      honors ? `获得荣誉：${w.inText}获得荣誉${honors}${parts.length ? `，其中${parts.join("、")}` : ""}。` : undefined,
    ],
  };
}

function staff(f: Figures): SectionDraft {
  const training = sentence(
    joinClauses([
      f.say("staff_trainings", "") ? `职工参加业务培训${f.say("staff_trainings", "")}` : undefined,
      f.say("staff_training_hours", "") ? `累计${f.say("staff_training_hours", "")}` : undefined,
      f.say("papers_published", "") ? `发表论文${f.say("papers_published", "")}` : undefined,
    ]),
  );
  const count = sentence(f.stock("staff_count", "在岗职工"));
  return { key: "staff", heading: "加强队伍建设", items: [training ? `业务学习：${training}` : undefined, count ? `人员情况：${count}` : undefined] };
}

function facilities(f: Figures): SectionDraft {
  const spend = sentence(
    joinClauses([
      f.say("facility_spend", "") ? `投入设施改造资金${f.say("facility_spend", "")}` : undefined,
      f.say("acquisition_spend", "") ? `购书经费${f.say("acquisition_spend", "")}` : undefined,
      f.stock("funding", "财政拨款"),
    ]),
  );
  const space = sentence(joinClauses([f.stock("building_area", "建筑面积"), f.stock("reading_seats", "阅览座席")], "；"));
  return { key: "facilities", heading: "保障条件不断改善", items: [spend ? `经费投入：${spend}` : undefined, space ? `馆舍设施：${space}` : undefined] };
}

/** Site-defined metrics the sections above do not know: listed plainly under 其他工作. */
function otherWork(f: Figures, input: SummaryInput, known: ReadonlySet<string>): SectionDraft {
  const keys = input.tally.order(input.facts.filter((x) => x.parentId === null && !known.has(x.metric)).map((x) => x.metric));
  const items = keys.map((key) => {
    const metric = input.tally.metric(key);
    const text = metric?.behaviour === "stock" ? f.stock(key, metric.name) : f.say(key, "");
    return text ? `${metric?.name ?? key}：${text}。` : undefined;
  });
  return { key: "other_work", heading: "其他工作", items };
}

/** 存在的问题: declines against last year and gaps in reporting, nothing else. */
function problems(f: Figures, input: SummaryInput, { gaps, silent }: Reporting, w: ReturnType<typeof periodWords>): string[] {
  const signals: string[] = [];
  const flows = input.tally.order(input.facts.filter((x) => x.parentId === null).map((x) => x.metric));
  for (const key of flows) {
    const ratio = f.yoyRatio(key);
    // A drop of under 5% is noise for a library's counts; it is not a finding.
    if (ratio === undefined || ratio > -0.05) continue;
    const phrase = f.yoy(key);
    if (phrase) signals.push(`${input.tally.metric(key)?.name ?? key}${phrase}，需分析原因，改进服务`);
  }
  // A branch with no day-counter figure at all is the largest gap: every daily figure above is without it.
  if (silent.length) {
    signals.push(
      `${silent.join("、")}${w.inText}${silent.length > 1 ? "均" : ""}未报送每日数据，以上${dayCounterWords(input.tally, input.facts, input.period.range)}数据不含${
        silent.length > 1 ? `上述${branchCount(silent.length)}` : "该馆"
      }`,
    );
  }
  if (gaps.size) {
    const entries = [...gaps];
    const who =
      entries.length === 1
        ? `${entries[0]![0]}有${entries[0]![1]}个`
        : `${entries.map(([branch]) => branch).join("、")}分别有${entries.map(([, days]) => days).join("、")}个`;
    signals.push(`${who}开放日未报送到馆、借阅等日常数据，统计数据不够完整，报送工作还需加强`);
  }
  return signals;
}

/** What each section's work area is called in the plan slots (读者服务方面的…重点工作). */
const AREA_NAMES: Readonly<Record<string, string>> = {
  reader_services: "读者服务",
  collection: "文献资源建设",
  events: "阅读推广",
  outreach: "流动服务和总分馆建设",
  heritage: "古籍保护和地方文献",
  digital: "数字资源与新媒体",
  donations: "社会捐赠和志愿服务",
  publicity: "宣传报道",
  staff: "队伍建设",
  facilities: "保障条件建设",
  other_work: "其他",
};

const SIGNAL_ORDINALS = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/** Who left open days without a day-counter report. */
interface Reporting {
  /** Branches that reported some days: how many open days they did not. */
  gaps: Map<string, number>;
  /** Open branches (site order) with open days in the period and not one day-counter figure for any of them, while
   * other branches did report: the totals leave them out entirely. A branch closed all period (holidays, closures)
   * has no open day and is not here. */
  silent: string[];
}

/** Per branch, how many open days in the period have no day-counter report, and which branches reported none. */
function reportingGaps(input: SummaryInput): Reporting {
  const dayCounters = input.tally.catalogue.metrics.filter((m) => m.behaviour === "day_counter").map((m) => m.key);
  // When nobody reported a day counter at all, the draft has no daily figures to qualify and names nobody.
  const coverage = dayCounterCoverage({
    facts: input.facts,
    metrics: dayCounters,
    period: input.period.range,
    today: input.coveredUntil ?? input.period.range.to,
    ...coverageOver(input.openDays, input.period.range),
  });
  const anyReported = coverage.branches.some((b) => b.reported.length > 0);
  const gaps = new Map<string, number>();
  const silent: string[] = [];
  for (const branch of coverage.branches) {
    if (branch.missing.length === 0) continue;
    if (branch.reported.length > 0) gaps.set(branch.branch, branch.missing.length);
    else if (anyReported) silent.push(branch.branch);
  }
  return { gaps, silent };
}

export function buildSummary(input: SummaryInput): SummaryDocument {
  const w = periodWords(input.period);
  const f = new Figures(input, w);
  const reporting = reportingGaps(input);

  const drafts: SectionDraft[] = [
    readerServices(f, input, reporting, w),
    collection(f),
    events(f, w),
    outreach(f),
    heritage(f),
    digital(f),
    donations(f, w),
    publicity(f, w),
    staff(f),
    facilities(f),
  ];
  const known = new Set(input.tally.catalogue.metrics.filter((m) => m.section !== "other_work").map((m) => m.key));
  drafts.push(otherWork(f, input, known));

  const sections: SummarySection[] = [];
  for (const draft of drafts) {
    const items = draft.items.filter((i): i is string => i !== undefined);
    if (items.length === 0) continue;
    sections.push({
      heading: `${chineseOrdinal(sections.length + 1)}、${draft.heading}`,
      ...(draft.intro ? { intro: draft.intro } : {}),
      items: items.map((item, i) => `${i + 1}、${item}`),
    });
  }

  const workAreas = drafts.filter((d) => d.items.some((i) => i !== undefined)).map((d) => AREA_NAMES[d.key] ?? d.heading);
  const signals = problems(f, input, reporting, w);
  if (signals.length) {
    const text = `在取得成绩的同时，我们也看到了工作中的不足：${signals.map((s, i) => `${SIGNAL_ORDINALS[i] ?? i + 1}是${s}`).join("；")}。`;
    sections.push({ heading: `${chineseOrdinal(sections.length + 1)}、存在的问题`, intro: text, items: ["【待补充：馆内认为需要写入的其他问题】"] });
  }

  const areas = workAreas.slice(0, 3);
  const planItems = areas.length
    ? areas.map((area, i) => `${i + 1}、【待补充：${area}方面的${w.next}重点工作】`)
    : ["1、【待补充：下阶段重点工作】"];
  planItems.push(`${planItems.length + 1}、【待补充：其他工作安排】`);
  sections.push({ heading: `${chineseOrdinal(sections.length + 1)}、${w.next}工作计划`, items: planItems });

  const headline = joinClauses([
    f.say("visits", "", { label: `${w.inText}到馆人次` }) ? `接待读者${f.say("visits", "", { label: `${w.inText}到馆人次` })}` : undefined,
    f.say("loans", "", { label: `${w.inText}外借册次` }) ? `外借图书${f.say("loans", "", { label: `${w.inText}外借册次` })}` : undefined,
    f.say("new_cards", "", { label: `${w.inText}新办读者证` }) ? `新办读者证${f.say("new_cards", "", { label: `${w.inText}新办读者证` })}` : undefined,
    f.say("events", "", { label: `${w.inText}活动场次` })
      ? `举办各类活动${f.say("events", "", { label: `${w.inText}活动场次` })}${f.say("event_attendance", "", { label: `${w.inText}活动参与人次` }) ? `、参与${f.say("event_attendance", "", { label: `${w.inText}活动参与人次` })}` : ""}`
      : undefined,
  ]);
  const focus = [
    sections.some((s) => s.heading.includes("读者服务")) ? "优化读者服务" : undefined,
    sections.some((s) => s.heading.includes("阅读推广")) ? "推进全民阅读" : undefined,
    sections.some((s) => s.heading.includes("文献资源")) ? "加强馆藏建设" : undefined,
    sections.some((s) => s.heading.includes("流动服务")) ? "延伸基层服务" : undefined,
  ].filter(Boolean);
  // A draft asked for before the period ends names the days it covers, in the opening as in the title.
  const asOf = input.asOf ?? unfinishedAsOf(input.period, input.coveredUntil);
  const span = asOf ? `（${formatRange({ from: input.period.range.from, to: asOf })}）` : "";
  const opening =
    `${w.opening}${span}，${input.libraryName}在上级主管部门的正确领导下，本着“一切为了读者，为了读者一切”的宗旨，` +
    `${focus.length ? `围绕${focus.join("、")}扎实开展工作` : "扎实开展工作"}，各项工作平稳有序推进。` +
    // 共 governs the list; it is not written before an approximate first figure (共约 is not how it reads).
    // With days unreported (or a branch silent all period) the headline is what was reported, and says so; 共
    // would present it as complete.
    `${headline ? (reporting.gaps.size || reporting.silent.length ? `据各馆已报数据，${w.inText}${headline}。` : `${w.inText}${/^[^\d约]*约/.test(headline) ? "" : "共"}${headline}。`) : ""}现将${w.inText}${asOf ? `截至${formatDay(asOf)}的` : ""}工作总结如下：`;

  const closing =
    input.period.kind === "quarter"
      ? `${w.next}，我们将继续努力，推动各项工作再上新台阶。`
      : `回顾${w.review}的工作，在取得成绩的同时，我们也看到了工作中的不足。展望${w.next === "下半年" ? "下半年" : "新的一年"}，我们将继续努力，力争各项工作更上一个新台阶。`;

  return { title: summaryTitle(input.libraryName, input.period, asOf), opening, sections, closing, trace: dedupeTrace(f.trace) };
}

function dedupeTrace(trace: readonly TraceEntry[]): TraceEntry[] {
  const seen = new Set<string>();
  return trace.filter((t) => (seen.has(t.figure) ? false : (seen.add(t.figure), true)));
}

/** The draft as markdown: the stored text and, without the appendix, what the group sees. */
export function summaryBlocks(doc: SummaryDocument, options: { appendix: boolean; banner?: string }): string[] {
  const blocks = [[...(options.banner ? [options.banner, ""] : []), `# ${doc.title}`, "", doc.opening].join("\n")];
  for (const section of doc.sections) {
    blocks.push([`## ${section.heading}`, ...(section.intro ? [section.intro] : []), ...section.items].join("\n"));
  }
  blocks.push(doc.closing);
  if (options.appendix && doc.trace.length) {
    blocks.push(["## 附：数据来源", "以下为文中各数字对应的报送记录编号（可用 trace 命令查看原始消息和更正过程）。", ...doc.trace.map((t) => `- ${t.figure}：${compactIds(t.factIds)}`)].join("\n"));
  }
  return blocks;
}

