// Driver adapters for each provider. Prisma 7 runs engine-free on these, for queries and for migrations.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import pg from "pg";
import type { DatabaseTarget } from "./url.js";

export interface OwnedAdapter {
  factory: SqlMigrationAwareDriverAdapterFactory;
  /** Closes every connection the factory opened, even ones a caller still holds. */
  close(): Promise<void>;
}

function postgresPoolConfig(target: Extract<DatabaseTarget, { provider: "postgresql" }>): pg.PoolConfig {
  return {
    connectionString: target.connectionString,
    // Unqualified names in migrations land in the configured schema.
    options: `-c search_path="${target.schema}"`,
    connectionTimeoutMillis: 5000,
    max: 10,
  };
}

export function adapterFor(target: DatabaseTarget): SqlMigrationAwareDriverAdapterFactory {
  if (target.provider === "sqlite") {
    mkdirSync(dirname(target.file), { recursive: true });
    // timeout is SQLite's busy timeout: the service's parts and commands (say, migrate) share one file, each
    // with its own connection, and wait for each other's short write transactions.
    return new PrismaBetterSqlite3({ url: target.file, timeout: 15_000 });
  }
  return new PrismaPg(postgresPoolConfig(target), { schema: target.schema });
}

/** An adapter for the schema engine. The engine keeps its PostgreSQL client checked out after it is freed, so
 * the pool is ours and its clients are ended explicitly; otherwise a one-shot `migrate` waits for them. */
export function ownedAdapterFor(target: DatabaseTarget): OwnedAdapter {
  if (target.provider === "sqlite") return { factory: adapterFor(target), close: async () => {} };
  const pool = new pg.Pool(postgresPoolConfig(target));
  const clients = new Set<pg.PoolClient>();
  pool.on("connect", (client) => clients.add(client as pg.PoolClient));
  return {
    factory: new PrismaPg(pool, { schema: target.schema }),
    async close() {
      await Promise.all([...clients].map((client) => (client as unknown as pg.Client).end().catch(() => {})));
      await pool.end().catch(() => {});
    },
  };
}
