// npm run db:migration -- NAME
// Writes prisma/{sqlite,postgresql}/migrations/<timestamp>_NAME/migration.sql from the difference between the
// schema as of the last migration and prisma/<provider>/schema.prisma (run `node scripts/prisma-generate.mjs`
// first), using the WebAssembly schema engine: no native binary, nothing written to any database.
//
// Each migration folder keeps a copy of the schema it produces (`schema.prisma`), and the next migration is
// the datamodel-to-datamodel diff from that copy. We diff datamodels because the wasm engine's other starting
// points fail here: its shadow-database replay on the SQLite adapter, and its introspection of a live
// PostgreSQL database ("char" columns). `prisma migrate deploy` reads only migration.sql, so the extra file
// does not disturb it.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { adapterFor } from "../src/db/adapters.js";
import { committedMigrations, migrationsDir, schemaPath } from "../src/db/migrate.js";
import { openSchemaEngine } from "../src/db/schema-engine.js";
import type { DatabaseTarget, Provider } from "../src/db/url.js";

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error("usage: npm run db:migration -- <name_in_snake_case>");
  process.exit(2);
}

const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);

/** The engine needs a reachable database of the right provider, though a datamodel diff changes nothing in it:
 * SQLite in memory; PostgreSQL from MIGRATION_PG_URL, default the local `test` database. */
function idleTarget(provider: Provider): DatabaseTarget {
  const connectionString = process.env.MIGRATION_PG_URL ?? "postgresql://postgres@127.0.0.1:5432/test";
  return provider === "sqlite"
    ? { provider, file: ":memory:", display: "memory" }
    : { provider, connectionString, schema: "public", display: connectionString };
}

for (const provider of ["sqlite", "postgresql"] as const) {
  const file = schemaPath(provider);
  const last = committedMigrations(provider).at(-1);
  const snapshot = last ? join(migrationsDir(provider), last, "schema.prisma") : undefined;
  if (snapshot && !existsSync(snapshot)) throw new Error(`${snapshot} is missing: cannot tell what the last migration produced`);

  const { engine, close } = await openSchemaEngine(file, adapterFor(idleTarget(provider)));
  try {
    const result = await engine.diff({
      from: snapshot
        ? { tag: "schemaDatamodel", files: [{ path: snapshot, content: readFileSync(snapshot, "utf8") }] }
        : { tag: "empty" },
      to: { tag: "schemaDatamodel", files: [{ path: file, content: readFileSync(file, "utf8") }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const sql = (result.stdout ?? "").trim();
    if (!sql || sql === "-- This is an empty migration.") {
      console.log(`${provider}: no changes`);
      continue;
    }
    const dir = join(migrationsDir(provider), `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "migration.sql"), sql + "\n");
    copyFileSync(file, join(dir, "schema.prisma"));
    console.log(`${provider}: wrote ${dir}/migration.sql`);
  } finally {
    await close();
  }
}
