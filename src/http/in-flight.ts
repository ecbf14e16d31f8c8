// Counts requests in progress, and work a request started but did not wait for (a late WeCom answer), so that
// shutdown can wait for both: WeCom does not redeliver a message it got a 200 for, so that work is the only copy.
import type { Middleware } from "koa";

/** Where a request hands work that outlives it; shutdown waits for it like for a request. */
export interface BackgroundWork {
  /** Counts `work` until it settles. Never rejects on its behalf: the caller handles its errors. */
  track(work: Promise<unknown>): void;
}

export interface InFlight extends BackgroundWork {
  middleware: Middleware;
  /** Resolves when no request or tracked work is in progress, or after `timeoutMs`. Returns how many were still running. */
  drain(timeoutMs: number): Promise<number>;
}

export function trackInFlight(): InFlight {
  let active = 0;
  let waiters: (() => void)[] = [];
  const settle = () => {
    if (active === 0) waiters.splice(0).forEach((resolve) => resolve());
  };
  const finished = () => {
    active--;
    settle();
  };
  return {
    middleware: async function inFlight(_ctx, next) {
      active++;
      try {
        await next();
      } finally {
        finished();
      }
    },
    track(work) {
      active++;
      work.then(finished, finished);
    },
    drain(timeoutMs) {
      if (active === 0) return Promise.resolve(0);
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== done);
          resolve(active);
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          resolve(0);
        };
        waiters.push(done);
      });
    },
  };
}
