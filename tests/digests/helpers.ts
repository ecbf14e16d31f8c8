// Shared by the digest and schedule tests: a site config, a recording group poster (a fake of the outbox
// neighbour: it records what would be posted), and direct fact inserts through Prisma.
import { siteConfigSchema, type SiteConfig } from "../../src/config/site.js";
import type { Db } from "../../src/db/open.js";
import type { GroupPoster } from "../../src/digests/poster.js";

export function testSite(overrides: Record<string, unknown> = {}): SiteConfig {
  return siteConfigSchema.parse({
    library: { name: "示例区图书馆", timezone: "Asia/Shanghai", headBranch: "总馆" },
    branches: [
      { name: "总馆", closedWeekdays: [] },
      { name: "城东分馆", closedWeekdays: [1] },
      { name: "少儿馆", closedWeekdays: [] },
    ],
    people: [
      { userid: "wangwu", name: "王五", branch: "总馆", role: "staff" },
      { userid: "zhangsan", name: "张三", branch: "城东分馆", role: "staff" },
      { userid: "zhaoliu", name: "赵六", branch: "少儿馆", role: "staff" },
      { userid: "guanzhang", name: "刘馆长", branch: "总馆", role: "manager" },
    ],
    targets: { "2026": { visits: 120000, loans: 90000, events: 200 } },
    ...overrides,
  });
}

export interface Posted {
  kind: "markdown" | "file" | "text";
  dedupeKey: string;
  markdown?: string;
  fileName?: string;
  bytes?: Buffer;
  text?: string;
  mentions?: string[];
}

/** Records posts; a dedupe key seen before is ignored, as the outbox does. */
export class RecordingPoster implements GroupPoster {
  readonly posted: Posted[] = [];
  private readonly keys = new Set<string>();
  private accept(post: Posted): void {
    if (this.keys.has(post.dedupeKey)) return;
    this.keys.add(post.dedupeKey);
    this.posted.push(post);
  }
  async postMarkdown(markdown: string, dedupeKey: string): Promise<void> {
    this.accept({ kind: "markdown", markdown, dedupeKey });
  }
  async postFile(fileName: string, bytes: Buffer, dedupeKey: string): Promise<void> {
    this.accept({ kind: "file", fileName, bytes, dedupeKey });
  }
  async postText(text: string, mentionUserIds: string[], dedupeKey: string): Promise<void> {
    this.accept({ kind: "text", text, mentions: mentionUserIds, dedupeKey });
  }
}

export interface FactRow {
  metric: string;
  value: number;
  unit: string;
  from: string;
  to?: string;
  branch: string;
  approx?: boolean;
  eventType?: string;
  eventName?: string;
  subset?: string;
}

function data(row: FactRow, parentId: number | null = null) {
  return {
    metric: row.metric,
    value: row.value,
    unit: row.unit,
    approx: row.approx ?? false,
    dateFrom: row.from,
    dateTo: row.to ?? row.from,
    branch: row.branch,
    eventType: row.eventType ?? null,
    eventName: row.eventName ?? null,
    subset: row.subset ?? null,
    parentId,
    actorId: "test",
  };
}

export async function insertFacts(prisma: Db, rows: readonly FactRow[]): Promise<void> {
  if (rows.length) await prisma.fact.createMany({ data: rows.map((r) => data(r)) });
}

/** A total with its 其中 breakdowns (parentId set), as the bot stores "活动31场，其中讲座7场…". */
export async function insertWithParts(prisma: Db, total: FactRow, parts: readonly FactRow[]): Promise<number> {
  const parent = await prisma.fact.create({ data: data(total) });
  for (const part of parts) await prisma.fact.create({ data: data(part, parent.id) });
  return parent.id;
}

/** Every run of digits in a text, as numbers ("4.8%" → 4.8). */
export function numbersIn(text: string): number[] {
  return [...text.matchAll(/\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));
}

export const PLACEHOLDERS = /20xx|XX|xx|请自填|\{\{|\}\}|undefined|NaN|null|Infinity/;
