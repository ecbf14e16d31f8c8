// Composition root of the HTTP side: builds the Koa app from its parts. Never listens; main.ts does.
import Koa from "koa";
import type Router from "@koa/router";
import type { Database } from "./db/open.js";
import { healthRouter } from "./http/health.js";
import { trackInFlight, type InFlight } from "./http/in-flight.js";
import type { Logger } from "./log.js";

export interface ServerDeps {
  db: Database;
  log: Logger;
  /** Channel routers (WeCom app, aibot, local try-out), mounted after the health check. */
  routers?: Router[];
  /** The tracker shutdown drains; main.ts passes the one the routers also hand late work to. */
  inFlight?: InFlight;
}

export interface BuiltServer {
  app: Koa;
  inFlight: InFlight;
}

export function buildServer({ db, log, routers = [], inFlight = trackInFlight() }: ServerDeps): BuiltServer {
  const app = new Koa();
  app.proxy = true;
  app.use(inFlight.middleware);
  app.use(async function errorBoundary(ctx, next) {
    try {
      await next();
    } catch (error) {
      const err = error as { status?: number; expose?: boolean; message?: string };
      ctx.status = err.status ?? 500;
      ctx.body = err.expose ? err.message : "";
      if (ctx.status >= 500) log.error({ err: error, path: ctx.path }, "request failed");
    }
  });
  for (const router of [healthRouter(db), ...routers]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return { app, inFlight };
}
