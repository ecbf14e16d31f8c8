// The replay command's path: saved callbacks (encrypted by the fake WeCom, or decrypted) through the same
// verify/decrypt/parse code as the routes, into a test core. Real: crypto, parsing, commander, a temp file.
// Faked: the bot core (RecordingCore).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readReplayInput, replayCallback, replayCommand } from "../../commands/replay.js";
import { CallbackRejected } from "../../src/transport/wecom/callback.js";
import { appTextXml, botTextJson } from "../fakes/fake-wecom.js";
import { CORP_ID, RecordingCore, appPeer, botPeer, testConfig } from "./harness.js";

const config = testConfig();
const oldTime = 1_700_000_000; // long outside the window: replay does not apply it

describe("replay", () => {
  it("replays a saved encrypted app callback, verifying its signature", async () => {
    const sealed = appPeer().callback(appTextXml({ corpId: CORP_ID, from: "zhangsan", content: "今日到馆 35人", msgId: "123", createTime: oldTime }), { timestamp: oldTime });
    const core = new RecordingCore();
    const saved = JSON.stringify({ channel: "app", query: sealed.query, body: sealed.body });
    const outcome = await replayCallback(config, readReplayInput(saved, {}), core);
    expect(outcome).toMatchObject({ kind: "message", inbound: { externalId: "123", text: "今日到馆 35人" }, reply: { text: "已记录：今日到馆 35人" } });

    const tampered = { channel: "app" as const, query: sealed.query.replace(/nonce=\d/, "nonce=9"), body: sealed.body };
    await expect(replayCallback(config, tampered, core)).rejects.toBeInstanceOf(CallbackRejected);
    expect(core.received).toHaveLength(1);
  });

  it("replays an encrypted aibot body given --query, and decrypted messages of both kinds", async () => {
    const sealed = botPeer().callback(botTextJson({ msgid: "m1", from: "lisi", chatid: "c1", content: "@图书馆助手 捐赠图书 120册" }));
    const outcome = await replayCallback(config, readReplayInput(sealed.body, { channel: "bot", query: sealed.query }));
    expect(outcome).toMatchObject({ kind: "message", inbound: { channel: "wecom-bot", chatId: "c1", text: "捐赠图书 120册" } });
    expect(outcome).not.toHaveProperty("reply.text");

    const plainXml = appTextXml({ corpId: CORP_ID, from: "wangwu", content: "闭馆", msgId: "9", createTime: oldTime });
    expect(await replayCallback(config, readReplayInput(plainXml, {}))).toMatchObject({ kind: "message", inbound: { senderId: "wangwu", text: "闭馆" } });
    const plainJson = botTextJson({ msgid: "m2", from: "zhaoliu", content: "今日到馆 8人" });
    expect(await replayCallback(config, readReplayInput(plainJson, {}))).toMatchObject({ kind: "message", inbound: { channel: "wecom-bot", text: "今日到馆 8人" } });
  });

  it("runs as a command on a file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "libtally-replay-"));
    const file = join(dir, "callback.json");
    const sealed = appPeer().callback(appTextXml({ corpId: CORP_ID, from: "zhangsan", content: "今日到馆 35人", msgId: "77", createTime: oldTime }));
    writeFileSync(file, JSON.stringify({ channel: "app", query: sealed.query, body: sealed.body }));
    const lines: string[] = [];
    const core = new RecordingCore();
    const env = { ...process.env };
    Object.assign(process.env, {
      WECOM_CORP_ID: CORP_ID,
      WECOM_AGENT_ID: "1000002",
      WECOM_APP_SECRET: "s",
      WECOM_APP_TOKEN: config.channels.app!.token,
      WECOM_APP_AES_KEY: config.channels.app!.aesKey,
    });
    try {
      await replayCommand({ openCore: async () => ({ core, close: async () => {} }), stdout: (l) => lines.push(l) }).parseAsync(["node", "replay", file]);
    } finally {
      process.env = env;
    }
    expect(lines.at(-1)).toBe("reply: 已记录：今日到馆 35人");
    expect(core.received).toHaveLength(1);
  });
});
