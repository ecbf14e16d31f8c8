// Graceful shutdown keeps what WeCom already considers delivered. A message whose answer outlives the reply
// deadline is acknowledged with an empty 200, and WeCom does not redeliver it: stop() must wait for its core work
// and for the late answer's hand-over to the outbox before the workers stop and the database closes.
// Real: `serve` in a child process (startService; SIGTERM → stop() → exit, so nothing runs on after stop()
// resolves), HTTP on loopback, crypto, the bot core, the ledger, the outbox, SQLite and PostgreSQL.
// Faked: WeCom (tests/fakes); its address book answers the sender lookup only when the test lets it, which is
// what keeps the core busy past the reply deadline.
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { openDatabase } from "../../src/db/open.js";
import { silentLogger } from "../../src/log.js";
import { startService } from "../../src/main.js";
import { FakeWecomApi, appTextXml } from "../fakes/fake-wecom.js";
import { ROOT } from "../helpers/cli.js";
import { freshDatabaseUrl, PROVIDERS } from "../helpers/db.js";
import { APP_AES_KEY, APP_TOKEN, CORP_ID, appPeer } from "../wecom/harness.js";

async function waitFor(probe: () => boolean, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** `serve` as an operator runs it, with its JSON log lines collected. */
function startServe(env: Record<string, string>) {
  const child = spawn(join(ROOT, "node_modules/.bin/tsx"), [join(ROOT, "commands/cli.ts"), "serve"], {
    cwd: mkdtempSync(join(tmpdir(), "libtally-shutdown-")),
    env: { ...process.env, LIBTALLY_CONFIG: "", LIBTALLY_DEBUG: "", ...env },
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.on("exit", (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  const logged = async (msg: string) => {
    await waitFor(() => output.includes(`"msg":"${msg}"`) || exitCode !== undefined);
    if (!output.includes(`"msg":"${msg}"`)) throw new Error(`serve exited ${exitCode} before logging "${msg}": ${output}`);
  };
  const url = async () => {
    await logged("libtally listening");
    return /"url":"(http:\/\/[^"]+)"/.exec(output)![1]!;
  };
  return { child, url, logged, exited, output: () => output };
}

describe.each(PROVIDERS)("graceful shutdown on %s", (provider) => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it("SIGTERM right after a late acknowledgement: the message's records are stored and its answer is queued", async () => {
    const { url: databaseUrl, remove } = await freshDatabaseUrl(provider);
    cleanups.push(remove);
    // xiaochen is not in the site's people list: the core asks WeCom's address book (the app channel) first.
    const fake = new FakeWecomApi({
      corpId: CORP_ID,
      corpSecret: "app-secret",
      agentId: 1000002,
      webhookKeys: [],
      directory: {
        departments: [
          { id: 1, name: "示例区图书馆", parentid: 0 },
          { id: 2, name: "总馆", parentid: 1 },
        ],
        users: [{ userid: "xiaochen", name: "小陈", department: [2] }],
      },
    });
    const apiBase = await fake.start();
    cleanups.push(() => fake.stop());
    const env = {
      DATABASE_URL: databaseUrl,
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "info",
      WECOM_API_BASE: apiBase,
      WECOM_CORP_ID: CORP_ID,
      WECOM_AGENT_ID: "1000002",
      WECOM_APP_SECRET: "app-secret",
      WECOM_APP_TOKEN: APP_TOKEN,
      WECOM_APP_AES_KEY: APP_AES_KEY,
    };

    let release = () => {};
    fake.inject("user/get", { until: new Promise<void>((resolve) => (release = resolve)) });
    const msgId = String(7_100_000_000_000_000_000n + BigInt(Date.now()));
    const serve = startServe(env);
    cleanups.push(async () => {
      release();
      if (serve.child.exitCode === null) serve.child.kill("SIGKILL");
    });
    const base = await serve.url();

    const sealed = appPeer().callback(appTextXml({ corpId: CORP_ID, from: "xiaochen", content: "今日到馆 35人", msgId, createTime: Math.floor(Date.now() / 1000) }));
    const res = await fetch(`${base}/wecom/app?${sealed.query}`, { method: "POST", body: sealed.body });
    // Acknowledged without an answer: to WeCom the message is delivered, and it will not come again.
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");

    // SIGTERM at once; the address book answers only once shutdown has begun.
    serve.child.kill("SIGTERM");
    await serve.logged("shutting down: no new requests");
    release();
    expect(await serve.exited).toBe(0);
    expect(serve.output()).toContain('"msg":"stopped"');

    const db = await openDatabase(databaseUrl);
    let reply: string;
    try {
      const rows = await db.prisma.message.findMany({ where: { channel: "wecom-app", externalId: msgId }, include: { facts: true } });
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ senderId: "xiaochen", kind: "report" });
      reply = rows[0]!.reply!;
      expect(reply).toMatch(/^✅ 已记录：总馆 .*到馆35人次/);
      expect(rows[0]!.facts).toEqual([expect.objectContaining({ metric: "visits", value: 35, branch: "总馆" })]);

      const queued = await db.prisma.outboxMessage.findMany({ where: { dedupeKey: `reply:wecom-app:${msgId}` } });
      expect(queued).toHaveLength(1);
      expect(queued[0]).toMatchObject({ channel: "app", target: "xiaochen" });
      expect(JSON.parse(queued[0]!.payload)).toMatchObject({ msgtype: "text", touser: "xiaochen", text: { content: reply } });
    } finally {
      await db.close();
    }

    // After a restart the answer reaches the sender exactly once: sent during the drain, or queued and sent now.
    const restarted = await startService({ config: loadConfig({ dotEnv: false, env }), log: silentLogger });
    try {
      await waitFor(() => fake.deliveriesTo("message/send").some((d) => d.to === "xiaochen"));
    } finally {
      await restarted.stop();
    }
    expect(fake.deliveriesTo("message/send").filter((d) => d.to === "xiaochen").map((d) => d.content)).toEqual([reply]);
  }, 60_000);
});
