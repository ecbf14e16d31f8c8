// End to end with the real core (issue 3's acceptance): WeCom callbacks over real HTTP on loopback, sealed and
// checked by the fake WeCom, into the service exactly as `serve` assembles it (assembleApplication → buildServer)
// on a real SQLite and PostgreSQL database, with the API side (outbox, group robot) pointed at the fake's API.
// Nothing in between is faked: routes, crypto, the bot core, the parser, the ledger, the outbox.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assembleApplication, type Application } from "../../src/app.js";
import type { Config } from "../../src/config/load.js";
import { silentLogger } from "../../src/log.js";
import { libraryDay } from "../../src/records/dates.js";
import { buildServer } from "../../src/server.js";
import { FakeWecomApi, appTextXml, botTextJson } from "../fakes/fake-wecom.js";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "../helpers/db.js";
import { CORP_ID, appPeer, botPeer, testConfig } from "../wecom/harness.js";

const ROBOT_KEY = "robot-key-1";
const nowSeconds = () => Math.floor(Date.now() / 1000);
let counter = 0;
const nextId = (prefix: string) => `${prefix}${Date.now().toString(36)}${counter++}`;

interface Running {
  application: Application;
  url: string;
  close(): Promise<void>;
}

/** The service as main.ts builds it, listening on an ephemeral loopback port. */
async function startService(config: Config, test: TestDatabase): Promise<Running> {
  const application = assembleApplication({ config, db: test.db, log: silentLogger });
  const { app } = buildServer({ db: test.db, log: silentLogger, routers: application.routers });
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, "127.0.0.1", () => resolve(s));
  });
  application.outbox.start();
  return {
    application,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      await application.outbox.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function post(base: string, path: string, sealed: { query: string; body: string }) {
  const res = await fetch(`${base}${path}?${sealed.query}`, { method: "POST", body: sealed.body });
  return { status: res.status, body: await res.text() };
}

/** The text of the aibot's passive (stream) reply, after the fake has checked signature and receive id. */
function botReplyText(body: string): string {
  const reply = JSON.parse(botPeer().openReply(body).plaintext) as { msgtype: string; stream: { content: string; finish: boolean } };
  expect(reply).toMatchObject({ msgtype: "stream", stream: { finish: true } });
  return reply.stream.content;
}

/** The <Content> of the app's passive XML reply, after the fake has checked it. */
function appReplyText(body: string): string {
  const plaintext = appPeer().openReply(body).plaintext;
  return /<Content><!\[CDATA\[([\s\S]*)\]\]><\/Content>/.exec(plaintext)![1]!;
}

async function waitFor<T>(probe: () => T | undefined, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each(PROVIDERS)("WeCom → bot core → ledger, over HTTP on %s", (provider) => {
  let test: TestDatabase;
  let fake: FakeWecomApi;
  let config: Config;
  let service: Running;
  /** The library day the messages are sent on (they carry the real time). */
  let today: string;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    fake = new FakeWecomApi({ corpId: CORP_ID, corpSecret: "app-secret", agentId: 1000002, webhookKeys: [ROBOT_KEY] });
    const apiBase = await fake.start();
    config = testConfig({ DATABASE_URL: test.url, WECOM_API_BASE: apiBase, WECOM_WEBHOOK_KEY: ROBOT_KEY });
    service = await startService(config, test);
    today = libraryDay(new Date(), config.site.library.timezone);
  });
  afterAll(async () => {
    await service?.close();
    await fake?.stop();
    await test?.drop();
  });

  const messageRows = (externalId: string) => test.db.prisma.message.findMany({ where: { externalId }, include: { facts: true } });
  const visitsOn = async (branch: string) =>
    (await test.db.prisma.fact.findMany({ where: { metric: "visits", branch, dateFrom: today, supersededBy: { is: null } } })).reduce((sum, f) => sum + f.value, 0);

  it("an @-mention in the staff group (aibot, JSON) becomes one Message with its Fact and an encrypted ✅ reply", async () => {
    const msgid = nextId("CAIQ");
    const sealed = botPeer().callback(botTextJson({ msgid, from: "zhangsan", chatid: "wrSTAFF01", content: "@图书馆助手\u2005今日到馆 35人" }));
    const res = await post(service.url, "/wecom/bot", sealed);
    expect(res.status).toBe(200);
    const text = botReplyText(res.body);
    expect(text).toMatch(/^✅ 已记录：城东分馆 \d+月\d+日 到馆35人次/);

    const rows = await messageRows(msgid);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: "wecom-bot", senderId: "zhangsan", chatId: "wrSTAFF01", text: "今日到馆 35人", kind: "report", reply: text });
    expect(rows[0]!.facts).toEqual([expect.objectContaining({ metric: "visits", value: 35, branch: "城东分馆", dateFrom: today, dateTo: today })]);
  });

  it("a one-to-one message to the app (XML) becomes one Message with its Fact and an encrypted ✅ reply", async () => {
    const msgId = String(7_000_000_000_000_000_000n + BigInt(Date.now()));
    const sealed = appPeer().callback(appTextXml({ corpId: CORP_ID, from: "lisi", content: "今日到馆 28人", msgId, createTime: nowSeconds() }));
    const res = await post(service.url, "/wecom/app", sealed);
    expect(res.status).toBe(200);
    const text = appReplyText(res.body);
    expect(text).toMatch(/^✅ 已记录：城西分馆 \d+月\d+日 到馆28人次/);

    const rows = await messageRows(msgId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ channel: "wecom-app", externalId: msgId, senderId: "lisi", chatId: null, kind: "report" });
    expect(rows[0]!.facts).toEqual([expect.objectContaining({ metric: "visits", value: 28, branch: "城西分馆", dateFrom: today })]);
  });

  it("five redeliveries of one message, to two instances, record it once and get five identical replies", async () => {
    // A second instance on the same database has its own in-process memo: only the database's unique
    // (channel, MsgId) stands between a redelivery there and a second record.
    const second = await startService(config, test);
    try {
      const msgid = nextId("CAIQ");
      const json = botTextJson({ msgid, from: "wangwu", chatid: "wrSTAFF01", content: "@图书馆助手 今日到馆 120人，借阅86册" });
      const peer = botPeer();
      // WeCom's retries carry fresh nonces and signatures around the same message.
      const deliveries = Array.from({ length: 5 }, (_, i) => peer.callback(json, { timestamp: nowSeconds() - 20 + i }));
      const first = await Promise.all(deliveries.slice(0, 3).map((d) => post(service.url, "/wecom/bot", d)));
      const later = [await post(second.url, "/wecom/bot", deliveries[3]!), await post(second.url, "/wecom/bot", deliveries[4]!)];
      const replies = [...first, ...later].map((r) => {
        expect(r.status).toBe(200);
        return botReplyText(r.body);
      });
      expect(replies).toHaveLength(5);
      expect(new Set(replies).size).toBe(1);
      expect(replies[0]).toMatch(/^✅ 已记录：总馆 \d+月\d+日 到馆120人次、借阅86册次/);

      const rows = await messageRows(msgid);
      expect(rows).toHaveLength(1);
      expect(rows[0]!.facts.map((f) => `${f.metric}=${f.value}`).sort()).toEqual(["loans=86", "visits=120"]);
      expect(await visitsOn("总馆")).toBe(120);
      expect(await test.db.prisma.fact.count({ where: { metric: "loans", dateFrom: today } })).toBe(1);
    } finally {
      await second.close();
    }
  });

  it("a manager's question through the aibot gets the total of what was recorded, counted once", async () => {
    const expected = (await visitsOn("城东分馆")) + (await visitsOn("城西分馆")) + (await visitsOn("总馆"));
    expect(expected).toBe(35 + 28 + 120);
    const sealed = botPeer().callback(botTextJson({ msgid: nextId("CAIQ"), from: "guanzhang", chatid: "wrSTAFF01", content: "@图书馆助手 今天到馆多少人？" }));
    const text = botReplyText((await post(service.url, "/wecom/bot", sealed)).body);
    expect(text).toContain(`全馆到馆已报${expected}人次`);
    expect(text).toContain("少儿馆还没报"); // the one branch that did not report: never presented as complete
  });

  it("an image gets the short Chinese hint and records nothing", async () => {
    const factsBefore = await test.db.prisma.fact.count();
    const msgid = nextId("CAIQimg");
    const image = JSON.stringify({
      msgid,
      aibotid: "AIBOTID",
      chatid: "wrSTAFF01",
      chattype: "group",
      from: { userid: "zhangsan" },
      response_url: fake.responseUrl("RCimg"),
      msgtype: "image",
      image: { url: "https://example.invalid/photo.jpg" },
    });
    const res = await post(service.url, "/wecom/bot", botPeer().callback(image));
    expect(res.status).toBe(200);
    expect(botReplyText(res.body)).toBe("暂时只能读文字消息。请把数字用文字发给我，例如“今日到馆35人”。");
    expect(await test.db.prisma.fact.count()).toBe(factsBefore);
    expect(await messageRows(msgid)).toEqual([expect.objectContaining({ kind: "unsupported", facts: [] })]);
  });

  it("a manager's 生成本周周报 is drafted, answered in one line, and posted to the group through the outbox", async () => {
    const sealed = botPeer().callback(botTextJson({ msgid: nextId("CAIQ"), from: "guanzhang", chatid: "wrSTAFF01", content: "@图书馆助手 生成本周周报" }));
    const text = botReplyText((await post(service.url, "/wecom/bot", sealed)).body);
    // The week is still under way (even on a Sunday, the day is): the reply and the post say 截至 today.
    expect(text).toMatch(/^已生成\d{4}年第\d+周数据简报（截至\d+月\d+日，第1版），已发到群里，含图表。$/);
    const markdown = await waitFor(() => fake.deliveriesTo("webhook/send").find((d) => d.msgtype === "markdown"));
    expect(markdown.to).toBe(ROBOT_KEY);
    expect(markdown.content).toContain(`- 到馆：${35 + 28 + 120}人次`);
    expect(markdown.content).toMatch(/数据简报（截至\d+月\d+日）/);
    const chart = await waitFor(() => fake.uploads.find((u) => u.filename.endsWith(".png")));
    expect(chart.bytes.subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(await test.db.prisma.draft.count({ where: { kind: "digest", createdBy: "guanzhang" } })).toBe(1);
  });
});
