// The durable outbox against the fake WeCom API on loopback, on SQLite and on PostgreSQL.
// Real: Prisma on both databases (tests/helpers/db.ts), HTTP, the WeCom API client, token cache, rate limiter.
// Faked: WeCom itself (tests/fakes/fake-wecom.ts, with injected 42001/45009/60020/5xx/timeouts) and the clock,
// which the dispatcher, the client and the fake's rate limit share so backoff needs no real waiting.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { OutboxDispatcher, createOutbox, createOutboxService } from "../../src/outbox/index.js";
import type { OutboxWriter } from "../../src/outbox/types.js";
import { WecomApiClient } from "../../src/transport/wecom/api-client.js";
import { FakeWecomApi, appTextXml, botTextJson } from "../fakes/fake-wecom.js";
import { RecordingCore, appPeer, botPeer, startCallbackServer, testConfig } from "./harness.js";
import { PROVIDERS, createTestDatabase, type TestDatabase } from "../helpers/db.js";

const CORP_ID = "wwlibtally0000001";
const SECRET = "app-secret";
const AGENT_ID = 1000002;
const ROBOT_KEY = "robot-key-1";
const log = pino({ level: "silent" });

describe.each(PROVIDERS)("outbox on %s", (provider) => {
  let database: TestDatabase;
  let fake: FakeWecomApi;
  let clock: number;
  const now = () => new Date(clock);
  const advance = (ms: number) => {
    clock += ms;
  };

  beforeAll(async () => {
    database = await createTestDatabase(provider);
  }, 30_000);
  afterAll(async () => {
    await database?.drop();
  });

  beforeEach(async () => {
    const { prisma } = database.db;
    await prisma.outboxAttempt.deleteMany();
    await prisma.outboxMessage.deleteMany();
    await prisma.cachedSecret.deleteMany();
    clock = Date.parse("2026-11-23T01:17:00Z");
    fake = new FakeWecomApi({ corpId: CORP_ID, corpSecret: SECRET, agentId: AGENT_ID, webhookKeys: [ROBOT_KEY], now: () => clock });
    await fake.start();
  });
  afterEach(async () => {
    await fake.stop();
  });

  function client(overrides: { secret?: string } = {}) {
    return new WecomApiClient({
      apiBase: fake.baseUrl,
      log,
      prisma: database.db.prisma,
      now,
      timeoutMs: 300,
      app: { corpId: CORP_ID, agentId: AGENT_ID, secret: overrides.secret ?? SECRET },
      webhookKeys: { default: ROBOT_KEY },
    });
  }

  function setup(overrides: { secret?: string } = {}): { outbox: OutboxWriter; dispatcher: OutboxDispatcher; api: WecomApiClient } {
    const api = client(overrides);
    return {
      api,
      outbox: createOutbox({ prisma: database.db.prisma, now }),
      dispatcher: new OutboxDispatcher({ prisma: database.db.prisma, client: api, log, now }),
    };
  }

  async function attemptsOf(dedupeKey: string) {
    const row = await database.db.prisma.outboxMessage.findUniqueOrThrow({ where: { dedupeKey }, include: { attemptLog: { orderBy: { id: "asc" } } } });
    return { status: row.status, attempts: row.attempts, log: row.attemptLog.map((a) => (a.ok ? "ok" : String(a.errcode ?? a.error))) };
  }

  it("sends once per dedupe key, however often it is enqueued or the dispatcher runs", async () => {
    const { outbox, dispatcher } = setup();
    const request = { channel: "app" as const, target: ["zhangsan", "lisi"], msgType: "text" as const, content: "本周到馆 210 人", dedupeKey: "digest:2026-W47:zhangsan" };
    expect((await outbox.enqueue(request)).duplicates).toBe(0);
    expect((await outbox.enqueue(request)).duplicates).toBe(1);
    await dispatcher.runOnce();
    await outbox.enqueue(request); // a re-run after sending
    await dispatcher.runOnce();
    expect(fake.deliveriesTo("message/send")).toEqual([expect.objectContaining({ to: "zhangsan|lisi", msgtype: "text", content: "本周到馆 210 人" })]);
    expect(fake.deliveries[0]!.body).toMatchObject({ agentid: AGENT_ID, enable_duplicate_check: 1 });
    expect(await attemptsOf("digest:2026-W47:zhangsan")).toEqual({ status: "sent", attempts: 1, log: ["ok"] });
  });

  it("refreshes the token once under 42001 and delivers without duplicates", async () => {
    const { outbox, dispatcher } = setup();
    await outbox.enqueue({ channel: "app", target: ["zhangsan"], msgType: "text", content: "一", dedupeKey: "t1" });
    await dispatcher.runOnce();
    expect(fake.tokensIssued).toBe(1);
    fake.expireTokens();
    await outbox.enqueue({ channel: "app", target: ["zhangsan"], msgType: "markdown", content: "**二**", dedupeKey: "t2" });
    await dispatcher.runOnce();
    expect(fake.tokensIssued).toBe(2);
    expect(fake.requests.filter((r) => r.api === "message/send").map((r) => r.outcome)).toEqual([0, 42001, 0]);
    expect(await attemptsOf("t2")).toEqual({ status: "sent", attempts: 1, log: ["ok"] });

    // Two 42001 in a row: one refresh, then the row waits for the next pass instead of looping.
    fake.inject("message/send", { errcode: 42001 }, { errcode: 42001 });
    await outbox.enqueue({ channel: "app", target: ["zhangsan"], msgType: "text", content: "三", dedupeKey: "t3" });
    await dispatcher.runOnce();
    expect(fake.tokensIssued).toBe(3);
    expect(await attemptsOf("t3")).toMatchObject({ status: "pending", log: ["42001"] });
    advance(10_000);
    await dispatcher.runOnce();
    expect(await attemptsOf("t3")).toEqual({ status: "sent", attempts: 2, log: ["42001", "ok"] });
    expect(fake.deliveriesTo("message/send").map((d) => d.content)).toEqual(["一", "**二**", "三"]);
  });

  it("queues past the robot's 20 per minute, and backs off on 45009, delivering all in order", async () => {
    const { outbox, dispatcher } = setup();
    for (let i = 1; i <= 25; i++) await outbox.enqueue({ channel: "webhook", target: "default", msgType: "text", content: `第${i}条`, dedupeKey: `w${i}` });
    const first = await dispatcher.runOnce();
    expect(first).toMatchObject({ sent: 20, deferred: 1 });
    advance(61_000);
    expect(await dispatcher.runOnce()).toMatchObject({ sent: 5 });
    expect(fake.deliveriesTo("webhook/send").map((d) => d.content)).toEqual(Array.from({ length: 25 }, (_, i) => `第${i + 1}条`));
    expect(fake.requests.some((r) => r.outcome === 45009)).toBe(false);

    // Another instance used the robot's quota: WeCom answers 45009, the row waits a minute and goes out.
    advance(61_000);
    fake.inject("webhook/send", { errcode: 45009 });
    await outbox.enqueue({ channel: "webhook", target: "default", msgType: "markdown", content: "# 周报", dedupeKey: "w26" });
    await outbox.enqueue({ channel: "webhook", target: "default", msgType: "text", content: "周报后一条", dedupeKey: "w27" });
    expect(await dispatcher.runOnce()).toMatchObject({ sent: 0, retried: 1 });
    advance(30_000);
    expect(await dispatcher.runOnce()).toMatchObject({ sent: 0 }); // w27 waits behind w26
    advance(31_000);
    expect(await dispatcher.runOnce()).toMatchObject({ sent: 2 });
    expect(fake.deliveriesTo("webhook/send").slice(-2).map((d) => d.content)).toEqual(["# 周报", "周报后一条"]);
    expect(await attemptsOf("w26")).toEqual({ status: "sent", attempts: 2, log: ["45009", "ok"] });
  });

  it("rides out an outage (5xx, timeout, busy) and delivers exactly once", async () => {
    const { outbox, dispatcher } = setup();
    fake.inject("message/send", { status: 502 }, { hang: true }, { errcode: -1 });
    await outbox.enqueue({ channel: "app", target: ["guanzhang"], msgType: "text", content: "本月借阅 3200 册", dedupeKey: "o1" });
    for (let pass = 0; pass < 6; pass++) {
      await dispatcher.runOnce();
      advance(10 * 60_000);
    }
    expect(fake.deliveriesTo("message/send")).toHaveLength(1);
    const attempts = await attemptsOf("o1");
    expect(attempts.status).toBe("sent");
    expect(attempts.log).toHaveLength(4);
    expect(attempts.log.slice(0, 2).every((entry) => /HTTP 502|timed out/.test(entry))).toBe(true);
    expect(attempts.log.slice(2)).toEqual(["-1", "ok"]);
  });

  it("does not loop on 40001 (bad secret): one gettoken, then a cool-down", async () => {
    const { outbox, dispatcher } = setup({ secret: "wrong" });
    await outbox.enqueue({ channel: "app", target: ["zhangsan"], msgType: "text", content: "x", dedupeKey: "s1" });
    await dispatcher.runOnce();
    advance(5 * 60_000 + 1);
    await dispatcher.runOnce();
    expect(fake.requests.filter((r) => r.api === "gettoken")).toHaveLength(1);
    expect(await attemptsOf("s1")).toMatchObject({ status: "pending", log: ["40001", "40001"] });
  });

  it("retries 60020 (IP not trusted) until the administrator fixes it; fails 93000 for good", async () => {
    const { outbox, dispatcher } = setup();
    fake.inject("message/send", { errcode: 60020 });
    await outbox.enqueue({ channel: "app", target: ["zhangsan"], msgType: "text", content: "y", dedupeKey: "ip1" });
    await dispatcher.runOnce();
    advance(5 * 60_000);
    await dispatcher.runOnce();
    expect(await attemptsOf("ip1")).toEqual({ status: "sent", attempts: 2, log: ["60020", "ok"] });

    fake.inject("webhook/send", { errcode: 93000 });
    await outbox.enqueue({ channel: "webhook", target: "default", msgType: "text", content: "z", dedupeKey: "gone" });
    expect(await dispatcher.runOnce()).toMatchObject({ failed: 1 });
    expect(await attemptsOf("gone")).toEqual({ status: "failed", attempts: 1, log: ["93000"] });
  });

  it("splits long markdown at section boundaries into parts that arrive in order", async () => {
    const { outbox, dispatcher } = setup();
    const sections = Array.from({ length: 12 }, (_, i) => `## 第${i + 1}节 城东分馆\n${"到馆人次稳步增长，读者活动丰富。".repeat(20)}\n`);
    const markdown = sections.join("\n");
    const result = await outbox.enqueue({ channel: "webhook", target: "default", msgType: "markdown", content: markdown, dedupeKey: "summary:2026-Q3" });
    expect(result.ids.length).toBeGreaterThan(1);
    for (let pass = 0; pass < 3; pass++) {
      await dispatcher.runOnce();
      advance(61_000);
    }
    const parts = fake.deliveriesTo("webhook/send").map((d) => d.content!);
    expect(parts).toHaveLength(result.ids.length);
    for (const part of parts) {
      expect(Buffer.byteLength(part)).toBeLessThanOrEqual(4096);
      expect(part.startsWith("## 第")).toBe(true);
    }
    expect(parts.join("\n").replace(/\s+/g, "")).toBe(markdown.replace(/\s+/g, ""));
  });

  it("uploads a file through upload_media and posts it", async () => {
    const { outbox, dispatcher } = setup();
    const bytes = new TextEncoder().encode("PK fake docx bytes");
    await outbox.enqueue({ channel: "webhook", target: "default", msgType: "file", file: { name: "2026年第三季度工作总结.docx", bytes }, dedupeKey: "file1" });
    await dispatcher.runOnce();
    expect(fake.uploads).toEqual([expect.objectContaining({ filename: "2026年第三季度工作总结.docx", bytes: Buffer.from(bytes) })]);
    expect(fake.deliveriesTo("webhook/send")).toEqual([expect.objectContaining({ msgtype: "file", body: { msgtype: "file", file: { media_id: "fake-media-1" } } })]);
  });

  it("answers through an aibot response_url once, and refuses one on another host", async () => {
    const { outbox, dispatcher } = setup();
    await outbox.enqueue({ channel: "aibot-response", target: fake.responseUrl("RC1"), msgType: "markdown", content: "本周到馆 **210** 人", dedupeKey: "reply:wecom-bot:m1" });
    await outbox.enqueue({ channel: "aibot-response", target: "https://evil.example/cgi-bin/aibot/response?response_code=X", msgType: "markdown", content: "x", dedupeKey: "reply:wecom-bot:m2" });
    await dispatcher.runOnce();
    expect(fake.deliveriesTo("aibot/response")).toEqual([expect.objectContaining({ to: "RC1", content: "本周到馆 **210** 人" })]);
    expect((await attemptsOf("reply:wecom-bot:m2")).status).toBe("failed");
  });

  it("survives a crashed instance: its claim expires and the row is sent by another", async () => {
    const { outbox, dispatcher } = setup();
    await outbox.enqueue({ channel: "app", target: ["zhangsan"], msgType: "text", content: "crash", dedupeKey: "c1" });
    // What a dispatcher that died mid-send leaves behind.
    await database.db.prisma.outboxMessage.update({ where: { dedupeKey: "c1" }, data: { lockedUntil: new Date(clock + 120_000) } });
    expect(await dispatcher.runOnce()).toMatchObject({ sent: 0 });
    advance(120_001);
    expect(await dispatcher.runOnce()).toMatchObject({ sent: 1 });
    expect(fake.deliveriesTo("message/send")).toHaveLength(1);
  });

  it("two instances share one token and never send a row twice", async () => {
    const a = setup();
    const b = setup();
    for (let i = 0; i < 12; i++) await a.outbox.enqueue({ channel: "app", target: [`user${i}`], msgType: "text", content: `消息${i}`, dedupeKey: `m${i}` });
    const [ra, rb] = await Promise.all([a.dispatcher.runOnce(), b.dispatcher.runOnce()]);
    expect(ra.sent + rb.sent).toBe(12);
    const sent = fake.deliveriesTo("message/send").map((d) => d.content).sort();
    expect(sent).toEqual(Array.from({ length: 12 }, (_, i) => `消息${i}`).sort());
    expect(fake.tokensIssued).toBe(1);
    expect(await database.db.prisma.outboxAttempt.count()).toBe(12);
  });

  it("start() delivers what is enqueued without waiting for a poll; stop() ends cleanly", async () => {
    const service = createOutboxService({ prisma: database.db.prisma, client: client(), log, pollIntervalMs: 60_000 });
    service.start();
    await service.enqueue({ channel: "app", target: ["zhangsan"], msgType: "text", content: "立即", dedupeKey: "live1" });
    for (let i = 0; i < 100 && fake.deliveries.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
    await service.stop();
    await service.stop();
    expect(fake.deliveriesTo("message/send").map((d) => d.content)).toEqual(["立即"]);
  });

  it("a callback answer slower than the deadline reaches the sender through the outbox (app and aibot)", async () => {
    const service = createOutboxService({ prisma: database.db.prisma, client: client(), log, pollIntervalMs: 60_000 });
    service.start();
    const core = new RecordingCore();
    core.delayMs = 150;
    const server = await startCallbackServer({ config: testConfig({ WECOM_CORP_ID: CORP_ID }), core, outbox: service, replyDeadlineMs: 20 });
    try {
      const createTime = Math.floor(Date.now() / 1000);
      const app = appPeer().callback(appTextXml({ corpId: CORP_ID, from: "guanzhang", content: "本季度到馆多少", msgId: "88001", createTime }));
      const bot = botPeer().callback(botTextJson({ msgid: "CAIQlate", from: "lisi", chatid: "wrSTAFF01", content: "@图书馆助手 本月借阅多少", responseUrl: fake.responseUrl("RC-late") }));
      for (const [path, sealed] of [["/wecom/app", app], ["/wecom/bot", bot]] as const) {
        const res = await fetch(`${server.url}${path}?${sealed.query}`, { method: "POST", body: sealed.body });
        expect(res.status).toBe(200);
        expect(await res.text()).toBe("");
      }
      for (let i = 0; i < 150 && fake.deliveries.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await server.close();
      await service.stop();
    }
    expect(fake.deliveriesTo("message/send")).toEqual([expect.objectContaining({ to: "guanzhang", content: "已记录：本季度到馆多少" })]);
    expect(fake.deliveriesTo("aibot/response")).toEqual([expect.objectContaining({ to: "RC-late", msgtype: "markdown", content: "已记录：本月借阅多少" })]);
  });
});
