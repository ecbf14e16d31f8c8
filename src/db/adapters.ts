// Driver adapters for each provider. Prisma 7 runs engine-free on these, for queries and for migrations.
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { DatabaseTarget } from "./url.js";

export function adapterFor(target: DatabaseTarget): SqlMigrationAwareDriverAdapterFactory {
  if (target.provider === "sqlite") {
    mkdirSync(dirname(target.file), { recursive: true });
    // busy_timeout: several commands (serve, say, migrate) may share one file.
    return new PrismaBetterSqlite3({ url: target.file, timeout: 5000 });
  }
  return new PrismaPg(
    {
      connectionString: target.connectionString,
      // Unqualified names in migrations land in the configured schema.
      options: `-c search_path="${target.schema}"`,
      connectionTimeoutMillis: 5000,
      max: 10,
    },
    { schema: target.schema },
  );
}
