// The one WeCom API client: every outbound call goes through here (global fetch against WECOM_API_BASE).
//   message/send           self-built app → userids (text, markdown), with the access_token
//   webhook/send           group robot (text, markdown, file), by key, 20/min per robot
//   webhook/upload_media   file upload for a robot's file message
//   aibot/response         the one-shot response_url of an aibot message
//   user/get               one member's name and departments (the directory cache, src/directory/)
//   department/list        the departments in the app's visible range, with names and parents
// Token policy: refresh once on 42001/40014 and retry the call once; 40001 is a config error, not retried.
import type { Logger } from "pino";
import type { Config } from "../../config/load.js";
import type { Db } from "../../db/open.js";
import { WecomApiError, classifyErrcode } from "./api-errors.js";
import { SlidingWindowLimiter } from "./rate-limit.js";
import { CONTENT_MAX_BYTES, byteLength } from "./split.js";
import { AccessTokenCache } from "./token-cache.js";

export interface WecomApiClientOptions {
  apiBase: string;
  log: Logger;
  /** The self-built app, for message/send. */
  app?: { corpId: string; agentId: number; secret: string };
  /** Robot name → webhook key. "default" is WECOM_WEBHOOK_KEY. Names, not keys, are stored in the outbox. */
  webhookKeys?: Record<string, string>;
  /** Shares the access token across instances. */
  prisma?: Db;
  now?: () => Date;
  /** Per request; WeCom usually answers within a second. */
  timeoutMs?: number;
  webhookPerMinute?: number;
  fetch?: typeof fetch;
}

export interface WecomResponse {
  errcode: number;
  errmsg: string;
  [field: string]: unknown;
}

type JsonObject = Record<string, unknown>;

/** A member as user/get returns it to a self-built app (doc path/90196), reduced to what libtally uses. */
export interface WecomUser {
  userid: string;
  name: string;
  /** Only the departments within the app's visible range. */
  department: number[];
  main_department?: number;
}

/** One department of department/list (doc path/90208). The root department is 1 (parentid 0). */
export interface WecomDepartment {
  id: number;
  name: string;
  parentid: number;
  order: number;
}

export class WecomApiClient {
  readonly tokens: AccessTokenCache | undefined;
  /** Robot rate limit, shared with the outbox so it can defer instead of hitting 45009. */
  readonly webhookLimiter: SlidingWindowLimiter;
  readonly #options: WecomApiClientOptions;
  readonly #fetch: typeof fetch;
  readonly #base: URL;

  constructor(options: WecomApiClientOptions) {
    this.#options = options;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#base = new URL(options.apiBase.endsWith("/") ? options.apiBase : `${options.apiBase}/`);
    const now = options.now ?? (() => new Date());
    this.webhookLimiter = new SlidingWindowLimiter(options.webhookPerMinute ?? 20, 60_000, () => now().getTime());
    const app = options.app;
    this.tokens = app
      ? new AccessTokenCache({
          prisma: options.prisma,
          now,
          cacheKey: `wecom:access_token:${app.corpId}:${app.agentId}`,
          fetchToken: async () => {
            const res = await this.#call("gettoken", "GET", { corpid: app.corpId, corpsecret: app.secret });
            if (typeof res.access_token !== "string" || typeof res.expires_in !== "number") {
              throw new WecomApiError("gettoken", "retryable", undefined, "response lacks access_token/expires_in");
            }
            return { token: res.access_token, expiresInSeconds: res.expires_in };
          },
        })
      : undefined;
  }

