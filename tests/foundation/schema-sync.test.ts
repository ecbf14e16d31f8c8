// The two provider schemas are generated from prisma/models.prisma; a hand edit or a forgotten regeneration
// would make SQLite and PostgreSQL deployments differ.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error: plain ESM script without type declarations
import { schemaFor, PROVIDERS } from "../../scripts/prisma-generate.mjs";

const root = join(import.meta.dirname, "../..");

describe("provider schemas", () => {
  it.each(PROVIDERS as string[])("prisma/%s/schema.prisma is generated from models.prisma", (provider) => {
    const models = readFileSync(join(root, "prisma/models.prisma"), "utf8");
    const committed = readFileSync(join(root, "prisma", provider, "schema.prisma"), "utf8");
    expect(committed).toBe((schemaFor as (p: string, m: string) => string)(provider, models));
  });
});

describe("migrations", () => {
  it.each(PROVIDERS as string[])("the last %s migration produces the current schema (no model change without a migration)", async (provider) => {
    const { committedMigrations, migrationsDir } = await import("../../src/db/migrate.js");
    const last = committedMigrations(provider as "sqlite" | "postgresql").at(-1);
    expect(last).toBeDefined();
    const snapshot = readFileSync(join(migrationsDir(provider as "sqlite" | "postgresql"), last!, "schema.prisma"), "utf8");
    expect(snapshot).toBe(readFileSync(join(root, "prisma", provider, "schema.prisma"), "utf8"));
  });
});
