// The app's access_token, cached in memory and shared across instances through the CachedSecret row with a
// lease, so exactly one process calls gettoken at a time (gettoken is rate-limited, and WeCom peers' worst
// bugs are instances overwriting each other's tokens: Eric-Guo/wechat#76, ArtisanCloud/PowerWeChat#200).
//
// Rules (wecom.md §3.1): refresh a few minutes before expiry; after a 42001/40014 the caller invalidates
// the token it used and asks again, once; a 40001 (bad secret) is not retried for a cool-down, because
// repeated failures can get the server's IP blocked for an hour.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import type { Db } from "../../db/open.js";
import { WecomApiError } from "./api-errors.js";
import { isUniqueViolation } from "../../db/errors.js";

export interface FetchedToken {
  token: string;
  expiresInSeconds: number;
}

export interface AccessTokenCacheOptions {
  /** Calls gettoken. Throws WecomApiError on failure. */
  fetchToken: () => Promise<FetchedToken>;
  /** Shares the token and the refresh lease across instances; without it the cache is per process. */
  prisma?: Db;
  /** CachedSecret.key, per app: `wecom:access_token:<corpid>:<agentid>`. */
  cacheKey: string;
  now?: () => Date;
  /** This instance's name in the lease. */
  owner?: string;
  refreshMarginMs?: number;
  leaseMs?: number;
  pollMs?: number;
  /** How long a 40001/40013 keeps us from calling gettoken again. */
  secretFailureCooldownMs?: number;
}

const CONFIG_ERRCODES = new Set([40001, 40013]);

export class AccessTokenCache {
  readonly #options: Required<Omit<AccessTokenCacheOptions, "prisma">> & { prisma?: Db };
  #memory: { token: string; expiresAt: number } | undefined;
  #inFlight: Promise<string> | undefined;
  #secretFailure: { until: number; error: WecomApiError } | undefined;
  /** gettoken calls made by this instance (for tests and metrics). */
  refreshes = 0;

  constructor(options: AccessTokenCacheOptions) {
    this.#options = {
      now: () => new Date(),
      owner: `pid${process.pid}-${randomUUID().slice(0, 8)}`,
      refreshMarginMs: 5 * 60_000,
      leaseMs: 15_000,
      pollMs: 50,
      secretFailureCooldownMs: 10 * 60_000,
      ...options,
    };
  }

  #nowMs(): number {
    return this.#options.now().getTime();
  }

  #usable(expiresAt: number): boolean {
    return expiresAt - this.#options.refreshMarginMs > this.#nowMs();
  }

  /** A valid token: from memory, else the shared row, else one refresh (single flight per process). */
  async get(): Promise<string> {
    if (this.#memory && this.#usable(this.#memory.expiresAt)) return this.#memory.token;
    this.#inFlight ??= this.#obtain().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  /** Forgets `staleToken` here and in the shared row, unless someone already replaced it. */
  async invalidate(staleToken: string): Promise<void> {
    if (this.#memory?.token === staleToken) this.#memory = undefined;
    await this.#options.prisma?.cachedSecret.updateMany({
      where: { key: this.#options.cacheKey, value: staleToken },
      data: { value: null, expiresAt: null },
    });
  }

  async #fetch(): Promise<FetchedToken> {
    const failure = this.#secretFailure;
    if (failure && failure.until > this.#nowMs()) throw failure.error;
    this.refreshes++;
    try {
      return await this.#options.fetchToken();
    } catch (error) {
      if (error instanceof WecomApiError && error.errcode !== undefined && CONFIG_ERRCODES.has(error.errcode)) {
        this.#secretFailure = { until: this.#nowMs() + this.#options.secretFailureCooldownMs, error };
      }
      throw error;
    }
  }

  #remember(fetched: FetchedToken): string {
    this.#memory = { token: fetched.token, expiresAt: this.#nowMs() + fetched.expiresInSeconds * 1000 };
    return fetched.token;
  }

  async #obtain(): Promise<string> {
    const { prisma, cacheKey: key, owner, leaseMs, pollMs } = this.#options;
    if (!prisma) return this.#remember(await this.#fetch());
    // Wall-clock bound on waiting for another instance's refresh, independent of the injectable clock.
    const giveUpAt = performance.now() + leaseMs * 3;
    for (;;) {
      const row = await prisma.cachedSecret.findUnique({ where: { key } });
      if (row?.value && row.expiresAt && this.#usable(row.expiresAt.getTime())) {
        this.#memory = { token: row.value, expiresAt: row.expiresAt.getTime() };
        return row.value;
      }
      if (await this.#takeLease(row !== null)) {
        try {
          const fetched = await this.#fetch();
          // Written only while we still hold the lease: a refresh that outlived its lease must not
          // overwrite the token of the instance that took over.
          await prisma.cachedSecret.updateMany({
            where: { key, leaseOwner: owner },
            data: { value: fetched.token, expiresAt: new Date(this.#nowMs() + fetched.expiresInSeconds * 1000), leaseOwner: null, leaseUntil: null },
          });
          return this.#remember(fetched);
        } catch (error) {
          await prisma.cachedSecret.updateMany({ where: { key, leaseOwner: owner }, data: { leaseOwner: null, leaseUntil: null } });
          throw error;
        }
      }
      if (performance.now() > giveUpAt) throw new WecomApiError("gettoken", "retryable", undefined, "timed out waiting for another instance to refresh the token");
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Conditional update: several instances may try, exactly one row update succeeds. */
  async #takeLease(rowExists: boolean): Promise<boolean> {
    const { prisma, cacheKey: key, owner, leaseMs } = this.#options;
    const now = this.#options.now();
    const leaseUntil = new Date(now.getTime() + leaseMs);
    if (!rowExists) {
      try {
        await prisma!.cachedSecret.create({ data: { key, leaseOwner: owner, leaseUntil } });
        return true;
      } catch (error) {
        if (isUniqueViolation(error)) return false; // another instance created it first
        throw error;
      }
    }
    // Only while no usable token is stored: another instance may have refreshed and released the lease between
    // our read of the row and this update, and its fresh token must not be fetched again.
    const usableUntil = new Date(this.#nowMs() + this.#options.refreshMarginMs);
    const { count } = await prisma!.cachedSecret.updateMany({
      where: {
        key,
        AND: [
          { OR: [{ leaseUntil: null }, { leaseUntil: { lt: now } }] },
          { OR: [{ value: null }, { expiresAt: null }, { expiresAt: { lte: usableUntil } }] },
        ],
      },
      data: { leaseOwner: owner, leaseUntil },
    });
    return count === 1;
  }
}
