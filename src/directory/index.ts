// The WeCom directory cache: who a userid is and which branch they belong to, from WeCom's address book.
// It fills the `Directory` table that `bot/people.ts` reads for senders not listed in the site config.
//
// ensure(userid):
//   - a `Directory` row younger than the TTL (24 h) is the answer, without a request;
//   - otherwise user/get, then the branch of their main department (or first department), walking up the
//     parents until a department is named like a branch (its name or one of its aliases, or the head branch);
//     the row is upserted with the name and that branch, or null when no department matches;
//   - a failure (WeCom down, no privilege 60011, userid not found 60111, a bad secret) is logged once and
//     answered with the stale row or undefined; it never throws into the message path, and the same userid is
//     not asked again for `retryMinutes`, so an outage does not cost every message a timeout.
// The department list is kept in memory for the TTL. Concurrent ensure() of one userid share one request.
import type { Logger } from "pino";
import type { SiteConfig } from "../config/site.js";
import type { Db } from "../db/open.js";
import { WecomApiError } from "../transport/wecom/api-errors.js";
import type { WecomApiClient, WecomDepartment, WecomUser } from "../transport/wecom/api-client.js";

/** A cached `Directory` row. `branch` is a configured branch name or null (no department named like one). */
export interface DirectoryEntry {
  userid: string;
  name: string | null;
  branch: string | null;
  fetchedAt: Date;
}

/** The two address-book calls of the WeCom API client. */
export type DirectoryClient = Pick<WecomApiClient, "getUser" | "listDepartments">;

export interface DirectoryOptions {
  prisma: Db;
  client: DirectoryClient;
  site: SiteConfig;
  log: Logger;
  now?: () => Date;
  /** How long a row and the department list stay fresh. Default 24. */
  ttlHours?: number;
  /** After a failed fetch, how long a userid is answered from the cache without asking WeCom again. Default 10. */
  retryMinutes?: number;
}

export interface Directory {
  /** The sender's directory entry, refreshed from WeCom when older than the TTL. Never throws. */
  ensure(userid: string): Promise<DirectoryEntry | undefined>;
}

/** Branch name by every name a department may carry: branch names, their aliases, and the head branch. */
export function branchByDepartmentName(site: SiteConfig): Map<string, string> {
  const names = new Map<string, string>();
  names.set(site.library.headBranch.trim(), site.library.headBranch);
  for (const branch of site.branches) {
    for (const name of [branch.name, ...branch.aliases]) names.set(name.trim(), branch.name);
  }
  return names;
}

/**
 * The branch of a member: their main department first, then their other departments, each walked up through its
 * parents; the first department named like a branch wins. Undefined when none is.
 */
export function branchOfUser(user: Pick<WecomUser, "department" | "main_department">, departments: WecomDepartment[], byName: Map<string, string>): string | undefined {
  const byId = new Map(departments.map((d) => [d.id, d]));
  const starts = [...new Set([...(user.main_department !== undefined ? [user.main_department] : []), ...user.department])];
  for (const start of starts) {
    const seen = new Set<number>();
    for (let d = byId.get(start); d && !seen.has(d.id); d = byId.get(d.parentid)) {
      seen.add(d.id);
      const branch = byName.get(d.name.trim());
      if (branch) return branch;
    }
  }
  return undefined;
}

export function createDirectory(options: DirectoryOptions): Directory {
  const { prisma, client, site, log } = options;
  const now = options.now ?? (() => new Date());
  const ttlMs = (options.ttlHours ?? 24) * 3_600_000;
  const retryMs = (options.retryMinutes ?? 10) * 60_000;
  const byName = branchByDepartmentName(site);

  const inFlight = new Map<string, Promise<DirectoryEntry | undefined>>();
  /** userid → when WeCom may be asked again after a failure. */
  const retryAt = new Map<string, number>();
  /** Failures already logged at warn level; cleared by the next success so a new outage is reported again. */
  const reported = new Set<string>();
  let departments: { list: WecomDepartment[]; fetchedAt: number } | undefined;
  let departmentsInFlight: Promise<WecomDepartment[]> | undefined;

  const fresh = (fetchedAt: number) => Math.abs(now().getTime() - fetchedAt) < ttlMs;

  function listDepartments(): Promise<WecomDepartment[]> {
    if (departments && fresh(departments.fetchedAt)) return Promise.resolve(departments.list);
    departmentsInFlight ??= client
      .listDepartments()
      .then((list) => {
        departments = { list, fetchedAt: now().getTime() };
        return list;
      })
      .finally(() => {
        departmentsInFlight = undefined;
      });
    return departmentsInFlight;
  }

  function reportFailure(userid: string, error: unknown, stale: DirectoryEntry | undefined): void {
    const api = error instanceof WecomApiError ? error.api : undefined;
    const errcode = error instanceof WecomApiError ? error.errcode : undefined;
    // A missing or invisible member is about that member; anything else (outage, secret, IP) is about WeCom.
    const perUser = errcode === 60111 || errcode === 60011;
    const key = perUser ? `user:${userid}:${errcode}` : `wecom:${api ?? "database"}:${errcode ?? (error instanceof WecomApiError ? error.kind : "error")}`;
    const fields = { userid, api, errcode, err: error, fallback: stale ? "stale cache" : "none" };
    if (reported.has(key)) {
      log.debug(fields, "wecom directory lookup failed again");
      return;
    }
    reported.add(key);
    log.warn(fields, "wecom directory lookup failed; using the cached entry or the site config's people");
  }

  async function refresh(userid: string, stale: DirectoryEntry | undefined): Promise<DirectoryEntry | undefined> {
    let user: WecomUser;
    let list: WecomDepartment[];
    try {
      user = await client.getUser(userid);
      list = await listDepartments();
    } catch (error) {
      retryAt.set(userid, now().getTime() + retryMs);
      reportFailure(userid, error, stale);
      return stale;
    }
    const branch = branchOfUser(user, list, byName) ?? null;
    const name = user.name.trim() || null;
    const fetchedAt = now();
    try {
      const row = await prisma.directory.upsert({
        where: { userid },
        create: { userid, name, branch, fetchedAt },
        update: { name, branch, fetchedAt },
      });
      retryAt.delete(userid);
      for (const key of [...reported]) if (key.startsWith("wecom:") || key.startsWith(`user:${userid}:`)) reported.delete(key);
      log.debug({ userid, branch, departments: user.department }, "wecom directory entry refreshed");
      return row;
    } catch (error) {
      reportFailure(userid, error, stale);
      return { userid, name, branch, fetchedAt };
    }
  }

  async function lookup(userid: string): Promise<DirectoryEntry | undefined> {
    let cached: DirectoryEntry | undefined;
    try {
      cached = (await prisma.directory.findUnique({ where: { userid } })) ?? undefined;
    } catch (error) {
      reportFailure(userid, error, undefined);
      return undefined;
    }
    if (cached && fresh(cached.fetchedAt.getTime())) return cached;
    const wait = retryAt.get(userid);
    if (wait !== undefined && wait > now().getTime()) return cached;
    return refresh(userid, cached);
  }

  return {
    ensure(userid: string): Promise<DirectoryEntry | undefined> {
      if (!userid) return Promise.resolve(undefined);
      let pending = inFlight.get(userid);
      if (!pending) {
        pending = lookup(userid).finally(() => inFlight.delete(userid));
        inFlight.set(userid, pending);
      }
      return pending;
    },
  };
}
