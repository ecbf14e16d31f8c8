// The closed vocabulary the tokenizer matches by longest match: metric aliases, event-type triggers, branch
// names, units and the handful of grammatical words the grammar needs (其中, 各, 分别, 共 …). Built once per
// catalogue and branch directory and cached, since a process parses thousands of messages with the same ones.
import type { BranchEntry, Catalogue, MetricDefinition } from "./types.ts";

export type WordKind =
  | "subset" // 其中: a breakdown of the total before it follows
  | "contains" // 含: a part hidden inside the total, the split must be asked
  | "total" // 共, 一共, 合计
  | "cumulative" // 累计: a running total, never a new record when the day's number is also given
  | "each" // 各: the same number for every branch or type listed
  | "respectively" // 分别: lists paired in order
  | "and" // 和, 与, 、
  | "average" // 平均每天, 日均
  | "per_capita" // 人均: a ratio, never a record
  | "level" // 市级, 区级 …
  | "combined" // 借还: two metrics in one number
  | "stop"; // ordinary words that contain an alias or a numeral (开展, 一共, 统一)

export interface LexEntry {
  text: string;
  /** Metrics that list this alias. */
  metrics?: string[];
  eventType?: string;
  branch?: string;
  word?: WordKind;
}

export interface Lexicon {
  byFirstChar: Map<string, LexEntry[]>;
  metrics: Map<string, MetricDefinition>;
  /** Units sorted longest first. */
  units: string[];
  /** family name → its metric keys, in catalogue order. */
  families: Map<string, string[]>;
  /** metric key → the derived daily-average metric. */
  averages: Map<string, string>;
  /** Flow key → the stock it accumulates into. */
  stocks: Map<string, string>;
  branchNames: string[];
}

const WORDS: Array<[WordKind, string[]]> = [
  ["subset", ["其中", "其中有", "其中包括", "包括"]],
  ["contains", ["含", "包含", "内含"]],
  ["total", ["共", "一共", "总共", "合计", "共计", "总计", "加起来", "总数"]],
  ["cumulative", ["累计", "累积", "截至目前", "截止目前", "至今"]],
  ["each", ["各", "各自", "每个馆", "每馆"]],
  ["respectively", ["分别", "分别是", "分别为"]],
  ["and", ["和", "与", "跟", "及", "以及", "、", "同", "加", "加上", "+"]],
  ["average", ["平均每天", "日均", "每天平均", "平均每日", "平均", "每天", "每日"]],
  ["per_capita", ["人均", "每人", "每位"]],
  ["level", ["国家级", "省级", "市级", "区级", "县级", "镇级", "校级"]],
  ["combined", ["借还", "借还书", "借书还书", "借阅和还书", "借和还"]],
  ["stop", [
    "开展", "展开", "发展", "进展", "拓展", "展现", "一起", "一下", "一些", "一直", "一定", "一般", "一样", "一切",
    "一致", "一行", "一同", "一点", "一会", "统一", "万一", "千万", "一一", "之一", "唯一", "十分", "一早", "一向", "一度",
    "一律", "一再", "一边", "一旦", "一次性", "一线", "一方面", "一大早", "一带", "一番", "一年一度", "二手", "三三两两",
    "一时", "一阵", "一半", "万分", "百分百", "千千万万", "第一时间", "一对一", "一家人", "一个个", "服务员", "工作人员",
    "还是", "还有", "还在", "还没", "还要", "还需", "还行", "还可以", "借口", "借用", "借助", "借鉴", "多少", "几个人",
    "上报告", "咨询台", "注册会计", "接待室", "活动室", "展板", "开放日", "开馆时间", "开放时间", "参加会议", "参与度",
    "发表意见", "投入使用", "加工资", "维修工", "关注度", "书展位", "会员", "新书推荐", "电子阅览室开放",
    "上一条", "上一个", "上一次", "这一条", "那一条", "最后一条", "上条", "这条", "那条", "一条条",
    // Words ending in 来 that are no one coming (排名出来了吗, 原来, 后来).
    "出来了", "出来", "起来", "原来", "后来", "本来", "看来", "将来", "未来", "从来", "近来",
    // Schools named after an activity word (实验小学 is no science activity).
    "实验小学", "实验中学", "实验学校", "实验幼儿园",
    // 截至今天: 截至 is read whole, so 至今 does not swallow the 今 of 今天.
    "截至", "截止", "截止到",
    // 同 in words that do not mean "with" (3名同事参加培训).
    "同事", "同时", "同样", "同志", "同学", "同意", "同步", "同一", "同级", "同行",
    // Machines and places named after what happens there (借还机又卡了3次).
    "借还机", "自助借还机", "借还书机", "借还设备", "借还系统", "还书箱", "还书机", "借书机", "办证机",
  ]],
];

/** Units after a number, besides those in the catalogue. */
const EXTRA_UNITS = [
  "人次", "册次", "本次", "件次", "场次", "批次", "个人", "人头", "个小时", "个学时", "个课时", "小时", "钟头", "学时",
  "课时", "万元", "元", "块钱", "块", "平方米", "平米", "㎡", "人", "位", "名", "个", "册", "本", "件", "场", "次", "期",
  "种", "份", "张", "项", "篇", "条", "则", "批", "家", "处", "所", "座", "天", "趟", "回", "TB", "T", "GB", "%", "箱",
  "部", "席", "组", "户", "节", "堂", "套", "本书", "册书", "套书",
];

