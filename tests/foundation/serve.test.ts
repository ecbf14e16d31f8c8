// The README's first command, as a process: `serve` on SQLite with no WeCom settings answers /healthz and
// stops cleanly on SIGTERM. Also on PostgreSQL.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/cli.js";
import { freshDatabaseUrl, PROVIDERS } from "../helpers/db.js";

function startServe(env: Record<string, string>) {
  const child = spawn(join(ROOT, "node_modules/.bin/tsx"), [join(ROOT, "commands/cli.ts"), "serve"], {
    cwd: mkdtempSync(join(tmpdir(), "libtally-serve-")),
    env: { ...process.env, LIBTALLY_CONFIG: "", HOST: "127.0.0.1", PORT: "0", LOG_LEVEL: "info", ...env },
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const match = /"url":"(http:\/\/[^"]+)"/.exec(output);
      if (match?.[1]) {
        clearInterval(timer);
        resolve(match[1]);
      }
    }, 50);
    child.on("exit", (code) => {
      clearInterval(timer);
      reject(new Error(`serve exited ${code}: ${output}`));
    });
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, url, exited, output: () => output };
}

describe.each(PROVIDERS)("serve on %s", (provider) => {
  const removals: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const remove of removals) await remove();
  });

  it("migrates, answers /healthz with 200, and shuts down on SIGTERM", async () => {
    const { url: databaseUrl, remove } = await freshDatabaseUrl(provider);
    removals.push(remove);
    const serve = startServe({ DATABASE_URL: databaseUrl });
    const base = await serve.url;
    const response = await fetch(`${base}/healthz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { ok: boolean; database: { provider: string; reachable: boolean }; migrations: { current: boolean } };
    expect(body).toMatchObject({ ok: true, database: { provider, reachable: true }, migrations: { current: true } });

    serve.child.kill("SIGTERM");
    expect(await serve.exited).toBe(0);
    expect(serve.output()).toContain('"msg":"stopped"');
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});

describe("serve on the default database", () => {
  it("creates ./data/libtally.db on first start", async () => {
    const env = { ...process.env };
    delete env.DATABASE_URL;
    const serve = startServe({});
    const base = await serve.url;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    serve.child.kill("SIGTERM");
    await serve.exited;
    expect(serve.output()).toMatch(/"database":"SQLite [^"]*\/data\/libtally\.db"/);
  });
});
