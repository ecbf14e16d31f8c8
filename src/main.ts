// The running service: config → database → HTTP server → background workers; stop() undoes it in reverse.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Config } from "./config/load.js";
import { openDatabase, type Database } from "./db/open.js";
import type { Logger } from "./log.js";
import { assembleApplication } from "./app.js";
import { trackInFlight } from "./http/in-flight.js";
import { buildServer } from "./server.js";

/** Something that runs in the background (scheduler, outbox dispatcher) and must stop before the database closes. */
export interface Worker {
  name: string;
  stop(): Promise<void>;
}

export interface RunningService {
  db: Database;
  server: Server;
  url: string;
  stop(): Promise<void>;
}

export interface StartOptions {
  config: Config;
  log: Logger;
  /** How long shutdown waits for requests in progress and the work they left running (late answers). */
  drainMs?: number;
}

export async function startService({ config, log, drainMs = 10_000 }: StartOptions): Promise<RunningService> {
  const db = await openDatabase(config.env.DATABASE_URL, { onMigrationLog: (line) => log.debug({ line }, "migration") });
  if (db.applied.length) log.info({ applied: db.applied }, "migrations applied");
  log.info({ database: db.display }, "database ready");

  const workers: Worker[] = [];
  // One tracker: the server counts requests, the routes count what outlives them; stop() drains both.
  const inFlight = trackInFlight();
  const application = assembleApplication({ config, db, log, inFlight });
  const { app } = buildServer({ db, log, routers: application.routers, inFlight });

  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(config.env.PORT, config.env.HOST, () => resolve(listening));
    listening.once("error", reject);
  }).catch(async (error: NodeJS.ErrnoException) => {
    await db.close();
    throw new Error(`cannot listen on ${config.env.HOST}:${config.env.PORT}: ${error.code ?? error.message}`);
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.address.includes(":") ? `[${address.address}]` : address.address}:${address.port}`;
  const mode = Object.keys(config.channels).length ? Object.keys(config.channels).join(", ") : "local try-out (no WeCom settings)";
  log.info({ url, mode, library: config.site.library.name }, "libtally listening");

  // Workers start once the server is up and stop (in reverse) before the database closes.
  if (application.canSend) {
    application.outbox.start();
    workers.push({ name: "outbox", stop: () => application.outbox.stop() });
  } else {
    log.info("no WeCom channel to send through: outbound messages stay queued in the outbox");
  }
  await application.schedule.start();
  workers.push({ name: "schedule", stop: () => application.schedule.stop() });

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      log.info("shutting down: no new requests");
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Before the workers and the database: a late answer still commits its records and reaches the outbox.
      const stillRunning = await inFlight.drain(drainMs);
      if (stillRunning) log.warn({ stillRunning }, "requests or late answers still running at shutdown");
      server.closeAllConnections();
      await closed;
      for (const worker of workers.reverse()) {
        await worker.stop().catch((error: unknown) => log.error({ err: error, worker: worker.name }, "worker failed to stop"));
      }
      await db.close();
      log.info("stopped");
    })());

  return { db, server, url, stop };
}
