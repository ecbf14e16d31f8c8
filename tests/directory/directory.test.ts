// The WeCom directory cache against the fake WeCom on loopback and a real database, on SQLite and PostgreSQL.
// Real: Prisma, HTTP, the WeCom API client and its token cache. Faked: WeCom (tests/fakes/fake-wecom.ts, with a
// configurable address book and injected errors) and the clock, shared by the client, the fake and the cache.
import { Writable } from "node:stream";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { siteConfigSchema } from "../../src/config/site.js";
import { branchByDepartmentName, branchOfUser, createDirectory, type Directory } from "../../src/directory/index.js";
import { WecomApiClient } from "../../src/transport/wecom/api-client.js";
import { FakeWecomApi, type FakeDirectory } from "../fakes/fake-wecom.js";
import { PROVIDERS, createTestDatabase, type TestDatabase } from "../helpers/db.js";

const CORP_ID = "wwlibtally0000001";
const SECRET = "app-secret";
const AGENT_ID = 1000002;
const HOUR = 3_600_000;

const site = siteConfigSchema.parse({
  library: { name: "滨江市图书馆", headBranch: "总馆" },
  branches: [
    { name: "总馆" },
    { name: "城东分馆", aliases: ["城东馆"] },
    { name: "城西分馆", aliases: ["西区馆", "城西馆"] },
  ],
});

/** The corp's address book: branch departments by name and by alias, a sub-department, and departments that are
 * no branch at all. */
function addressBook(): FakeDirectory {
  return {
    departments: [
      { id: 1, name: "滨江市图书馆", parentid: 0 },
      { id: 2, name: "总馆", parentid: 1 },
      { id: 3, name: "城东分馆", parentid: 1 },
      { id: 4, name: "少儿阅览室", parentid: 3 },
      { id: 5, name: "西区馆", parentid: 1 },
      { id: 6, name: "办公室", parentid: 1 },
      { id: 7, name: "读者活动组", parentid: 6 },
    ],
    users: [
      { userid: "zhangsan", name: "张三", department: [3] },
      { userid: "lisi", name: "李四", department: [5] },
      { userid: "wangwu", name: "王五", department: [4] },
      { userid: "zhaoliu", name: "赵六", department: [3, 5], main_department: 5 },
      { userid: "qianqi", name: "钱七", department: [7, 4], main_department: 7 },
      { userid: "sunba", name: "孙八", department: [7] },
    ],
  };
}

function captureLogger() {
  const lines: Array<{ level: number; msg: string; userid?: string; errcode?: number }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString("utf8").split("\n")) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: "debug" }, sink), lines };
}

describe("branch mapping (pure)", () => {
  const book = addressBook();
  const departments = book.departments.map((d) => ({ ...d, order: 0 }));
  const byName = branchByDepartmentName(site);
  const branchOf = (userid: string) => branchOfUser(book.users.find((u) => u.userid === userid)!, departments, byName);

  it("maps a department by its name, by an alias, and by walking up to a parent", () => {
    expect(branchOf("zhangsan")).toBe("城东分馆");
    expect(branchOf("lisi")).toBe("城西分馆");
    expect(branchOf("wangwu")).toBe("城东分馆");
  });

  it("prefers the main department, then tries the other departments", () => {
    expect(branchOf("zhaoliu")).toBe("城西分馆");
    expect(branchOf("qianqi")).toBe("城东分馆");
    expect(branchOf("sunba")).toBeUndefined();
  });

  it("survives a department list with a cycle or a missing parent", () => {
    const cyclic = [
      { id: 10, name: "甲", parentid: 11, order: 0 },
      { id: 11, name: "乙", parentid: 10, order: 0 },
    ];
    expect(branchOfUser({ department: [10] }, cyclic, byName)).toBeUndefined();
    expect(branchOfUser({ department: [99] }, cyclic, byName)).toBeUndefined();
  });
});

