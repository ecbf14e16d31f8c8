// End to end over real HTTP on loopback: the WeCom callback router in a bare Koa app, driven by the fake WeCom
// (tests/fakes/fake-wecom.ts, proven against the official vectors) and by the vectors themselves.
// Real: Koa, @koa/router, HTTP, AES, signatures, XML/JSON parsing. Faked: the bot core (RecordingCore, a
// neighbour's contract) and, for late answers, a recording OutboxWriter.
import { afterEach, describe, expect, it } from "vitest";
import { WecomCallbackPeer, appTextXml, botTextJson, wecomSignature } from "../fakes/fake-wecom.js";
import {
  APP_AES_KEY,
  APP_TOKEN,
  BOT_AES_KEY,
  CORP_ID,
  RecordingCore,
  RecordingOutbox,
  appPeer,
  botPeer,
  settle,
  startCallbackServer,
  testConfig,
  type CallbackServer,
} from "./harness.js";
import { queryOf, vectors } from "./vectors.js";

let server: CallbackServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const nowSeconds = () => Math.floor(Date.now() / 1000);
/** The official vectors are from 2014–2023: tests replaying them widen the window explicitly. */
const WIDE_WINDOW = { WECOM_TIMESTAMP_WINDOW_SECONDS: String(20 * 365 * 86400) };

