// Who is speaking and what they may do. Staff report for their own branch (and the branches the site config lets
// them report for); managers and admins may report for, query and correct any branch.
import { siteBranches } from "../calendar/open-days.js";
import type { DbClient } from "../records/ledger.js";
import type { SiteConfig } from "../config/site.js";

export type Role = "staff" | "manager" | "admin";

export interface Sender {
  userid: string;
  name: string;
  role: Role;
  /** Their own branch; undefined for an admin without one or an unknown sender with no directory entry. */
  branch?: string;
  /** Branches they may report for, own branch first. */
  reportsFor: string[];
  /** Listed in the site config (not only accepted by policy). */
  listed: boolean;
}

/** Who is speaking: the site config's people first; then a WeCom user whose department maps to a configured
 * branch (the Directory cache, filled by src/directory when the app channel is on) is staff of that branch;
 * anyone else is accepted as staff without a branch only when the policy says so. */
export async function resolveSender(prisma: DbClient, site: SiteConfig, userid: string): Promise<Sender | undefined> {
  const person = site.people.find((p) => p.userid === userid);
  if (person) {
    const reportsFor = [...new Set([...(person.branch ? [person.branch] : []), ...person.reportsFor])];
    return { userid, name: person.name, role: person.role, branch: person.branch, reportsFor, listed: true };
  }
  const entry = await prisma.directory.findUnique({ where: { userid } });
  const branch = entry?.branch && siteBranches(site).some((b) => b.name === entry.branch) ? entry.branch : undefined;
  if (!branch && site.policy.unknownSenders !== "accept") return undefined;
  return { userid, name: entry?.name ?? userid, role: "staff", branch, reportsFor: branch ? [branch] : [], listed: false };
}

export function isManager(sender: Sender): boolean {
  return sender.role === "manager" || sender.role === "admin";
}

export function mayReportFor(sender: Sender, branch: string): boolean {
  return isManager(sender) || sender.reportsFor.includes(branch);
}

/** Staff may ask about the branches they report for; managers about anything, the whole network included. */
export function mayQuery(sender: Sender, branch: string | undefined): boolean {
  if (isManager(sender)) return true;
  return branch !== undefined && sender.reportsFor.includes(branch);
}

/** The original reporter, a colleague reporting for the same branch, or a manager may correct a fact. */
export function mayCorrect(sender: Sender, fact: { actorId: string; branch: string }): boolean {
  return isManager(sender) || fact.actorId === sender.userid || sender.reportsFor.includes(fact.branch);
}
