// Stored, versioned digests and summary drafts. Regenerating after corrections stores a new version when the
// text changed; the same text again returns the version already stored, so a schedule re-run or a repeated
// command does not pile up identical versions.
import type { Db } from "../db/open.js";
import type { TraceEntry } from "./tally.js";
import { isUniqueViolation } from "../db/errors.js";

export type DraftKind = "digest" | "summary";

export interface StoredDraft {
  id: number;
  kind: DraftKind;
  period: string;
  version: number;
  markdown: string;
  trace: TraceEntry[];
  /** False when an identical latest version already existed. */
  created: boolean;
}


export async function latestDraft(prisma: Db, kind: DraftKind, period: string): Promise<StoredDraft | undefined> {
  const row = await prisma.draft.findFirst({ where: { kind, period }, orderBy: { version: "desc" } });
  return row ? { id: row.id, kind, period, version: row.version, markdown: row.markdown, trace: JSON.parse(row.trace) as TraceEntry[], created: false } : undefined;
}

export async function saveDraft(
  prisma: Db,
  draft: { kind: DraftKind; period: string; markdown: string; trace: TraceEntry[]; createdBy: string },
): Promise<StoredDraft> {
  // Two instances regenerating at once race for the next version number; the unique (kind, period, version)
  // lets one win and the other read the winner's row and try again.
  for (let attempt = 0; attempt < 5; attempt++) {
    const latest = await latestDraft(prisma, draft.kind, draft.period);
    if (latest && latest.markdown === draft.markdown) return latest;
    const version = (latest?.version ?? 0) + 1;
    try {
      const row = await prisma.draft.create({
        data: { kind: draft.kind, period: draft.period, version, markdown: draft.markdown, trace: JSON.stringify(draft.trace), createdBy: draft.createdBy },
      });
      return { id: row.id, kind: draft.kind, period: draft.period, version, markdown: draft.markdown, trace: draft.trace, created: true };
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
  }
  throw new Error(`could not store ${draft.kind} ${draft.period}: too many concurrent versions`);
}
