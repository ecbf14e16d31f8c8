// Real databases for tests: a fresh SQLite file, or a fresh PostgreSQL schema in the local `test` database,
// each migrated by the project's own migration path. Never a mock of Prisma.
//
// TEST_PG_URL overrides the PostgreSQL server (default: the local one, trust auth).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openDatabase, type Database, type OpenOptions } from "../../src/db/open.js";
import type { Provider } from "../../src/db/url.js";

export const PROVIDERS: Provider[] = ["sqlite", "postgresql"];
export const TEST_PG_URL = process.env.TEST_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

export interface TestDatabase {
  db: Database;
  url: string;
  /** Closes the client and removes the file or schema. */
  drop(): Promise<void>;
}

let counter = 0;

/** A DATABASE_URL for a database nobody else uses, and a function to remove it. */
export async function freshDatabaseUrl(provider: Provider): Promise<{ url: string; remove: () => Promise<void> }> {
  const id = `${process.pid}_${Date.now().toString(36)}_${counter++}`;
  if (provider === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "libtally-test-"));
    return { url: `file:${join(dir, "test.db")}`, remove: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `t_${id}`;
  const url = `${TEST_PG_URL}${TEST_PG_URL.includes("?") ? "&" : "?"}schema=${schema}`;
  return {
    url,
    remove: async () => {
      const client = new pg.Client({ connectionString: TEST_PG_URL });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  };
}

export async function createTestDatabase(provider: Provider, options?: OpenOptions): Promise<TestDatabase> {
  const { url, remove } = await freshDatabaseUrl(provider);
  const db = await openDatabase(url, options);
  return {
    db,
    url,
    async drop() {
      await db.close();
      await remove();
    },
  };
}
