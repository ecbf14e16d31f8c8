// A fake WeCom for tests. Two halves:
//   WecomCallbackPeer  encrypts and signs callbacks exactly as WeCom does and opens (verifies + decrypts) the
//                      bot's encrypted passive replies, refusing the spellings WeCom would not accept.
//   FakeWecomApi       serves qyapi endpoints on loopback (gettoken, message/send, webhook/send,
//                      webhook/upload_media, aibot/response, and the address book's user/get and
//                      department/list over a configurable directory), records every request, and injects failures and delays.
//
// Its crypto is written here on purpose and imports nothing from src/: a fake that shares the code under
// test agrees with it by construction. tests/wecom/fake-wecom.test.ts proves it against the official vectors.
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

// ---------------------------------------------------------------------------------------------------------
// Crypto, the way WeCom's own samples do it (WXBizMsgCrypt): sha1 over the sorted four values,
// AES-256-CBC, IV = key[0..16], PKCS#7 to 32 bytes, random16 | len32be | msg | receiveId.

function aesKeyOf(encodingAesKey: string): Buffer {
  const key = Buffer.from(encodingAesKey + "=", "base64");
  if (key.length !== 32) throw new Error(`fake WeCom: EncodingAESKey decodes to ${key.length} bytes`);
  return key;
}

export function wecomSignature(token: string, timestamp: string, nonce: string, encrypted: string): string {
  const sorted = [token, timestamp, nonce, encrypted].sort();
  return createHash("sha1").update(sorted.join("")).digest("hex");
}

export function wecomEncrypt(encodingAesKey: string, message: string, receiveId: string, random: Buffer = randomBytes(16)): string {
  const key = aesKeyOf(encodingAesKey);
  const body = Buffer.from(message, "utf8");
  const header = Buffer.alloc(20);
  random.copy(header, 0, 0, 16);
  header.writeUInt32BE(body.length, 16);
  const unpadded = Buffer.concat([header, body, Buffer.from(receiveId, "utf8")]);
  const pad = 32 - (unpadded.length % 32);
  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([unpadded, Buffer.alloc(pad, pad)])), cipher.final()]).toString("base64");
}

