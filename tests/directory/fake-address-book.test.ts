// The fake WeCom's address book (user/get, department/list) on its own, over raw HTTP, and the API client's two
// calls against it: the fake is what the directory tests trust, so its answers are pinned here to the documented
// shapes (doc path/90196, path/90208) and the token checks the other endpoints make.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import { WecomApiClient } from "../../src/transport/wecom/api-client.js";
import { WecomApiError } from "../../src/transport/wecom/api-errors.js";
import { FakeWecomApi } from "../fakes/fake-wecom.js";

const CORP_ID = "wwlibtally0000001";
const SECRET = "app-secret";

describe("fake WeCom address book", () => {
  let fake: FakeWecomApi;

  beforeEach(async () => {
    fake = new FakeWecomApi({
      corpId: CORP_ID,
      corpSecret: SECRET,
      agentId: 1000002,
      webhookKeys: [],
      directory: {
        departments: [
          { id: 1, name: "滨江市图书馆", parentid: 0 },
          { id: 3, name: "城东分馆", parentid: 1, order: 100 },
          { id: 4, name: "少儿阅览室", parentid: 3 },
          { id: 5, name: "城西分馆", parentid: 1 },
        ],
        users: [
          { userid: "ZhangSan", name: "张三", department: [4, 5], main_department: 4 },
          { userid: "lisi", name: "李四", department: [5] },
        ],
      },
    });
    await fake.start();
  });
  afterEach(async () => {
    await fake.stop();
  });

  async function get(path: string): Promise<Record<string, unknown>> {
    return (await (await fetch(`${fake.baseUrl}/cgi-bin/${path}`)).json()) as Record<string, unknown>;
  }
  async function token(): Promise<string> {
    return String((await get(`gettoken?corpid=${CORP_ID}&corpsecret=${SECRET}`)).access_token);
  }

  it("checks the access token like the other endpoints", async () => {
    expect((await get("user/get?userid=lisi")).errcode).toBe(41001);
    expect((await get("user/get?userid=lisi&access_token=forged")).errcode).toBe(40014);
    const t = await token();
    fake.expireTokens();
    expect((await get(`department/list?access_token=${t}`)).errcode).toBe(42001);
    expect(fake.requestsTo("department/list")).toHaveLength(1);
  });

  it("serves user/get with a case-insensitive userid, 60111 for an unknown one and 41009 without one", async () => {
    const t = await token();
    expect(await get(`user/get?access_token=${t}&userid=zhangsan`)).toMatchObject({
      errcode: 0,
      userid: "ZhangSan",
      name: "张三",
      department: [4, 5],
      main_department: 4,
    });
    expect((await get(`user/get?access_token=${t}&userid=lisi`)).main_department).toBe(5);
    expect((await get(`user/get?access_token=${t}&userid=nobody`)).errcode).toBe(60111);
    expect((await get(`user/get?access_token=${t}`)).errcode).toBe(41009);
    expect(fake.requestsTo("user/get").map((r) => r.outcome)).toEqual([0, 0, 60111, 41009]);
  });

  it("serves department/list for the whole tree or a subtree, limited to the visible range", async () => {
    const t = await token();
    const ids = async (query = "") => ((await get(`department/list?access_token=${t}${query}`)).department as Array<{ id: number }>).map((d) => d.id);
    expect(await ids()).toEqual([1, 3, 4, 5]);
    expect(await ids("&id=3")).toEqual([3, 4]);
    fake.directory.visible = [3];
    expect(await ids()).toEqual([3, 4]);
    expect((await get(`department/list?access_token=${t}&id=5`)).errcode).toBe(60011);
    // A member is returned with only their visible departments; one with none visible is 60011.
    expect((await get(`user/get?access_token=${t}&userid=zhangsan`)).department).toEqual([4]);
    expect((await get(`user/get?access_token=${t}&userid=lisi`)).errcode).toBe(60011);
  });

  it("injects faults into user/get and department/list", async () => {
    const t = await token();
    fake.inject("user/get", { errcode: 60111 }, { status: 503 });
    expect((await get(`user/get?access_token=${t}&userid=lisi`)).errcode).toBe(60111);
    expect((await fetch(`${fake.baseUrl}/cgi-bin/user/get?access_token=${t}&userid=lisi`)).status).toBe(503);
    expect((await get(`user/get?access_token=${t}&userid=lisi`)).errcode).toBe(0);
  });

  it("is read by the API client's getUser and listDepartments", async () => {
    const client = new WecomApiClient({ apiBase: fake.baseUrl, log: pino({ level: "silent" }), app: { corpId: CORP_ID, agentId: 1000002, secret: SECRET } });
    expect(await client.getUser("lisi")).toEqual({ userid: "lisi", name: "李四", department: [5], main_department: 5 });
    expect(await client.listDepartments()).toContainEqual({ id: 3, name: "城东分馆", parentid: 1, order: 100 });
    const error = await client.getUser("nobody").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WecomApiError);
    expect(error).toMatchObject({ api: "user/get", errcode: 60111, kind: "permanent" });
    // The access token is fetched once and sent on both GETs.
    expect(fake.requestsTo("gettoken")).toHaveLength(1);
    expect(fake.requests.filter((r) => r.api !== "gettoken").every((r) => r.query.access_token === "fake-token-1")).toBe(true);
  });
});