  /** The robot names this client can post as. */
  get robots(): string[] {
    return Object.keys(this.#options.webhookKeys ?? {});
  }

  #url(path: string, query: Record<string, string>): URL {
    const url = new URL(`cgi-bin/${path}`, this.#base);
    for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
    return url;
  }

  /** One HTTP exchange; any errcode other than 0 becomes a classified WecomApiError. Never logs secrets. */
  async #exchange(api: string, url: URL, init: RequestInit): Promise<WecomResponse> {
    let response: Response;
    try {
      response = await this.#fetch(url, { ...init, signal: AbortSignal.timeout(this.#options.timeoutMs ?? 10_000) });
    } catch (error) {
      const timedOut = (error as Error).name === "TimeoutError";
      throw new WecomApiError(api, "retryable", undefined, timedOut ? "timed out" : `network error: ${(error as Error).message}`, { cause: error });
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new WecomApiError(api, "retryable", undefined, `HTTP ${response.status}`);
    }
    let json: WecomResponse;
    try {
      json = (await response.json()) as WecomResponse;
    } catch (error) {
      throw new WecomApiError(api, "retryable", undefined, "response is not JSON", { cause: error });
    }
    const errcode = Number(json.errcode ?? 0);
    if (errcode !== 0) throw new WecomApiError(api, classifyErrcode(errcode), errcode, json.errmsg ?? "");
    return json;
  }

