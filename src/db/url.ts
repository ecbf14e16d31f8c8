// DATABASE_URL → which provider, and the settings each driver needs.
import { isAbsolute, resolve } from "node:path";

export type Provider = "sqlite" | "postgresql";

export type DatabaseTarget =
  | { provider: "sqlite"; file: string; display: string }
  | { provider: "postgresql"; connectionString: string; schema: string; display: string };

export class DatabaseUrlError extends Error {
  override name = "DatabaseUrlError";
}

/** Parses DATABASE_URL. SQLite paths are relative to the working directory, as Prisma's are. */
export function parseDatabaseUrl(url: string, cwd = process.cwd()): DatabaseTarget {
  if (url.startsWith("file:")) {
    const path = url.slice("file:".length).replace(/^\/\//, "").split("?")[0] ?? "";
    if (!path) throw new DatabaseUrlError(`DATABASE_URL "${url}" names no SQLite file (write it like file:./data/libtally.db)`);
    const file = isAbsolute(path) ? path : resolve(cwd, path);
    return { provider: "sqlite", file, display: `SQLite ${file}` };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new DatabaseUrlError(`DATABASE_URL is not a valid PostgreSQL URL (write it like postgresql://user@host:5432/db)`);
    }
    if (!parsed.hostname) throw new DatabaseUrlError(`DATABASE_URL names no PostgreSQL host`);
    const schema = parsed.searchParams.get("schema") ?? "public";
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
      throw new DatabaseUrlError(`DATABASE_URL schema "${schema}" must be a plain identifier`);
    }
    parsed.searchParams.delete("schema");
    const display = `PostgreSQL ${parsed.hostname}:${parsed.port || 5432}${parsed.pathname} schema ${schema}`;
    return { provider: "postgresql", connectionString: parsed.toString(), schema, display };
  }
  throw new DatabaseUrlError(`DATABASE_URL must start with file: (SQLite) or postgresql:// (PostgreSQL), not "${url.split(":")[0]}:"`);
}
