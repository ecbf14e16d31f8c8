// Local try-out mode: with no WeCom settings, POST /try on loopback reaches the same bot core a WeCom message
// does; with a WeCom channel configured the route does not exist.
import { afterEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config/load.js";
import { silentLogger } from "../../src/log.js";
import { startService, type RunningService } from "../../src/main.js";
import { freshDatabaseUrl } from "../helpers/db.js";

const running: { service: RunningService; remove: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const { service, remove } of running.splice(0)) {
    await service.stop();
    await remove();
  }
});

async function start(extraEnv: Record<string, string> = {}) {
  const { url, remove } = await freshDatabaseUrl("sqlite");
  const config = loadConfig({
    env: { DATABASE_URL: url, HOST: "127.0.0.1", PORT: "0", ...extraEnv },
    configPath: "config/libtally.example.json",
  });
  const service = await startService({ config, log: silentLogger });
  running.push({ service, remove });
  return service;
}

const post = (base: string, body: string) => fetch(`${base}/try`, { method: "POST", body });

describe("POST /try", () => {
  it("records a report and answers a question through the bot core", async () => {
    const service = await start();
    const report = await post(service.url, JSON.stringify({ as: "zhangsan", text: "今日到馆35人", now: "2026-11-18T17:00:00+08:00" }));
    expect(report.status).toBe(200);
    expect(((await report.json()) as { text: string }).text).toBe("✅ 已记录：城东分馆 11月18日 到馆35人次");
    const facts = await service.db.prisma.fact.findMany();
    expect(facts.map((f) => [f.metric, f.value, f.branch, f.dateFrom])).toEqual([["visits", 35, "城东分馆", "2026-11-18"]]);

    const question = await post(service.url, JSON.stringify({ as: "guanzhang", text: "11月18日城东分馆到馆多少人", now: "2026-11-18T18:00:00+08:00" }));
    expect(((await question.json()) as { text: string }).text).toContain("35人次");
  });

  it("the same msgid twice is one record", async () => {
    const service = await start();
    const body = JSON.stringify({ as: "zhangsan", text: "捐赠图书 120册", msgid: "m-1", now: "2026-11-18T17:00:00+08:00" });
    const first = (await (await post(service.url, body)).json()) as { text: string };
    const second = (await (await post(service.url, body)).json()) as { text: string };
    expect(second.text).toBe(first.text);
    expect(await service.db.prisma.fact.count()).toBe(1);
    expect(await service.db.prisma.message.count()).toBe(1);
  });

  it("refuses a body that is not the expected JSON, in Chinese", async () => {
    const service = await start();
    const response = await post(service.url, "今日到馆35人");
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(/JSON/);
    expect(await service.db.prisma.message.count()).toBe(0);
  });

  it("does not exist once a WeCom channel is configured", async () => {
    // The API base points at a closed loopback port: nothing may leave the machine if the outbox runs.
    const service = await start({ WECOM_WEBHOOK_KEY: "robot-key", WECOM_API_BASE: "http://127.0.0.1:9" });
    const response = await post(service.url, JSON.stringify({ as: "zhangsan", text: "今日到馆35人" }));
    expect(response.status).toBe(404);
  });
});