export function wecomDecrypt(encodingAesKey: string, encrypted: string): { message: string; receiveId: string; random: Buffer } {
  const key = aesKeyOf(encodingAesKey);
  const decipher = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(Buffer.from(encrypted, "base64")), decipher.final()]);
  const pad = plain.at(-1) ?? 0;
  if (pad < 1 || pad > 32 || !plain.subarray(plain.length - pad).every((b) => b === pad)) throw new Error("fake WeCom: bad padding");
  const unpadded = plain.subarray(0, plain.length - pad);
  const length = unpadded.readUInt32BE(16);
  if (20 + length > unpadded.length) throw new Error("fake WeCom: length prefix out of range");
  return {
    random: unpadded.subarray(0, 16),
    message: unpadded.subarray(20, 20 + length).toString("utf8"),
    receiveId: unpadded.subarray(20 + length).toString("utf8"),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Callbacks

export interface SealOptions {
  timestamp?: string | number;
  nonce?: string;
  random?: Buffer;
}

export interface SealedCallback {
  /** The query string exactly as WeCom sends it: `+`, `/` and `=` percent-encoded. */
  query: string;
  body: string;
  encrypt: string;
  msgSignature: string;
  timestamp: string;
  nonce: string;
}

export interface OpenedReply {
  plaintext: string;
  timestamp: string;
  nonce: string;
}

let nonceCounter = 0;

/** One callback URL as WeCom sees it: the Token and EncodingAESKey typed into the admin console. */
export class WecomCallbackPeer {
  constructor(
    readonly options: { token: string; encodingAesKey: string; receiveId: string; envelope: "xml" | "json" },
  ) {}

  #seal(message: string, seal: SealOptions) {
    const timestamp = String(seal.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = seal.nonce ?? String(1_000_000_000 + nonceCounter++);
    const encrypt = wecomEncrypt(this.options.encodingAesKey, message, this.options.receiveId, seal.random);
    const msgSignature = wecomSignature(this.options.token, timestamp, nonce, encrypt);
    return { encrypt, msgSignature, timestamp, nonce };
  }

  /** GET …?msg_signature&timestamp&nonce&echostr for URL verification. */
  urlVerification(echo: string, seal: SealOptions = {}): SealedCallback {
    const sealed = this.#seal(echo, seal);
    const query = new URLSearchParams({ msg_signature: sealed.msgSignature, timestamp: sealed.timestamp, nonce: sealed.nonce, echostr: sealed.encrypt });
    return { ...sealed, query: query.toString(), body: "" };
  }

  /** POST …?msg_signature&timestamp&nonce with the encrypted envelope of `plaintext`. */
  callback(plaintext: string, seal: SealOptions = {}): SealedCallback {
    const sealed = this.#seal(plaintext, seal);
    const query = new URLSearchParams({ msg_signature: sealed.msgSignature, timestamp: sealed.timestamp, nonce: sealed.nonce });
    const body =
      this.options.envelope === "xml"
        ? `<xml><ToUserName><![CDATA[${this.options.receiveId}]]></ToUserName><Encrypt><![CDATA[${sealed.encrypt}]]></Encrypt><AgentID><![CDATA[1000002]]></AgentID></xml>`
        : JSON.stringify({ encrypt: sealed.encrypt });
    return { ...sealed, query: query.toString(), body };
  }

  /**
   * Opens the bot's passive reply as WeCom would: exact field names (TimeStamp / msgsignature), a valid
   * signature (constant-time), and the right receive id. Throws with what is wrong.
   */
  openReply(body: string): OpenedReply {
    let encrypt: string;
    let signatureValue: string;
    let timestamp: string;
    let nonce: string;
    if (this.options.envelope === "xml") {
      const field = (name: string) => {
        const match = new RegExp(`<${name}>(?:<!\\[CDATA\\[([^\\]]*)\\]\\]>|([^<]*))</${name}>`).exec(body);
        if (!match) throw new Error(`fake WeCom: reply lacks <${name}>`);
        return match[1] ?? match[2] ?? "";
      };
      if (!body.startsWith("<xml>") || !body.endsWith("</xml>")) throw new Error("fake WeCom: reply is not a bare <xml> document");
      encrypt = field("Encrypt");
      signatureValue = field("MsgSignature");
      timestamp = field("TimeStamp");
      nonce = field("Nonce");
    } else {
      const json = JSON.parse(body) as Record<string, unknown>;
      if ("msg_signature" in json) throw new Error("fake WeCom: reply uses msg_signature; the official key is msgsignature");
      const read = (name: string) => {
        const value = json[name];
        if (typeof value !== "string" && typeof value !== "number") throw new Error(`fake WeCom: reply lacks "${name}"`);
        return String(value);
      };
      encrypt = read("encrypt");
      signatureValue = read("msgsignature");
      timestamp = read("timestamp");
      nonce = read("nonce");
    }
    const expected = Buffer.from(wecomSignature(this.options.token, timestamp, nonce, encrypt));
    const given = Buffer.from(signatureValue);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new Error("fake WeCom: reply signature does not verify");
    const opened = wecomDecrypt(this.options.encodingAesKey, encrypt);
    if (opened.receiveId !== this.options.receiveId) {
      throw new Error(`fake WeCom: reply receive id ${JSON.stringify(opened.receiveId)} is not ${JSON.stringify(this.options.receiveId)}`);
    }
    return { plaintext: opened.message, timestamp, nonce };
  }
}

/** A self-built-app text message as WeCom delivers it (doc path/90240). */
export function appTextXml(args: { corpId: string; from: string; content: string; msgId: string; createTime: number; agentId?: string }): string {
  return (
    `<xml><ToUserName><![CDATA[${args.corpId}]]></ToUserName><FromUserName><![CDATA[${args.from}]]></FromUserName>` +
    `<CreateTime>${args.createTime}</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[${args.content}]]></Content>` +
    `<MsgId>${args.msgId}</MsgId><AgentID>${args.agentId ?? "1000002"}</AgentID></xml>`
  );
}

/** An aibot text message (doc path/100719); `chatid` only for groups. */
export function botTextJson(args: { msgid: string; from: string; content: string; chatid?: string; responseUrl?: string }): string {
  return JSON.stringify({
    msgid: args.msgid,
    aibotid: "AIBOTID",
    ...(args.chatid ? { chatid: args.chatid, chattype: "group" } : { chattype: "single" }),
    from: { userid: args.from },
    response_url: args.responseUrl ?? "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?response_code=RC",
    msgtype: "text",
    text: { content: args.content },
  });
}

// ---------------------------------------------------------------------------------------------------------
// API

export type ApiName = "gettoken" | "message/send" | "webhook/send" | "webhook/upload_media" | "aibot/response" | "user/get" | "department/list";

/** What to do instead of answering normally, once, for the next request to an API. */
export type Fault =
  | { errcode: number; errmsg?: string }
  /** An HTTP error status (WeCom's gateway in trouble). */
  | { status: number }
  /** Never answer: the request is held until the client gives up. It is not processed. */
  | { hang: true }
  /** Answer normally, but only once `until` settles: a slow WeCom, for as long as the test decides. */
  | { until: Promise<unknown> };

export interface RecordedRequest {
  api: ApiName;
  query: Record<string, string>;
  /** Parsed JSON body (undefined for GET and uploads). */
  body?: unknown;
  /** What the fake answered: an errcode, an HTTP status, or "hang". */
  outcome: number | `http ${number}` | "hang";
}

export interface Delivery {
  api: "message/send" | "webhook/send" | "aibot/response";
  /** userids (message/send), webhook key, or response_code. */
  to: string;
  msgtype: string;
  content?: string;
  body: Record<string, unknown>;
}

/** A member of the fake address book. `main_department` defaults to the first department. */
export interface FakeUser {
  userid: string;
  name: string;
  department: number[];
  main_department?: number;
}

/** A department of the fake address book. The root is id 1 with parentid 0. */
export interface FakeDepartment {
  id: number;
  name: string;
  parentid: number;
  order?: number;
}

/** The corp's address book as user/get and department/list see it. */
export interface FakeDirectory {
  users: FakeUser[];
  departments: FakeDepartment[];
  /**
   * The app's visible range as department ids (each with its whole subtree); all departments when absent.
   * Members outside it answer 60011, and only visible departments are listed or returned.
   */
  visible?: number[];
}

export interface FakeWecomApiOptions {
  corpId: string;
  corpSecret: string;
  agentId: number;
  webhookKeys: string[];
  /** Clock for the robot rate limit (ms); tests share it with the code under test. */
  now?: () => number;
  /** 20 per minute per robot (doc path/99110). */
  webhookPerMinute?: number;
  /** The address book for user/get and department/list; empty when absent. Replace `fake.directory` at will. */
  directory?: FakeDirectory;
}

const TEXT_MAX_BYTES = 2048;
const WEBHOOK_MARKDOWN_MAX_BYTES = 4096;

export class FakeWecomApi {
  readonly requests: RecordedRequest[] = [];
  readonly deliveries: Delivery[] = [];
  readonly uploads: Array<{ key: string; mediaId: string; filename: string; bytes: Buffer }> = [];
  tokensIssued = 0;
  #server: Server | undefined;
  #sockets = new Set<Socket>();
  #faults = new Map<ApiName, Fault[]>();
  #validTokens = new Set<string>();
  #expiredTokens = new Set<string>();
  #webhookSends = new Map<string, number[]>();
  #usedResponseCodes = new Set<string>();
  #now: () => number;
  baseUrl = "";
  /** The address book served by user/get and department/list; tests may replace or edit it between calls. */
  directory: FakeDirectory;

  constructor(readonly options: FakeWecomApiOptions) {
    this.#now = options.now ?? Date.now;
    this.directory = options.directory ?? { users: [], departments: [] };
  }

  async start(): Promise<string> {
    this.#server = createServer((req, res) => void this.#route(req, res));
    this.#server.on("connection", (socket) => {
      this.#sockets.add(socket);
      socket.on("close", () => this.#sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, "127.0.0.1", resolve));
    this.baseUrl = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this.baseUrl;
  }

  async stop(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }

  /** Queue faults for the next requests to `api`, consumed one per request, in order. */
  inject(api: ApiName, ...faults: Fault[]): void {
    this.#faults.set(api, [...(this.#faults.get(api) ?? []), ...faults]);
  }

  /** WeCom expired every token it handed out (the next call with one gets 42001). */
  expireTokens(): void {
    for (const token of this.#validTokens) this.#expiredTokens.add(token);
    this.#validTokens.clear();
  }

  /** A response_url for an aibot message, pointing at this fake. */
  responseUrl(code: string): string {
    return `${this.baseUrl}/cgi-bin/aibot/response?response_code=${encodeURIComponent(code)}`;
  }

  deliveriesTo(api: Delivery["api"]): Delivery[] {
    return this.deliveries.filter((d) => d.api === api);
  }

  /** The requests recorded for one API. */
  requestsTo(api: ApiName): RecordedRequest[] {
    return this.requests.filter((r) => r.api === api);
  }

  async #route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://fake");
    const api = url.pathname.replace(/^\/cgi-bin\//, "") as ApiName;
    const query = Object.fromEntries(url.searchParams);
    const raw = await readAll(req);
    const contentType = req.headers["content-type"] ?? "";
    let body: unknown;
    if (raw.length > 0 && contentType.startsWith("application/json")) {
      try {
        body = JSON.parse(raw.toString("utf8"));
      } catch {
        return this.#answer(res, { api, query, outcome: 47001 }, { errcode: 47001, errmsg: "data format error" });
      }
    }
    const fault = this.#faults.get(api)?.shift();
    if (fault && "until" in fault) {
      await fault.until.catch(() => undefined);
    } else if (fault) {
      if ("hang" in fault) {
        this.requests.push({ api, query, body, outcome: "hang" });
        return; // the socket stays open until the client aborts or stop() destroys it
      }
      if ("status" in fault) {
        this.requests.push({ api, query, body, outcome: `http ${fault.status}` });
        res.writeHead(fault.status, { "content-type": "text/html" }).end("<html>bad gateway</html>");
        return;
      }
      return this.#answer(res, { api, query, body, outcome: fault.errcode }, { errcode: fault.errcode, errmsg: fault.errmsg ?? "injected" });
    }
    const result = await this.#handle(api, query, body, raw, contentType);
    this.#answer(res, { api, query, body, outcome: Number(result.errcode) }, result);
  }

  #answer(res: ServerResponse, record: RecordedRequest, json: Record<string, unknown>): void {
    this.requests.push(record);
    // WeCom answers errors with HTTP 200 and an errcode.
    res.writeHead(200, { "content-type": "application/json; charset=utf-8" }).end(JSON.stringify(json));
  }

  #tokenError(query: Record<string, string>): Record<string, unknown> | undefined {
    const token = query.access_token;
    if (!token) return { errcode: 41001, errmsg: "access_token missing" };
    if (this.#expiredTokens.has(token)) return { errcode: 42001, errmsg: "access_token expired" };
    if (!this.#validTokens.has(token)) return { errcode: 40014, errmsg: "invalid access_token" };
    return undefined;
  }

  async #handle(api: ApiName, query: Record<string, string>, body: unknown, raw: Buffer, contentType: string): Promise<Record<string, unknown>> {
    switch (api) {
      case "gettoken": {
        if (query.corpid !== this.options.corpId) return { errcode: 40013, errmsg: "invalid corpid" };
        if (query.corpsecret !== this.options.corpSecret) return { errcode: 40001, errmsg: "invalid secret" };
        const token = `fake-token-${++this.tokensIssued}`;
        this.#validTokens.add(token);
        return { errcode: 0, errmsg: "ok", access_token: token, expires_in: 7200 };
      }
      case "message/send": {
        const tokenError = this.#tokenError(query);
        if (tokenError) return tokenError;
        const message = body as Record<string, unknown> | undefined;
        if (!message || typeof message.touser !== "string" || message.agentid !== this.options.agentId) {
          return { errcode: 40003, errmsg: "invalid touser or agentid" };
        }
        const content = contentOf(message);
        if (content === undefined) return { errcode: 44004, errmsg: "empty content" };
        if (Buffer.byteLength(content) > TEXT_MAX_BYTES) return { errcode: 45002, errmsg: "content size out of limit" };
        this.deliveries.push({ api, to: message.touser, msgtype: String(message.msgtype), content, body: message });
        return { errcode: 0, errmsg: "ok", invaliduser: "", msgid: `fake-msg-${this.deliveries.length}` };
      }
      case "webhook/send": {
        const key = query.key ?? "";
        if (!this.options.webhookKeys.includes(key)) return { errcode: 93000, errmsg: "invalid webhook url" };
        const message = body as Record<string, unknown> | undefined;
        if (!message) return { errcode: 47001, errmsg: "data format error" };
        if (!this.#takeWebhookSlot(key)) return { errcode: 45009, errmsg: "api freq out of limit" };
        const msgtype = String(message.msgtype);
        const content = contentOf(message);
        if (msgtype === "file") {
          const mediaId = (message.file as { media_id?: string } | undefined)?.media_id;
          if (!this.uploads.some((u) => u.mediaId === mediaId)) return { errcode: 40007, errmsg: "invalid media_id" };
        } else if (content === undefined) {
          return { errcode: 44004, errmsg: "empty content" };
        } else if (Buffer.byteLength(content) > (msgtype === "text" ? TEXT_MAX_BYTES : WEBHOOK_MARKDOWN_MAX_BYTES)) {
          return { errcode: 45002, errmsg: "content size out of limit" };
        }
        this.deliveries.push({ api, to: key, msgtype, ...(content === undefined ? {} : { content }), body: message });
        return { errcode: 0, errmsg: "ok" };
      }
      case "webhook/upload_media": {
        const key = query.key ?? "";
        if (!this.options.webhookKeys.includes(key)) return { errcode: 93000, errmsg: "invalid webhook url" };
        const form = await new Response(new Uint8Array(raw), { headers: { "content-type": contentType } }).formData();
        const file = form.get("media");
        if (!(file instanceof File)) return { errcode: 41006, errmsg: "media missing (form field must be 'media')" };
        const mediaId = `fake-media-${this.uploads.length + 1}`;
        this.uploads.push({ key, mediaId, filename: file.name, bytes: Buffer.from(await file.arrayBuffer()) });
        return { errcode: 0, errmsg: "ok", type: query.type ?? "file", media_id: mediaId, created_at: String(Math.floor(this.#now() / 1000)) };
      }
      case "aibot/response": {
        const code = query.response_code ?? "";
        // A response_url works once (doc path/101138). The real errcode for reuse is not documented.
        if (!code || this.#usedResponseCodes.has(code)) return { errcode: 600001, errmsg: "fake: response_code invalid or used" };
        const message = body as Record<string, unknown> | undefined;
        const content = message && contentOf(message);
        if (!message || content === undefined) return { errcode: 44004, errmsg: "empty content" };
        this.#usedResponseCodes.add(code);
        this.deliveries.push({ api, to: code, msgtype: String(message.msgtype), content, body: message });
        return { errcode: 0, errmsg: "ok" };
      }
      case "user/get": {
        // doc path/90196: GET, userid case-insensitive; only members in the visible range; unknown userid 60111.
        const tokenError = this.#tokenError(query);
        if (tokenError) return tokenError;
        const userid = query.userid ?? "";
        if (!userid) return { errcode: 41009, errmsg: "missing userid" };
        const user = this.directory.users.find((u) => u.userid.toLowerCase() === userid.toLowerCase());
        if (!user) return { errcode: 60111, errmsg: "userid not found" };
        const visible = this.#visibleDepartmentIds();
        const department = user.department.filter((id) => visible.has(id));
        if (department.length === 0) return { errcode: 60011, errmsg: "no privilege to access/modify contact/party/agent" };
        const main = user.main_department ?? user.department[0];
        return {
          errcode: 0,
          errmsg: "ok",
          userid: user.userid,
          name: user.name,
          department,
          order: department.map(() => 0),
          ...(main !== undefined ? { main_department: main } : {}),
          status: 1,
        };
      }
      case "department/list": {
        // doc path/90208: GET, optional id (that department and its subtree), only the visible range.
        const tokenError = this.#tokenError(query);
        if (tokenError) return tokenError;
        const visible = this.#visibleDepartmentIds();
        let ids = visible;
        if (query.id !== undefined && query.id !== "") {
          const id = Number(query.id);
          if (!visible.has(id)) return { errcode: 60011, errmsg: "no privilege to access/modify contact/party/agent" };
          ids = this.#subtree([id]);
        }
        const department = this.directory.departments
          .filter((d) => ids.has(d.id))
          .map((d) => ({ id: d.id, name: d.name, name_en: "", department_leader: [], parentid: d.parentid, order: d.order ?? 0 }));
        return { errcode: 0, errmsg: "ok", department };
      }
      default:
        return { errcode: 404, errmsg: `fake WeCom does not serve ${api}` };
    }
  }

  /** Departments in the visible range: the listed ones and all their descendants. */
  #visibleDepartmentIds(): Set<number> {
    const all = this.directory.departments.map((d) => d.id);
    return this.directory.visible ? this.#subtree(this.directory.visible) : new Set(all);
  }

  #subtree(roots: number[]): Set<number> {
    const ids = new Set(roots.filter((id) => this.directory.departments.some((d) => d.id === id)));
    for (let grew = true; grew; ) {
      grew = false;
      for (const d of this.directory.departments) {
        if (!ids.has(d.id) && ids.has(d.parentid)) {
          ids.add(d.id);
          grew = true;
        }
      }
    }
    return ids;
  }

  #takeWebhookSlot(key: string): boolean {
    const limit = this.options.webhookPerMinute ?? 20;
    const now = this.#now();
    const recent = (this.#webhookSends.get(key) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= limit) {
      this.#webhookSends.set(key, recent);
      return false;
    }
    recent.push(now);
    this.#webhookSends.set(key, recent);
    return true;
  }
}

function contentOf(message: Record<string, unknown>): string | undefined {
  const part = message[String(message.msgtype)] as { content?: unknown } | undefined;
  return typeof part?.content === "string" && part.content !== "" ? part.content : undefined;
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}