const cache = new WeakMap<Catalogue, WeakMap<BranchEntry[], Lexicon>>();

const BRANCH_KIND = /(?:分馆|图书馆|城市书房|农家书屋|书屋|书房|图书室|服务点|流通点|阅览室)$/;
const TOWNSHIP = /(?:街道|社区|镇|乡)$/;

/** 和平街道分馆 → 和平街道, 和平; 柳树村农家书屋 → 柳树村 (a village keeps 村). */
function branchCores(name: string): string[] {
  const kindless = name.replace(BRANCH_KIND, "");
  if (kindless === name) return [];
  const cores = [kindless, kindless.replace(TOWNSHIP, "")];
  return [...new Set(cores)].filter((core) => core.length >= 2 && !/^(?:总|本|主|少儿|儿童|县|市|区)/.test(core));
}

export function lexiconFor(catalogue: Catalogue, branches: BranchEntry[]): Lexicon {
  let byBranches = cache.get(catalogue);
  if (!byBranches) {
    byBranches = new WeakMap();
    cache.set(catalogue, byBranches);
  }
  let lexicon = byBranches.get(branches);
  if (!lexicon) {
    lexicon = buildLexicon(catalogue, branches);
    byBranches.set(branches, lexicon);
  }
  return lexicon;
}

export function buildLexicon(catalogue: Catalogue, branches: BranchEntry[]): Lexicon {
  const entries = new Map<string, LexEntry>();
  const entry = (text: string): LexEntry => {
    let found = entries.get(text);
    if (!found) {
      found = { text };
      entries.set(text, found);
    }
    return found;
  };
  for (const [word, texts] of WORDS) for (const text of texts) entry(text).word = word;
  for (const metric of catalogue.metrics) {
    for (const alias of metric.aliases) {
      const e = entry(alias);
      if (e.word === "stop" || e.metrics?.includes(metric.key)) continue;
      e.metrics = [...(e.metrics ?? []), metric.key];
    }
  }
  for (const eventType of catalogue.eventTypes) {
    for (const trigger of eventType.triggers) {
      const e = entry(trigger);
      if (e.word !== "stop" && !e.eventType) e.eventType = eventType.key;
    }
  }
  // 书画展, 剪纸展, 绘本展: a show of something is an exhibition, whatever the something's own activity type.
  const exhibition = catalogue.eventTypes.find((t) => t.key === "exhibition");
  if (exhibition) {
    for (const eventType of catalogue.eventTypes) {
      if (eventType.key === exhibition.key) continue;
      for (const trigger of eventType.triggers) {
        if (/展$/.test(trigger)) continue;
        const e = entry(`${trigger}展`);
        if (e.word !== "stop" && !e.eventType) e.eventType = exhibition.key;
      }
    }
  }
  for (const branch of branches) {
    for (const name of [branch.name, ...branch.aliases]) {
      const e = entry(name);
      e.branch = branch.name;
      delete e.word;
    }
  }
  // 和平 for 和平街道分馆, 滨江 for 滨江城市书房: staff drop the kind of branch. The core of a name counts when it is
  // no other branch's, no metric word and at least two characters.
  const cores = new Map<string, string[]>();
  for (const branch of branches) {
    for (const core of branchCores(branch.name)) cores.set(core, [...(cores.get(core) ?? []), branch.name]);
  }
  for (const [core, names] of cores) {
    const existing = entries.get(core);
    if (names.length !== 1 || (existing && (existing.branch !== undefined || existing.metrics || existing.eventType || existing.word))) continue;
    entry(core).branch = names[0]!;
  }
  const byFirstChar = new Map<string, LexEntry[]>();
  for (const e of entries.values()) {
    const first = e.text[0]!;
    const list = byFirstChar.get(first) ?? [];
    list.push(e);
    byFirstChar.set(first, list);
  }
  for (const list of byFirstChar.values()) list.sort((a, b) => b.text.length - a.text.length);

  const metrics = new Map(catalogue.metrics.map((m) => [m.key, m]));
  const families = new Map<string, string[]>();
  const averages = new Map<string, string>();
  const stocks = new Map<string, string>();
  for (const metric of catalogue.metrics) {
    if (metric.accumulates) stocks.set(metric.accumulates, metric.key);
    if (metric.family) families.set(metric.family, [...(families.get(metric.family) ?? []), metric.key]);
    if (metric.averageOf) averages.set(metric.averageOf, metric.key);
  }
  const unitSet = new Set(EXTRA_UNITS);
  for (const metric of catalogue.metrics) for (const unit of [metric.unit, ...metric.unitAliases]) unitSet.add(unit);
  const units = [...unitSet].sort((a, b) => b.length - a.length);
  return { byFirstChar, metrics, units, families, averages, stocks, branchNames: branches.map((b) => b.name) };
}

/** The longest lexicon entry starting at `position`. */
export function matchLexicon(lexicon: Lexicon, text: string, position: number): LexEntry | undefined {
  const candidates = lexicon.byFirstChar.get(text[position]!);
  if (!candidates) return undefined;
  for (const candidate of candidates) {
    if (text.startsWith(candidate.text, position)) return candidate;
  }
  return undefined;
}