describe.each(PROVIDERS)("WeCom directory cache on %s", (provider) => {
  let database: TestDatabase;
  let fake: FakeWecomApi;
  let clock: number;
  let captured: ReturnType<typeof captureLogger>;
  const now = () => new Date(clock);

  beforeAll(async () => {
    database = await createTestDatabase(provider);
  }, 30_000);
  afterAll(async () => {
    await database?.drop();
  });

  beforeEach(async () => {
    const { prisma } = database.db;
    await prisma.directory.deleteMany();
    await prisma.cachedSecret.deleteMany();
    clock = Date.parse("2026-11-23T01:17:00Z");
    captured = captureLogger();
    fake = new FakeWecomApi({ corpId: CORP_ID, corpSecret: SECRET, agentId: AGENT_ID, webhookKeys: [], now: () => clock, directory: addressBook() });
    await fake.start();
  });
  afterEach(async () => {
    await fake.stop();
  });

  function client(overrides: { secret?: string } = {}) {
    return new WecomApiClient({
      apiBase: fake.baseUrl,
      log: captured.log,
      prisma: database.db.prisma,
      now,
      timeoutMs: 300,
      app: { corpId: CORP_ID, agentId: AGENT_ID, secret: overrides.secret ?? SECRET },
    });
  }

  function directory(overrides: { secret?: string; ttlHours?: number } = {}): Directory {
    return createDirectory({ prisma: database.db.prisma, client: client(overrides), site, log: captured.log, now, ...(overrides.ttlHours ? { ttlHours: overrides.ttlHours } : {}) });
  }

  const calls = (api: "user/get" | "department/list" | "gettoken") => fake.requestsTo(api).length;
  const row = (userid: string) => database.db.prisma.directory.findUnique({ where: { userid } });

  it("fetches a member, maps their department to a branch, and stores the entry", async () => {
    const dir = directory();
    expect(await dir.ensure("zhangsan")).toMatchObject({ userid: "zhangsan", name: "张三", branch: "城东分馆" });
    expect(await dir.ensure("lisi")).toMatchObject({ name: "李四", branch: "城西分馆" });
    expect(await dir.ensure("wangwu")).toMatchObject({ name: "王五", branch: "城东分馆" });
    expect(await dir.ensure("zhaoliu")).toMatchObject({ branch: "城西分馆" });
    expect(await dir.ensure("sunba")).toMatchObject({ name: "孙八", branch: null });

    expect(await row("wangwu")).toMatchObject({ name: "王五", branch: "城东分馆", fetchedAt: now() });
    expect(await row("sunba")).toMatchObject({ name: "孙八", branch: null });
    // user/get per member, the department list once (kept in memory), one token.
    expect(calls("user/get")).toBe(5);
    expect(calls("department/list")).toBe(1);
    expect(calls("gettoken")).toBe(1);
    const userGet = fake.requestsTo("user/get")[0]!;
    expect(userGet.query).toEqual({ userid: "zhangsan", access_token: "fake-token-1" });
    expect(userGet.outcome).toBe(0);
  });

  it("answers from the cache without a request while the entry is fresh, in this process and the next", async () => {
    const dir = directory();
    await dir.ensure("zhangsan");
    const before = fake.requests.length;
    clock += 23 * HOUR;
    expect(await dir.ensure("zhangsan")).toMatchObject({ branch: "城东分馆" });
    expect(await directory().ensure("zhangsan")).toMatchObject({ branch: "城东分馆" });
    expect(fake.requests.length).toBe(before);
  });

  it("refetches the member and the department list once the TTL has passed", async () => {
    const dir = directory();
    await dir.ensure("zhangsan");
    // Zhang San moves to 城西分馆, and 城东分馆 is renamed: neither is seen while the cache is fresh.
    fake.directory.users.find((u) => u.userid === "zhangsan")!.department = [5];
    fake.directory.departments.find((d) => d.id === 3)!.name = "城东馆";
    clock += 2 * HOUR;
    expect(await dir.ensure("zhangsan")).toMatchObject({ branch: "城东分馆" });
    expect(calls("user/get")).toBe(1);

    clock += 23 * HOUR;
    const refreshed = await dir.ensure("zhangsan");
    expect(refreshed).toMatchObject({ branch: "城西分馆", fetchedAt: now() });
    expect(await row("zhangsan")).toMatchObject({ branch: "城西分馆", fetchedAt: now() });
    expect(calls("user/get")).toBe(2);
    expect(calls("department/list")).toBe(2);
    // The renamed department still maps, by its alias.
    expect(await dir.ensure("wangwu")).toMatchObject({ branch: "城东分馆" });
    expect(calls("department/list")).toBe(2);
  });

  it("honours a shorter TTL", async () => {
    const dir = directory({ ttlHours: 1 });
    await dir.ensure("zhangsan");
    clock += 2 * HOUR;
    await dir.ensure("zhangsan");
    expect(calls("user/get")).toBe(2);
  });

  it("refreshes the access token once on 42001 and retries the call", async () => {
    const dir = directory();
    await dir.ensure("zhangsan");
    fake.expireTokens();
    expect(await dir.ensure("lisi")).toMatchObject({ branch: "城西分馆" });
    expect(fake.requests.map((r) => `${r.api} ${r.outcome}`)).toEqual([
      "gettoken 0",
      "user/get 0",
      "department/list 0",
      "user/get 42001",
      "gettoken 0",
      "user/get 0",
    ]);
    expect(fake.requestsTo("user/get").at(-1)!.query.access_token).toBe("fake-token-2");
  });

  it("refreshes once on an injected 42001 from department/list too", async () => {
    fake.inject("department/list", { errcode: 42001 });
    expect(await directory().ensure("zhangsan")).toMatchObject({ branch: "城东分馆" });
    expect(fake.requestsTo("department/list").map((r) => r.outcome)).toEqual([42001, 0]);
  });

  it("answers undefined for a userid WeCom does not know (60111), logs it once and does not ask again at once", async () => {
    const dir = directory();
    await expect(dir.ensure("nobody")).resolves.toBeUndefined();
    expect(await row("nobody")).toBeNull();
    expect(fake.requestsTo("user/get").map((r) => r.outcome)).toEqual([60111]);

    // Within the retry window: no request.
    await expect(dir.ensure("nobody")).resolves.toBeUndefined();
    expect(calls("user/get")).toBe(1);
    // After it: asked again, still unknown, logged at debug only.
    clock += 11 * 60_000;
    await expect(dir.ensure("nobody")).resolves.toBeUndefined();
    expect(calls("user/get")).toBe(2);
    const warnings = captured.lines.filter((l) => l.level === 40 && l.userid === "nobody");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.errcode).toBe(60111);
    // Known members are unaffected.
    expect(await dir.ensure("zhangsan")).toMatchObject({ branch: "城东分馆" });
  });

  it("answers undefined for a member outside the app's visible range (60011)", async () => {
    fake.directory.visible = [3];
    const dir = directory();
    await expect(dir.ensure("lisi")).resolves.toBeUndefined();
    expect(fake.requestsTo("user/get").map((r) => r.outcome)).toEqual([60011]);
    // Inside the range: the branch department itself is visible, so the member maps.
    expect(await dir.ensure("wangwu")).toMatchObject({ branch: "城东分馆" });
  });

  it("falls back to the stale entry while WeCom is down, and logs the outage once", async () => {
    const dir = directory();
    await dir.ensure("zhangsan");
    await dir.ensure("lisi");
    clock += 25 * HOUR;
    fake.inject("user/get", { status: 502 }, { hang: true });
    const stale = await dir.ensure("zhangsan");
    expect(stale).toMatchObject({ branch: "城东分馆", fetchedAt: new Date(clock - 25 * HOUR) });
    expect(await dir.ensure("lisi")).toMatchObject({ branch: "城西分馆" });
    expect(fake.requestsTo("user/get").slice(-2).map((r) => r.outcome)).toEqual(["http 502", "hang"]);
    const warnings = captured.lines.filter((l) => l.level === 40);
    expect(warnings).toHaveLength(1);

    // WeCom is back: the next fetch after the retry window succeeds and the outage is forgotten.
    clock += 11 * 60_000;
    expect(await dir.ensure("zhangsan")).toMatchObject({ branch: "城东分馆", fetchedAt: now() });
  });

  it("does not loop on a bad secret (40001)", async () => {
    const dir = directory({ secret: "wrong" });
    await expect(dir.ensure("zhangsan")).resolves.toBeUndefined();
    expect(fake.requests.map((r) => `${r.api} ${r.outcome}`)).toEqual(["gettoken 40001"]);
  });

  it("makes one request for concurrent lookups of the same member, and one department list for several members", async () => {
    const dir = directory();
    const results = await Promise.all([dir.ensure("zhangsan"), dir.ensure("zhangsan"), dir.ensure("zhangsan"), dir.ensure("lisi"), dir.ensure("zhangsan")]);
    expect(results.map((r) => r?.branch)).toEqual(["城东分馆", "城东分馆", "城东分馆", "城西分馆", "城东分馆"]);
    expect(fake.requestsTo("user/get").map((r) => r.query.userid).sort()).toEqual(["lisi", "zhangsan"]);
    expect(calls("department/list")).toBe(1);
    expect(calls("gettoken")).toBe(1);
  });
});
