// A WeCom user missing from the site's people list reports for the branch their department names: the core asks
// the directory (src/directory, against the fake WeCom's address book on loopback) before it resolves the sender.
// Real: core, ledger, database, HTTP, the WeCom API client. Faked: WeCom.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBotCore } from "../../src/bot/core.js";
import type { BotCore } from "../../src/bot/types.js";
import { createDirectory } from "../../src/directory/index.js";
import { silentLogger } from "../../src/log.js";
import { WecomApiClient } from "../../src/transport/wecom/api-client.js";
import { FakeWecomApi } from "../fakes/fake-wecom.js";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "../helpers/db.js";
import { CATALOGUE, SITE } from "./harness.js";

const CORP_ID = "wwlibtally0000001";
const SECRET = "app-secret";

describe.each(PROVIDERS)("senders from the WeCom address book on %s", (provider) => {
  let test: TestDatabase;
  let fake: FakeWecomApi;
  let core: BotCore;
  let sequence = 0;
  beforeAll(async () => {
    test = await createTestDatabase(provider);
    fake = new FakeWecomApi({
      corpId: CORP_ID,
      corpSecret: SECRET,
      agentId: 1000002,
      webhookKeys: [],
      directory: {
        departments: [
          { id: 1, name: "示例区图书馆", parentid: 0 },
          { id: 2, name: "西馆", parentid: 1 },
          { id: 3, name: "借阅组", parentid: 2 },
          { id: 4, name: "办公室", parentid: 1 },
        ],
        users: [
          { userid: "xiaoli", name: "小李", department: [3] },
          { userid: "laozhou", name: "老周", department: [4] },
        ],
      },
    });
    await fake.start();
    const client = new WecomApiClient({ apiBase: fake.baseUrl, log: silentLogger, prisma: test.db.prisma, app: { corpId: CORP_ID, agentId: 1000002, secret: SECRET } });
    const directory = createDirectory({ prisma: test.db.prisma, client, site: SITE, log: silentLogger });
    core = createBotCore({ prisma: test.db.prisma, provider, config: { site: SITE }, catalogue: CATALOGUE, log: silentLogger, directory });
  });
  afterAll(async () => {
    await fake?.stop();
    await test?.drop();
  });

  const say = (senderId: string, text: string) =>
    core.handle({ channel: "wecom-app", externalId: `dir-${sequence++}`, senderId, chatType: "single", text, sentAt: new Date("2026-11-18T09:00:00Z") });

  it("records for the branch the sender's department maps to (an alias, two levels up)", async () => {
    expect((await say("xiaoli", "今日到馆 42人")).text).toBe("✅ 已记录：城西分馆 11月18日 到馆42人次");
    const facts = await test.db.prisma.fact.findMany({ where: { actorId: "xiaoli" } });
    expect(facts.map((f) => [f.metric, f.value, f.branch])).toEqual([["visits", 42, "城西分馆"]]);
  });

  it("asks WeCom once and then uses the cache", async () => {
    await say("xiaoli", "今日还书 30本");
    expect(fake.requestsTo("user/get").filter((r) => r.query.userid === "xiaoli")).toHaveLength(1);
  });

  it("still refuses, under the default policy, someone whose department is no branch", async () => {
    expect((await say("laozhou", "今日到馆 5人")).text).toMatch(/还不在示例区图书馆的报数名单里/);
    expect(await test.db.prisma.fact.count({ where: { actorId: "laozhou" } })).toBe(0);
  });

  it("refuses an unknown userid without failing the message", async () => {
    expect((await say("ghost", "今日到馆 5人")).text).toMatch(/还不在示例区图书馆的报数名单里/);
  });
});
