// Applies the committed migrations of the configured provider, offline, and reports what is pending.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationDirectory } from "@prisma/schema-engine-wasm";
import { openSchemaEngine } from "./schema-engine.js";
import type { Provider } from "./url.js";

export const PRISMA_DIR = resolve(import.meta.dirname, "../../prisma");

export function schemaPath(provider: Provider): string {
  return join(PRISMA_DIR, provider, "schema.prisma");
}

export function migrationsDir(provider: Provider): string {
  return join(PRISMA_DIR, provider, "migrations");
}

/** Names of the committed migration folders, in the order Prisma applies them. */
export function committedMigrations(provider: Provider): string[] {
  const dir = migrationsDir(provider);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort();
}

export function migrationList(provider: Provider) {
  const baseDir = migrationsDir(provider);
  const lockPath = join(baseDir, "migration_lock.toml");
  const migrationDirectories: MigrationDirectory[] = committedMigrations(provider).map((name) => ({
    path: name,
    migrationFile: {
      path: "migration.sql",
      content: { tag: "ok", value: readFileSync(join(baseDir, name, "migration.sql"), "utf8") },
    },
  }));
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

/** Applies every committed migration not yet recorded in `_prisma_migrations`; returns the names applied. */
export async function applyMigrations(
  provider: Provider,
  adapter: SqlMigrationAwareDriverAdapterFactory,
  onLog?: (line: string) => void,
): Promise<string[]> {
  const { engine, close } = await openSchemaEngine(schemaPath(provider), adapter, onLog);
  try {
    const result = await engine.applyMigrations({
      migrationsList: migrationList(provider),
      filters: { externalTables: [], externalEnums: [] },
    });
    return result.appliedMigrationNames;
  } finally {
    await close();
  }
}
