// The contract between message understanding (src/parsing) and everything that uses it (the bot core, the
// `parse` command, digests). Parsing is pure: no clock, no database, no I/O; "now" and the directories are
// inputs.

/** A calendar day in the library's timezone, 'YYYY-MM-DD'. */
export type IsoDate = string;

/** Inclusive range of library days; a single day has from === to. */
export interface DayRange {
  from: IsoDate;
  to: IsoDate;
}

export interface BranchEntry {
  name: string;
  aliases: string[];
}

/** How a metric's values behave over time (metrics.md "kind"), refined for storage:
 * - day_counter: a flow reported as one day's total per branch (到馆, 借阅, 还书, 办证); a second report for the
 *   same day and branch is a conflict to resolve, never silently added.
 * - additive: a flow where each report adds (捐赠, 活动, 采购).
 * - stock: a level; the latest value wins (馆藏总量, 注册读者).
 * - rate / derived: recognised, never summed (满意率, 日均到馆). */
export type MetricBehaviour = "day_counter" | "additive" | "stock" | "rate" | "derived";

export interface MetricDefinition {
  key: string;
  /** Canonical Chinese name as a summary would print it, e.g. 到馆人次. */
  name: string;
  /** Short name for one-line replies, e.g. 到馆. */
  shortName: string;
  aliases: string[];
  /** Canonical unit first (人次, 册次, 册, 场 …). */
  unit: string;
  unitAliases: string[];
  behaviour: MetricBehaviour;
  /** Work-summary section key (summary-structure.md), e.g. reader_services, collection, donations, events. */
  section: string;
  /** Metrics staff name with the same words (借阅 → loans or loan_persons); the unit decides among them. */
  family?: string;
  /** Conversion of unit aliases that are not 1:1 with the canonical unit, e.g. { "元": 0.0001 } for 万元. */
  unitFactors?: Record<string, number>;
  /** For a derived daily average, the flow it averages (visits_daily_avg → visits). */
  averageOf?: string;
  /** For a stock, the flow that adds to it (ebooks_total accumulates ebooks_added): under a stock total, the
   * flow's words name the stock (馆藏32.6万册，其中电子图书8万册). */
  accumulates?: string;
}

export interface EventTypeDefinition {
  key: string;
  /** Chinese name, e.g. 讲座. */
  name: string;
  triggers: string[];
}

export interface Catalogue {
  metrics: MetricDefinition[];
  eventTypes: EventTypeDefinition[];
}

export interface ParseContext {
  /** When the message was sent. */
  now: Date;
  /** IANA zone of the library, default Asia/Shanghai. */
  timezone: string;
  /** The sender's own branch, used when the message names none. */
  defaultBranch?: string;
  branches: BranchEntry[];
  catalogue: Catalogue;
}

export interface ParsedRecord {
  metric: string;
  value: number;
  /** Canonical unit of the metric (万 expanded, 本→册, 人→人次 for flows). */
  unit: string;
  approx: boolean;
  date: DayRange;
  /** Named in the message, else the sender's default; absent when neither is known. */
  branch?: string;
  eventType?: string;
  /** Name of the activity when staff gave one (「书香童年」亲子阅读). */
  eventName?: string;
  /** Set on a 其中 breakdown: the index in `records` of the total it breaks down. */
  subsetOf?: number;
  /** Honours and ancient-book lists: 国家级 / 省级 / 市级 / 区级 / 县级. */
  level?: string;
  /** The label of the breakdown (e.g. 讲座, 少儿). */
  subset?: string;
}

export type QueryAggregation = "sum" | "latest" | "compare" | "rank" | "missing" | "summary";

export interface ParsedQuery {
  /** A metric key, or 'all' for 汇总 / everything. */
  metric: string | "all";
  period: DayRange;
  /** Period as the user named it, e.g. 本月, 上周, 第三季度 — for the reply. */
  periodLabel?: string;
  branch?: string;
  eventType?: string;
  aggregation: QueryAggregation;
  /** For aggregation 'compare': 同比 (year over year) or 环比 (previous period). */
  compare?: "yoy" | "mom";
}

export type CorrectionAction = "replace" | "retract" | "increment" | "redate" | "recategorize";

export interface CorrectionTarget {
  metric?: string;
  date?: DayRange;
  branch?: string;
  oldValue?: number;
  /** No explicit target: the sender's own last report. */
  last?: boolean;
}

export interface ParsedCorrection {
  action: CorrectionAction;
  target: CorrectionTarget;
  /** replace: the new value; increment: the amount to add (may be negative). */
  value?: number;
  newDate?: DayRange;
  newMetric?: string;
  newBranch?: string;
  newEventType?: string;
}

/** Why a message is 'other', when the bot should do something about it anyway. */
export type OtherIntent =
  | "chatter"
  | "help"
  /** 今天闭馆 / 城西分馆周一闭馆: a closure announcement for `closure`. */
  | "closure"
  | "plan"
  | "pledge"
  /** 是/确认/好的 — an answer to a pending question. */
  | "confirm"
  /** 取消/不对/算了 */
  | "cancel";

export interface ParseResult {
  kind: "report" | "query" | "correction" | "other";
  records: ParsedRecord[];
  /** One query, or several when one message asks several things. */
  query?: ParsedQuery | ParsedQuery[];
  correction?: ParsedCorrection;
  /** When the message is genuinely ambiguous: the short Chinese question to ask back instead of guessing. */
  ask?: string;
  intent?: OtherIntent;
  closure?: { date: DayRange; branch?: string };
}