async function post(path: string, query: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${server!.url}${path}?${query}`, { method: "POST", body, headers: { "content-type": "text/xml", ...headers } });
  return { status: res.status, body: await res.text(), type: res.headers.get("content-type") };
}

async function get(path: string, query: string) {
  const res = await fetch(`${server!.url}${path}?${query}`);
  return { status: res.status, body: await res.text(), type: res.headers.get("content-type") };
}

function callbackLines() {
  return server!.lines.filter((l) => l.msg.startsWith("wecom callback"));
}

let msgCounter = 0;
const nextMsgId = () => `7${String(Date.now()).slice(-9)}${String(msgCounter++).padStart(8, "0")}`;

describe("URL verification", () => {
  it.each(vectors.filter((v) => v.kind === "verify_url" && v.expect.signature_valid).map((v) => [v.id, v] as const))(
    "/wecom/app answers the bare echostr of official vector %s",
    async (_id, v) => {
      const core = new RecordingCore();
      server = await startCallbackServer({
        config: testConfig({ ...WIDE_WINDOW, WECOM_CORP_ID: v.receive_id, WECOM_APP_TOKEN: v.token, WECOM_APP_AES_KEY: v.encoding_aes_key }),
        core,
      });
      const q = queryOf(v);
      const raw = v.raw_query ?? new URLSearchParams({ msg_signature: q.msg_signature, timestamp: q.timestamp, nonce: q.nonce, echostr: q.echostr! }).toString();
      const res = await get("/wecom/app", raw);
      expect(res).toMatchObject({ status: 200, body: v.expect.plaintext });
      expect(res.type).toMatch(/^text\/plain/);
      expect(core.received).toHaveLength(0);
    },
  );

  it("refuses the tampered official vectors with 401", async () => {
    server = await startCallbackServer({ config: testConfig(WIDE_WINDOW), core: new RecordingCore() });
    for (const v of vectors.filter((x) => x.kind === "verify_url" && x.expect.signature_valid === false)) {
      const q = queryOf(v);
      // Same token/key as the vector, so only the signature can be at fault.
      await server.close();
      server = await startCallbackServer({
        config: testConfig({ ...WIDE_WINDOW, WECOM_CORP_ID: v.receive_id, WECOM_APP_TOKEN: v.token, WECOM_APP_AES_KEY: v.encoding_aes_key }),
        core: new RecordingCore(),
      });
      const raw = v.raw_query ?? new URLSearchParams({ msg_signature: q.msg_signature, timestamp: q.timestamp, nonce: q.nonce, echostr: q.echostr! }).toString();
      expect((await get("/wecom/app", raw)).status).toBe(401);
    }
  });

  it("/wecom/bot refuses an app vector (receive id corpid, not empty) with 403", async () => {
    const v = vectors.find((x) => x.id === "official-classic-verifyurl")!;
    server = await startCallbackServer({
      config: testConfig({ ...WIDE_WINDOW, WECOM_BOT_TOKEN: v.token, WECOM_BOT_AES_KEY: v.encoding_aes_key }),
      core: new RecordingCore(),
    });
    expect((await get("/wecom/bot", v.raw_query!)).status).toBe(403);
  });

  it("/wecom/bot answers an aibot URL verification (receive id empty) sealed by the fake", async () => {
    server = await startCallbackServer({ config: testConfig(), core: new RecordingCore() });
    const sealed = botPeer().urlVerification("4738205619384720193");
    const res = await get("/wecom/bot", sealed.query);
    expect(res).toMatchObject({ status: 200, body: "4738205619384720193" });
  });

  it("keeps a literal '+' in echostr (a proxy that did not percent-encode it)", async () => {
    server = await startCallbackServer({ config: testConfig(), core: new RecordingCore() });
    let sealed = appPeer().urlVerification("1234567890123456789");
    for (let i = 0; !sealed.encrypt.includes("+") && i < 50; i++) sealed = appPeer().urlVerification(`12345678901234567${i}`);
    expect(sealed.encrypt).toContain("+");
    const raw = `msg_signature=${sealed.msgSignature}&timestamp=${sealed.timestamp}&nonce=${sealed.nonce}&echostr=${sealed.encrypt}`;
    expect((await get("/wecom/app", raw)).status).toBe(200);
  });
});

describe("messages", () => {
  it("a 1:1 message to the app becomes one InboundMessage and an encrypted passive reply the fake verifies", async () => {
    const core = new RecordingCore();
    server = await startCallbackServer({ config: testConfig(), core });
    const createTime = nowSeconds();
    const sealed = appPeer().callback(appTextXml({ corpId: CORP_ID, from: "zhangsan", content: "今日到馆 35人", msgId: "4561255354251345929", createTime }));
    const res = await post("/wecom/app", sealed.query, sealed.body);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/xml/);
    expect(core.received).toEqual([
      { channel: "wecom-app", externalId: "4561255354251345929", senderId: "zhangsan", chatType: "single", text: "今日到馆 35人", sentAt: new Date(createTime * 1000) },
    ]);
    const reply = appPeer().openReply(res.body);
    expect(reply.plaintext).toContain(`<ToUserName><![CDATA[zhangsan]]></ToUserName><FromUserName><![CDATA[${CORP_ID}]]></FromUserName>`);
    expect(reply.plaintext).toContain("<Content><![CDATA[已记录：今日到馆 35人]]></Content>");
    await settle();
    expect(callbackLines()).toEqual([expect.objectContaining({ status: 200, outcome: "answered", externalId: "4561255354251345929" })]);
  });

  it("a group @-mention to the aibot becomes one InboundMessage without the @BotName prefix, answered with a stream", async () => {
    const core = new RecordingCore();
    server = await startCallbackServer({ config: testConfig(), core });
    const sealed = botPeer().callback(botTextJson({ msgid: "CAIQ16HMjQYYAAA1", from: "lisi", chatid: "wrSTAFF01", content: "@图书馆助手\u2005今日到馆 35人" }));
    const res = await post("/wecom/bot", sealed.query, sealed.body, { "content-type": "application/json" });
    expect(res.status).toBe(200);
    expect(core.received).toHaveLength(1);
    expect(core.received[0]).toMatchObject({ channel: "wecom-bot", externalId: "CAIQ16HMjQYYAAA1", senderId: "lisi", chatId: "wrSTAFF01", chatType: "group", text: "今日到馆 35人" });
    const reply = JSON.parse(botPeer().openReply(res.body).plaintext);
    expect(reply).toMatchObject({ msgtype: "stream", stream: { finish: true, content: "已记录：今日到馆 35人" } });
    expect(reply.stream.id).toMatch(/^lt-/);
  });

  it("the generated aibot vector reaches the core as a group message", async () => {
    const v = vectors.find((x) => x.id === "generated-aibot-json-empty-receiveid")!;
    const core = new RecordingCore();
    server = await startCallbackServer({ config: testConfig({ ...WIDE_WINDOW, WECOM_BOT_TOKEN: v.token, WECOM_BOT_AES_KEY: v.encoding_aes_key }), core });
    const res = await post("/wecom/bot", `msg_signature=${v.msg_signature}&timestamp=${v.timestamp}&nonce=${v.nonce}`, v.body!);
    expect(res.status).toBe(200);
    expect(core.received[0]).toMatchObject({ externalId: "CAIQ16HMjQYYAAA", chatId: "CHATID", chatType: "group", text: "今日到馆 35人", senderId: "zhangsan" });
  });

  it("the official app vectors reach the core with the MsgId exact", async () => {
    for (const id of ["official-classic-post-xml", "official-2016-post-xml", "wechatpy-work-post-xml", "go-workwx-post-xml"]) {
      const v = vectors.find((x) => x.id === id)!;
      const core = new RecordingCore();
      server = await startCallbackServer({
        config: testConfig({ ...WIDE_WINDOW, WECOM_CORP_ID: v.receive_id, WECOM_APP_TOKEN: v.token, WECOM_APP_AES_KEY: v.encoding_aes_key }),
        core,
      });
      const q = queryOf(v);
      const res = await post("/wecom/app", `msg_signature=${q.msg_signature}&timestamp=${q.timestamp}&nonce=${q.nonce}`, v.body!);
      expect(res.status, id).toBe(200);
      const msgId = /<MsgId>(\d+)<\/MsgId>/.exec(v.expect.plaintext!)![1];
      expect(core.received[0]?.externalId, id).toBe(msgId);
      await server.close();
      server = undefined;
    }
  });

  it("five concurrent redeliveries reach the core once and get five identical answers", async () => {
    const core = new RecordingCore();
    core.delayMs = 150;
    server = await startCallbackServer({ config: testConfig(), core });
    const xml = appTextXml({ corpId: CORP_ID, from: "wangwu", content: "捐赠图书 120册", msgId: nextMsgId(), createTime: nowSeconds() });
    const peer = appPeer();
    const deliveries = Array.from({ length: 5 }, () => peer.callback(xml));
    const replies = await Promise.all(deliveries.map((d) => post("/wecom/app", d.query, d.body)));
    expect(core.received).toHaveLength(1);
    const contents = replies.map((r) => /<Content>(.*)<\/Content>/.exec(peer.openReply(r.body).plaintext)![1]);
    expect(new Set(contents)).toEqual(new Set(["<![CDATA[已记录：捐赠图书 120册]]>"]));
    await settle();
    expect(callbackLines().map((l) => l.outcome).sort()).toEqual(["answered", ...Array(4).fill("answered-redelivery")]);
  });

  it("five sequential redeliveries inside the window are answered the same, the core called once", async () => {
    const core = new RecordingCore();
    server = await startCallbackServer({ config: testConfig(), core });
    const peer = botPeer();
    const json = botTextJson({ msgid: `CAIQ${nextMsgId()}`, from: "zhaoliu", content: "今日到馆 12人" });
    const plaintexts: string[] = [];
    for (let i = 0; i < 5; i++) {
      // WeCom's retry carries the original timestamp: 200 s old is still inside the 300 s window.
      const sealed = peer.callback(json, { timestamp: nowSeconds() - 200 + i });
      const res = await post("/wecom/bot", sealed.query, sealed.body);
      expect(res.status).toBe(200);
      plaintexts.push(peer.openReply(res.body).plaintext);
    }
    expect(core.received).toHaveLength(1);
    expect(new Set(plaintexts).size).toBe(1);
  });

  it("a core failure gets 500 (WeCom redelivers) and the redelivery reaches the core again", async () => {
    const core = new RecordingCore();
    core.failNext = 1;
    server = await startCallbackServer({ config: testConfig(), core });
    const sealed = appPeer().callback(appTextXml({ corpId: CORP_ID, from: "lisi", content: "今日到馆 9人", msgId: nextMsgId(), createTime: nowSeconds() }));
    expect((await post("/wecom/app", sealed.query, sealed.body)).status).toBe(500);
    expect((await post("/wecom/app", sealed.query, sealed.body)).status).toBe(200);
    expect(core.received).toHaveLength(2);
  });

  it("a slow answer is acknowledged empty at the deadline and handed to the outbox once", async () => {
    const core = new RecordingCore();
    core.delayMs = 300;
    const outbox = new RecordingOutbox();
    server = await startCallbackServer({ config: testConfig(), core, outbox, replyDeadlineMs: 50 });
    const msgId = nextMsgId();
    const sealed = appPeer().callback(appTextXml({ corpId: CORP_ID, from: "guanzhang", content: "本周到馆多少", msgId, createTime: nowSeconds() }));
    const first = await post("/wecom/app", sealed.query, sealed.body);
    const second = await post("/wecom/app", sealed.query, sealed.body);
    expect(first).toMatchObject({ status: 200, body: "" });
    expect(second).toMatchObject({ status: 200, body: "" });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(outbox.requests).toEqual([
      { channel: "app", target: ["guanzhang"], msgType: "text", content: "已记录：本周到馆多少", dedupeKey: `reply:wecom-app:${msgId}` },
    ]);
    expect(core.received).toHaveLength(1);
  });

  it("a slow aibot answer goes to the message's response_url through the outbox", async () => {
    const core = new RecordingCore();
    core.delayMs = 200;
    const outbox = new RecordingOutbox();
    server = await startCallbackServer({ config: testConfig(), core, outbox, replyDeadlineMs: 30 });
    const sealed = botPeer().callback(botTextJson({ msgid: "CAIQslow1", from: "lisi", chatid: "wrSTAFF01", content: "@图书馆助手 本月借阅多少", responseUrl: "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RC9" }));
    expect(await post("/wecom/bot", sealed.query, sealed.body)).toMatchObject({ status: 200, body: "" });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(outbox.requests).toEqual([
      expect.objectContaining({ channel: "aibot-response", target: "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RC9", msgType: "markdown" }),
    ]);
  });
});

describe("long answers", () => {
  it("an answer over the 2048-byte passive limit is acknowledged empty and sent (split) through the outbox", async () => {
    const core = new RecordingCore();
    const outbox = new RecordingOutbox();
    server = await startCallbackServer({ config: testConfig(), core, outbox });
    const msgId = nextMsgId();
    const long = "馆".repeat(700); // 2100 bytes, plus the echo prefix
    const sealed = appPeer().callback(appTextXml({ corpId: CORP_ID, from: "zhangsan", content: long, msgId, createTime: nowSeconds() }));
    expect(await post("/wecom/app", sealed.query, sealed.body)).toMatchObject({ status: 200, body: "" });
    expect(outbox.requests).toEqual([expect.objectContaining({ channel: "app", target: ["zhangsan"], content: `已记录：${long}`, dedupeKey: `reply:wecom-app:${msgId}` })]);
    // A redelivery does not enqueue it again.
    await post("/wecom/app", sealed.query, sealed.body);
    expect(outbox.requests).toHaveLength(1);
  });
});

describe("bad input", () => {
  async function expectRefused(path: string, query: string, body: string, status: number, reason: RegExp) {
    const res = await post(path, query, body);
    expect(res.status).toBe(status);
    expect(res.body).toBe("");
    await settle();
    const lines = callbackLines();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ status, outcome: "rejected" });
    expect(lines[0]!.reason).toMatch(reason);
    server!.lines.length = 0;
  }

  const text = () => appTextXml({ corpId: CORP_ID, from: "zhangsan", content: "今日到馆 35人", msgId: nextMsgId(), createTime: nowSeconds() });

  it("refuses each forged or malformed callback with the right status, one log line, and no core call", async () => {
    const core = new RecordingCore();
    server = await startCallbackServer({ config: testConfig(), core, maxBodyBytes: 8 * 1024 });
    const good = appPeer().callback(text());

    // wrong signature
    await expectRefused("/wecom/app", good.query.replace(/msg_signature=[0-9a-f]/, "msg_signature=x"), good.body, 401, /^signature/);
    // body swapped under a valid query: the signature covers Encrypt
    await expectRefused("/wecom/app", good.query, appPeer().callback(text()).body, 401, /^signature/);
    // missing parameters
    await expectRefused("/wecom/app", "timestamp=1&nonce=2", good.body, 400, /msg_signature/);
    // stale timestamp, and one from the future
    const stale = appPeer().callback(text(), { timestamp: nowSeconds() - 301 });
    await expectRefused("/wecom/app", stale.query, stale.body, 401, /^stale-timestamp/);
    const future = appPeer().callback(text(), { timestamp: nowSeconds() + 400 });
    await expectRefused("/wecom/app", future.query, future.body, 401, /^stale-timestamp/);
    // malformed base64, correctly signed so that decryption is what refuses it
    const badBase64 = "not*base64";
    const sig = wecomSignature(APP_TOKEN, String(nowSeconds()), "77", badBase64);
    await expectRefused("/wecom/app", `msg_signature=${sig}&timestamp=${nowSeconds()}&nonce=77`, `<xml><Encrypt><![CDATA[${badBase64}]]></Encrypt></xml>`, 400, /^decrypt: base64/);
    // right token, wrong AES key
    const wrongKey = new WecomCallbackPeer({ token: APP_TOKEN, encodingAesKey: BOT_AES_KEY, receiveId: CORP_ID, envelope: "xml" }).callback(text());
    await expectRefused("/wecom/app", wrongKey.query, wrongKey.body, 400, /^decrypt/);
    // wrong receive id (another corp)
    const otherCorp = new WecomCallbackPeer({ token: APP_TOKEN, encodingAesKey: APP_AES_KEY, receiveId: "wwother", envelope: "xml" }).callback(text());
    await expectRefused("/wecom/app", otherCorp.query, otherCorp.body, 403, /^receive-id/);
    // non-XML plaintext (app), non-JSON plaintext (aibot)
    const notXml = appPeer().callback("hello, not xml");
    await expectRefused("/wecom/app", notXml.query, notXml.body, 400, /^plaintext/);
    const notJson = botPeer().callback("<xml>not json</xml>");
    await expectRefused("/wecom/bot", notJson.query, notJson.body, 400, /^plaintext.*not-json/);
    // outer body not XML / not JSON
    await expectRefused("/wecom/app", good.query, "{}", 400, /^envelope/);
    await expectRefused("/wecom/bot", good.query, "<xml/>", 400, /^envelope/);
    // XXE in the outer body, and in the signed, encrypted plaintext
    const xxe = `<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><xml><Encrypt>&xxe;</Encrypt></xml>`;
    await expectRefused("/wecom/app", good.query, xxe, 400, /doctype/);
    const laughs =
      `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
      `<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><xml><FromUserName>a</FromUserName><Content>&lol3;</Content></xml>`;
    const signedLaughs = appPeer().callback(laughs);
    await expectRefused("/wecom/app", signedLaughs.query, signedLaughs.body, 400, /^plaintext.*doctype/);
    // deeply nested XML, unsigned (the parser's own limit), and signed inside the plaintext
    const nested = `<xml>${"<a>".repeat(200)}x${"</a>".repeat(200)}<Encrypt>e</Encrypt></xml>`;
    await expectRefused("/wecom/app", good.query, nested, 400, /^envelope/);
    const signedNested = appPeer().callback(`<xml>${"<a>".repeat(200)}x${"</a>".repeat(200)}</xml>`);
    await expectRefused("/wecom/app", signedNested.query, signedNested.body, 400, /^plaintext/);
    // oversized body
    await expectRefused("/wecom/app", good.query, `<xml><Encrypt>${"A".repeat(9000)}</Encrypt></xml>`, 413, /exceeds/);

    expect(core.received).toHaveLength(0);
    // …and the genuine callback still works afterwards.
    expect((await post("/wecom/app", good.query, good.body)).status).toBe(200);
  });

  it("acknowledges events and stream refreshes with an empty 200 and does not call the core", async () => {
    const core = new RecordingCore();
    server = await startCallbackServer({ config: testConfig(), core });
    const enterAgent = `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>${nowSeconds()}</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA[enter_agent]]></Event><EventKey><![CDATA[]]></EventKey><AgentID>1000002</AgentID></xml>`;
    const a = appPeer().callback(enterAgent);
    expect(await post("/wecom/app", a.query, a.body)).toMatchObject({ status: 200, body: "" });
    const enterChat = JSON.stringify({ msgid: "EV1", aibotid: "AIBOTID", chattype: "single", from: { userid: "lisi" }, msgtype: "event", event: { eventtype: "enter_chat" } });
    const b = botPeer().callback(enterChat);
    expect(await post("/wecom/bot", b.query, b.body)).toMatchObject({ status: 200, body: "" });
    const refresh = JSON.stringify({ msgid: "RF1", aibotid: "AIBOTID", chattype: "group", chatid: "c", from: { userid: "lisi" }, msgtype: "stream", stream: { id: "lt-x" } });
    const c = botPeer().callback(refresh);
    expect(await post("/wecom/bot", c.query, c.body)).toMatchObject({ status: 200, body: "" });
    expect(core.received).toHaveLength(0);
    await settle();
    expect(callbackLines().map((l) => [l.outcome, l.reason])).toEqual([
      ["ignored", "event:enter_agent"],
      ["ignored", "event:enter_chat"],
      ["ignored", "stream-refresh"],
    ]);
  });

  it("hands image and voice messages to the core as unsupported, and passes on its short hint", async () => {
    const core = new RecordingCore();
    server = await startCallbackServer({ config: testConfig(), core });
    const image = `<xml><ToUserName><![CDATA[${CORP_ID}]]></ToUserName><FromUserName><![CDATA[zhangsan]]></FromUserName><CreateTime>${nowSeconds()}</CreateTime><MsgType><![CDATA[image]]></MsgType><PicUrl><![CDATA[http://x]]></PicUrl><MediaId><![CDATA[m]]></MediaId><MsgId>${nextMsgId()}</MsgId><AgentID>1000002</AgentID></xml>`;
    const a = appPeer().callback(image);
    const res = await post("/wecom/app", a.query, a.body);
    expect(res.status).toBe(200);
    expect(appPeer().openReply(res.body).plaintext).toContain("暂时只能读文字消息哦。");
    const voice = JSON.stringify({ msgid: "V1", aibotid: "AIBOTID", chattype: "single", from: { userid: "lisi" }, msgtype: "voice", voice: { content: "今日到馆三十五人" } });
    const b = botPeer().callback(voice);
    expect((await post("/wecom/bot", b.query, b.body)).status).toBe(200);
    expect(core.received.map((m) => [m.unsupported, m.text])).toEqual([
      ["image", ""],
      ["voice", ""],
    ]);
  });

  it("answers 404 on a channel whose settings are absent", async () => {
    server = await startCallbackServer({ config: testConfig({ WECOM_BOT_TOKEN: undefined, WECOM_BOT_AES_KEY: undefined }), core: new RecordingCore() });
    const sealed = botPeer().urlVerification("1");
    expect((await get("/wecom/bot", sealed.query)).status).toBe(404);
    const res = await fetch(`${server.url}/wecom/app`, { method: "PUT" });
    expect(res.status).toBe(405);
  });
});
