// Counts requests in progress so that shutdown can wait for them to finish.
import type { Middleware } from "koa";

export interface InFlight {
  middleware: Middleware;
  /** Resolves when no request is in progress, or after `timeoutMs`. Returns how many were still running. */
  drain(timeoutMs: number): Promise<number>;
}

export function trackInFlight(): InFlight {
  let active = 0;
  let waiters: (() => void)[] = [];
  const settle = () => {
    if (active === 0) waiters.splice(0).forEach((resolve) => resolve());
  };
  return {
    middleware: async function inFlight(_ctx, next) {
      active++;
      try {
        await next();
      } finally {
        active--;
        settle();
      }
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