  #call(api: string, method: "GET" | "POST", query: Record<string, string>, body?: JsonObject): Promise<WecomResponse> {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { "content-type": "application/json; charset=utf-8" };
    }
    return this.#exchange(api, this.#url(api, query), init);
  }

  /** A call that needs the app's access_token: refreshed once on 42001/40014, never looped. */
  async #callWithToken(api: string, method: "GET" | "POST", query: Record<string, string>, body?: JsonObject): Promise<WecomResponse> {
    if (!this.tokens) throw new WecomApiError(api, "config", undefined, "the self-built app is not configured (WECOM_CORP_ID, WECOM_APP_SECRET, …)");
    const token = await this.tokens.get();
    try {
      return await this.#call(api, method, { ...query, access_token: token }, body);
    } catch (error) {
      if (!(error instanceof WecomApiError) || (error.errcode !== 42001 && error.errcode !== 40014)) throw error;
      this.#options.log.info({ api, errcode: error.errcode }, "access token rejected; refreshing once");
      await this.tokens.invalidate(token);
      return this.#call(api, method, { ...query, access_token: await this.tokens.get() }, body);
    }
  }

  /**
   * message/send (doc path/90236). `payload` is the body without access_token; agentid is set here.
   * Duplicate check is on, so WeCom itself drops a resend of identical content within 30 minutes.
   */
  sendAppMessage(payload: JsonObject): Promise<WecomResponse> {
    checkContentBytes("message/send", payload, CONTENT_MAX_BYTES.appText);
    return this.#callWithToken("message/send", "POST", {}, { enable_duplicate_check: 1, duplicate_check_interval: 1800, ...payload, agentid: this.#options.app?.agentId });
  }

  /**
   * user/get (doc path/90196): one member's name and departments. The app sees only members in its visible range
   * (60011 otherwise); an unknown userid is 60111. Both arrive as a WecomApiError with that errcode.
   */
  async getUser(userid: string): Promise<WecomUser> {
    const res = await this.#callWithToken("user/get", "GET", { userid });
    const department = Array.isArray(res.department) ? res.department.filter((id): id is number => Number.isInteger(id)) : [];
    if (typeof res.userid !== "string" || res.userid === "") throw new WecomApiError("user/get", "retryable", undefined, "response lacks userid");
    return {
      userid: res.userid,
      name: typeof res.name === "string" ? res.name : "",
      department,
      ...(Number.isInteger(res.main_department) ? { main_department: res.main_department as number } : {}),
    };
  }

  /** department/list (doc path/90208): every department in the app's visible range (no id: the whole tree). */
  async listDepartments(): Promise<WecomDepartment[]> {
    const res = await this.#callWithToken("department/list", "GET", {});
    if (!Array.isArray(res.department)) throw new WecomApiError("department/list", "retryable", undefined, "response lacks department");
    const departments: WecomDepartment[] = [];
    for (const entry of res.department as unknown[]) {
      const d = entry as Partial<Record<keyof WecomDepartment, unknown>> | null;
      if (!d || !Number.isInteger(d.id)) continue;
      departments.push({
        id: d.id as number,
        name: typeof d.name === "string" ? d.name : "",
        parentid: Number.isInteger(d.parentid) ? (d.parentid as number) : 0,
        order: typeof d.order === "number" ? d.order : 0,
      });
    }
    return departments;
  }

  #webhookKey(robot: string): string {
    const key = this.#options.webhookKeys?.[robot];
    if (!key) throw new WecomApiError("webhook/send", "config", undefined, `no webhook key for robot "${robot}" (WECOM_WEBHOOK_KEY)`);
    return key;
  }

  /** webhook/send (doc path/99110). Waits for the robot's rate limit rather than dropping. */
  async sendWebhook(robot: string, payload: JsonObject): Promise<WecomResponse> {
    const key = this.#webhookKey(robot);
    checkContentBytes("webhook/send", payload, payload.msgtype === "text" ? CONTENT_MAX_BYTES.webhookText : CONTENT_MAX_BYTES.webhookMarkdown);
    await this.webhookLimiter.acquire(robot);
    return this.#call("webhook/send", "POST", { key }, payload);
  }

  /** webhook/upload_media: returns the media_id (valid three days) for a file message. */
  async uploadWebhookFile(robot: string, file: { name: string; bytes: Uint8Array }): Promise<string> {
    const key = this.#webhookKey(robot);
    const form = new FormData();
    form.append("media", new Blob([new Uint8Array(file.bytes)]), file.name);
    const res = await this.#exchange("webhook/upload_media", this.#url("webhook/upload_media", { key, type: "file" }), { method: "POST", body: form });
    if (typeof res.media_id !== "string") throw new WecomApiError("webhook/upload_media", "retryable", undefined, "response lacks media_id");
    return res.media_id;
  }

  /** Uploads a file and posts it to the robot's group. */
  async sendWebhookFile(robot: string, file: { name: string; bytes: Uint8Array }): Promise<WecomResponse> {
    const mediaId = await this.uploadWebhookFile(robot, file);
    return this.sendWebhook(robot, { msgtype: "file", file: { media_id: mediaId } });
  }

  /**
   * POST to an aibot message's response_url (doc path/101138): works once, within an hour. Only URLs on the
   * configured API host are followed; the URL arrived inside a signed callback, but this is where it is spent.
   */
  async postAibotResponse(responseUrl: string, payload: JsonObject): Promise<WecomResponse> {
    let url: URL;
    try {
      url = new URL(responseUrl);
    } catch {
      throw new WecomApiError("aibot/response", "permanent", undefined, "response_url is not a URL");
    }
    if (url.origin !== this.#base.origin) {
      throw new WecomApiError("aibot/response", "permanent", undefined, `response_url host ${url.host} is not the API host ${this.#base.host}`);
    }
    checkContentBytes("aibot/response", payload, CONTENT_MAX_BYTES.aibotMarkdown);
    return this.#exchange("aibot/response", url, { method: "POST", body: JSON.stringify(payload), headers: { "content-type": "application/json; charset=utf-8" } });
  }
}

/** Refuses content over the limit locally: WeCom would truncate or answer 45002, and either loses text. */
function checkContentBytes(api: string, payload: JsonObject, maxBytes: number): void {
  const part = payload[String(payload.msgtype)] as { content?: unknown } | undefined;
  if (typeof part?.content === "string" && byteLength(part.content) > maxBytes) {
    throw new WecomApiError(api, "permanent", undefined, `content is ${byteLength(part.content)} bytes, over the ${maxBytes}-byte limit (split it first)`);
  }
}

/** The client for the configured channels. */
export function wecomApiClientFromConfig(config: Config, deps: { log: Logger; prisma?: Db; now?: () => Date; fetch?: typeof fetch }): WecomApiClient {
  const app = config.channels.app;
  return new WecomApiClient({
    apiBase: config.env.WECOM_API_BASE,
    log: deps.log,
    prisma: deps.prisma,
    now: deps.now,
    fetch: deps.fetch,
    app: app && { corpId: app.corpId, agentId: Number(app.agentId), secret: app.secret },
    webhookKeys: config.channels.webhook ? { default: config.channels.webhook.key } : {},
  });
}
