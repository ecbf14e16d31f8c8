// Operator commands through the real CLI: what starts, and how a wrong setting stops the start.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { freshDatabaseUrl, PROVIDERS } from "../helpers/db.js";

const dir = mkdtempSync(join(tmpdir(), "libtally-cli-"));
const sqliteUrl = `file:${join(dir, "cli.db")}`;

function expectOneLineFailure(result: { code: number | null; stderr: string }, mentions: RegExp) {
  expect(result.code).not.toBe(0);
  expect(result.stderr).toMatch(mentions);
  expect(result.stderr.trim().split("\n")).toHaveLength(1);
  expect(result.stderr).not.toMatch(/\n\s+at /);
}

describe("bad settings stop the start with one clear line", () => {
  it("a DATABASE_URL of an unknown kind", async () => {
    const result = await runCli(["serve"], { DATABASE_URL: "mysql://root@localhost/x", PORT: "0" });
    expectOneLineFailure(result, /DATABASE_URL: must start with file: \(SQLite\) or postgresql:\/\//);
  });

  it("an unreachable PostgreSQL", async () => {
    const result = await runCli(["serve"], { DATABASE_URL: "postgresql://postgres@127.0.0.1:1/test", PORT: "0" });
    expectOneLineFailure(result, /cannot use PostgreSQL 127\.0\.0\.1:1\/test .*connection refused/);
  });

  it("a PostgreSQL database that does not exist", async () => {
    const result = await runCli(["migrate"], { DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/libtally_no_such_db" });
    expectOneLineFailure(result, /the database does not exist/);
  });

  it("a malformed config file", async () => {
    const file = join(dir, "broken.json");
    writeFileSync(file, '{"library": {"name": "区图书馆"}, "branches": [');
    const result = await runCli(["serve", "--config", file], { DATABASE_URL: sqliteUrl, PORT: "0" });
    expectOneLineFailure(result, /broken\.json is not valid JSON/);
  });

  it("a config setting with a wrong value names the setting", async () => {
    const file = join(dir, "wrong.json");
    writeFileSync(
      file,
      JSON.stringify({ library: { name: "区图书馆" }, people: [{ userid: "zs", name: "张三", role: "boss" }] }),
    );
    const result = await runCli(["config", "check", "--config", file]);
    expectOneLineFailure(result, /people\[0\]\.role: /);
  });

  it("a person whose branch is not configured", async () => {
    const file = join(dir, "branch.yaml");
    writeFileSync(file, "library:\n  name: 区图书馆\nbranches:\n  - name: 城东分馆\npeople:\n  - {userid: zs, name: 张三, role: staff, branch: 城南分馆}\n");
    const result = await runCli(["config", "check", "--config", file]);
    expectOneLineFailure(result, /people\[0\]\.branch: names branch "城南分馆", which is not in "branches"/);
  });

  it("an invalid PORT", async () => {
    const result = await runCli(["serve"], { PORT: "eighty", DATABASE_URL: sqliteUrl });
    expectOneLineFailure(result, /environment: PORT: /);
  });

  it("prints the stack only when asked for", async () => {
    const result = await runCli(["migrate", "--debug"], { DATABASE_URL: "postgresql://postgres@127.0.0.1:1/test" });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(/\n\s+at /);
  });
});

describe("config check", () => {
  it("accepts the shipped example and says what is enabled", async () => {
    const result = await runCli(["config", "check", "--config", "config/libtally.example.json"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("library: 示例区图书馆");
    expect(result.stdout).toContain("channels: none: local try-out mode");
  });
});

describe.each(PROVIDERS)("migrate command on %s", (provider) => {
  const removals: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const remove of removals) await remove();
  });

  it("applies the schema once, then nothing", async () => {
    const { url, remove } = await freshDatabaseUrl(provider);
    removals.push(remove);
    const first = await runCli(["migrate"], { DATABASE_URL: url });
    expect(first.stderr).toBe("");
    expect(first.stdout).toMatch(/applied \d+_init(, \d+_\w+)*; schema current/);
    const second = await runCli(["migrate"], { DATABASE_URL: url });
    expect(second.stdout).toMatch(/nothing to apply; schema current/);
  });
});

describe("help", () => {
  it("every command has --help", async () => {
    for (const command of [["serve"], ["migrate"], ["config", "check"]]) {
      const result = await runCli([...command, "--help"]);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain("Usage: libtally");
    }
  });
});

describe("settings the schema alone cannot check", () => {
  it.each([
    [{ aliases: { visit: ["扫码"] } }, /aliases\.visit: "visit" is not a metric key/],
    [{ targets: { "2026": { visitors: 1000 } } }, /targets\.2026\.visitors: "visitors" is not a metric key/],
    [{ people: [{ userid: "zs", name: "张三", role: "staff" }, { userid: "zs", name: "张三丰", role: "staff" }] }, /people\[1\]\.userid: "zs" is listed twice/],
    [{ calendar: { closed: ["2026-02-30"] } }, /calendar\.closed\[0\]: 2026-02-30 is not a real date/],
    [{ calendar: { open: ["2026-13-45"] } }, /calendar\.open\[0\]: 2026-13-45 is not a real date/],
  ])("%j is refused", async (extra, message) => {
    const file = join(dir, `cross-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(file, JSON.stringify({ library: { name: "区图书馆" }, ...extra }));
    expectOneLineFailure(await runCli(["config", "check", "--config", file]), message);
  });

  it("a non-numeric WECOM_AGENT_ID", async () => {
    const result = await runCli(["config", "check"], { WECOM_AGENT_ID: "abc" });
    expectOneLineFailure(result, /WECOM_AGENT_ID: must be the app's numeric AgentId/);
  });
});
