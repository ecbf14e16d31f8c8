// GET /healthz: 200 when the database answers and every committed migration is applied, else 503.
import Router from "@koa/router";
import type { Database } from "../db/open.js";

export function healthRouter(db: Database): Router {
  const router = new Router();
  router.get("/healthz", async function healthz(ctx) {
    try {
      const migrations = await db.migrationState();
      ctx.status = migrations.current ? 200 : 503;
      ctx.body = {
        ok: migrations.current,
        database: { provider: db.provider, reachable: true },
        migrations,
      };
    } catch (error) {
      ctx.status = 503;
      ctx.body = { ok: false, database: { provider: db.provider, reachable: false, error: (error as Error).message.split("\n")[0] } };
    }
  });
  return router;
}
