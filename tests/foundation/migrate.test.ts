// Migrations on real SQLite and real PostgreSQL: the project's offline path creates the schema, records it
// in Prisma's own _prisma_migrations table (what `prisma migrate deploy` reads), and a second run applies nothing.
import { afterEach, describe, expect, it } from "vitest";
import { committedMigrations } from "../../src/db/migrate.js";
import { openDatabase } from "../../src/db/open.js";
import { freshDatabaseUrl, PROVIDERS } from "../helpers/db.js";

describe.each(PROVIDERS)("migrations on %s", (provider) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  it("creates the schema on an empty database, records it, and applies nothing the second time", async () => {
    const { url, remove } = await freshDatabaseUrl(provider);
    cleanups.push(remove);
    const expected = committedMigrations(provider);
    expect(expected.length).toBeGreaterThan(0);

    const first = await openDatabase(url);
    expect(first.applied).toEqual(expected);
    const recorded = await first.prisma.$queryRawUnsafe<{ migration_name: string; finished_at: unknown; logs: unknown }[]>(
      `SELECT migration_name, finished_at, logs FROM _prisma_migrations ORDER BY started_at`,
    );
    expect(recorded.map((row) => row.migration_name)).toEqual(expected);
    expect(recorded.every((row) => row.finished_at !== null)).toBe(true);
    expect(await first.migrationState()).toEqual({ current: true, pending: [] });
    // The tables exist and work.
    const message = await first.prisma.message.create({
      data: { channel: "cli", externalId: "m1", senderId: "zhangsan", text: "今日到馆35人", sentAt: new Date() },
    });
    expect(message.id).toBeGreaterThan(0);
    await first.close();

    const second = await openDatabase(url);
    expect(second.applied).toEqual([]);
    expect(await second.prisma.message.count()).toBe(1);
    const again = await second.prisma.$queryRawUnsafe<{ n: number | bigint }[]>(`SELECT COUNT(*) AS n FROM _prisma_migrations`);
    expect(Number(again[0]?.n)).toBe(expected.length);
    await second.close();
  });

  it("reports the schema as behind when a committed migration is not recorded", async () => {
    const { url, remove } = await freshDatabaseUrl(provider);
    cleanups.push(remove);
    const db = await openDatabase(url);
    await db.prisma.$executeRawUnsafe(`DELETE FROM _prisma_migrations`);
    const state = await db.migrationState();
    expect(state.current).toBe(false);
    expect(state.pending).toEqual(committedMigrations(provider));
    await db.close();
  });
});
