// openDatabase: DATABASE_URL → a migrated Prisma client on the right driver adapter.
import pg from "pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client.js";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client.js";
import { adapterFor, ownedAdapterFor } from "./adapters.js";
import { applyMigrations, committedMigrations } from "./migrate.js";
import { parseDatabaseUrl, type Provider } from "./url.js";

/** The client type the code is written against. Both generated clients have the same models; the SQLite one
 * names the type, and the PostgreSQL client is used through it (see `openDatabase`). */
export type Db = SqliteClient;
export type { Message, Fact, PendingQuestion, OutboxMessage, JobRun, Draft } from "./generated/sqlite/client.js";
export { Prisma } from "./generated/sqlite/client.js";

export interface Database {
  prisma: Db;
  provider: Provider;
  /** Human-readable target for logs, without credentials. */
  display: string;
  /** Names applied at open (empty when the schema was already current or migrate was off). */
  applied: string[];
  migrationState(): Promise<MigrationState>;
  /** A client for a part that writes on its own schedule (outbox, schedule, drafts). On SQLite it has its own
   * connection: Prisma's SQLite adapter runs every query of a client on one connection, so a plain write issued
   * while that client has a transaction open would become part of it, and vanish if it rolls back. On
   * PostgreSQL the pool already gives each query its own connection, and the same client is returned. */
  separateClient(): Db;
  /** Closes the client and every separate client. */
  close(): Promise<void>;
}

export interface MigrationState {
  current: boolean;
  pending: string[];
}

/** The database cannot be used: unreachable, refused, or failed to migrate. One line, fit for stderr. */
export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
}

function describeConnectError(display: string, error: unknown): string {
  const err = error as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = err.cause?.code ?? err.code;
  const detail =
    code === "ECONNREFUSED"
      ? "connection refused (is the server running?)"
      : code === "ENOTFOUND" || code === "EAI_AGAIN"
        ? "host not found"
        : code === "3D000"
          ? "the database does not exist"
          : code === "28P01" || code === "28000"
            ? "authentication failed"
            : code === "SQLITE_CANTOPEN"
              ? "the file cannot be opened"
              : (err.cause?.message ?? err.message ?? String(error)).split("\n")[0];
  return `cannot use ${display}: ${detail}`;
}

/** A schema named in DATABASE_URL is created on first start, as the SQLite file is. */
async function ensureSchema(connectionString: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
  } finally {
    await client.end();
  }
}

export interface OpenOptions {
  /** Apply committed migrations first (default true). */
  migrate?: boolean;
  onMigrationLog?: (line: string) => void;
}

export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Database> {
  const target = parseDatabaseUrl(url);
  let applied: string[] = [];
  try {
    if (target.provider === "postgresql") await ensureSchema(target.connectionString, target.schema);
    if (options.migrate ?? true) {
      const owned = ownedAdapterFor(target);
      try {
        applied = await applyMigrations(target.provider, owned.factory, options.onMigrationLog);
      } finally {
        await owned.close();
      }
    }
  } catch (error) {
    throw new DatabaseUnavailableError(describeConnectError(target.display, error), { cause: error });
  }
  const newClient = (): Db =>
    target.provider === "sqlite"
      ? new SqliteClient({ adapter: adapterFor(target) })
      : // Same models, different provider runtime: the PostgreSQL client is used through the shared type.
        (new PostgresClient({ adapter: adapterFor(target) }) as unknown as Db);
  const prisma = newClient();
  const separate: Db[] = [];
  try {
    await prisma.$queryRawUnsafe("SELECT 1");
  } catch (error) {
    await prisma.$disconnect().catch(() => {});
    throw new DatabaseUnavailableError(describeConnectError(target.display, error), { cause: error });
  }
  const committed = committedMigrations(target.provider);
  return {
    prisma,
    provider: target.provider,
    display: target.display,
    applied,
    async migrationState() {
      const rows = await prisma.$queryRawUnsafe<{ migration_name: string }[]>(
        `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      );
      const done = new Set(rows.map((row) => row.migration_name));
      const pending = committed.filter((name) => !done.has(name));
      return { current: pending.length === 0, pending };
    },
    separateClient() {
      if (target.provider !== "sqlite") return prisma;
      const client = newClient();
      separate.push(client);
      return client;
    },
    async close() {
      await Promise.all([prisma, ...separate.splice(0)].map((client) => client.$disconnect()));
    },
  };
}
