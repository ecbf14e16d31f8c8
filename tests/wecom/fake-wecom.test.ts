// Proves the fake WeCom (tests/fakes/fake-wecom.ts) against the external vectors, independently of src/:
// if the fake agreed only with our own crypto, a shared mistake would pass unnoticed.
// Real: AES, SHA-1, the vectors file. Faked: nothing.
import { describe, expect, it } from "vitest";
import { WecomCallbackPeer, wecomDecrypt, wecomEncrypt, wecomSignature } from "../fakes/fake-wecom.js";
import { encryptOf, queryOf, vectors } from "./vectors.js";

describe("fake WeCom crypto agrees with the vectors", () => {
  const signed = vectors.filter((v) => v.kind === "verify_url" || v.kind === "decrypt_post");

  it.each(signed.map((v) => [v.id, v] as const))("signature and decryption of %s", (_id, v) => {
    const q = queryOf(v);
    const encrypted = v.kind === "verify_url" ? q.echostr! : encryptOf(v);
    expect(wecomSignature(v.token, q.timestamp, q.nonce, encrypted) === q.msg_signature).toBe(v.expect.signature_valid);
    if (v.expect.plaintext !== undefined) {
      const opened = wecomDecrypt(v.encoding_aes_key, encrypted);
      expect(opened.message).toBe(v.expect.plaintext);
      expect(opened.receiveId).toBe(v.expect.receive_id);
    }
  });

  it.each(vectors.filter((v) => v.kind === "encrypt_fixed_random").map((v) => [v.id, v] as const))("encryption of %s", (_id, v) => {
    const encrypted = wecomEncrypt(v.encoding_aes_key, v.plaintext!, v.receive_id, Buffer.from(v.random_ascii!, "ascii"));
    expect(encrypted).toBe(v.expect.encrypt);
    expect(wecomSignature(v.token, v.timestamp!, v.nonce!, encrypted)).toBe(v.expect.msg_signature);
  });

  it("seals a callback exactly like the official classic sample (Encrypt, signature, query encoding)", () => {
    const source = vectors.find((v) => v.id === "wwcrypto-classic-encrypt-fixed-random")!;
    const official = vectors.find((v) => v.id === "official-classic-post-xml")!;
    const peer = new WecomCallbackPeer({ token: source.token, encodingAesKey: source.encoding_aes_key, receiveId: source.receive_id, envelope: "xml" });
    const sealed = peer.callback(source.plaintext!, { timestamp: source.timestamp, nonce: source.nonce, random: Buffer.from(source.random_ascii!) });
    expect(sealed.encrypt).toBe(encryptOf(official));
    expect(sealed.msgSignature).toBe(official.msg_signature);
    expect(sealed.query).toBe(`msg_signature=${official.msg_signature}&timestamp=${official.timestamp}&nonce=${official.nonce}`);
  });

  it("percent-encodes echostr as WeCom does (matches the official raw query)", () => {
    const v = vectors.find((x) => x.id === "official-classic-verifyurl")!;
    const echoParam = v.raw_query!.split("&").find((p) => p.startsWith("echostr="))!;
    const peer = new WecomCallbackPeer({ token: v.token, encodingAesKey: v.encoding_aes_key, receiveId: v.receive_id, envelope: "xml" });
    const opened = wecomDecrypt(v.encoding_aes_key, v.echostr!);
    const sealed = peer.urlVerification(opened.message, { timestamp: v.timestamp, nonce: v.nonce, random: opened.random });
    expect(sealed.query).toContain(echoParam);
    expect(sealed.msgSignature).toBe(v.msg_signature);
  });

  it("opens the official passive reply vector and refuses misspelt or forged replies", () => {
    const v = vectors.find((x) => x.id === "wechatpy-work-encrypt-fixed-random")!;
    const peer = new WecomCallbackPeer({ token: v.token, encodingAesKey: v.encoding_aes_key, receiveId: v.receive_id, envelope: "xml" });
    expect(peer.openReply(v.expect.reply_xml!).plaintext).toBe(v.plaintext);
    expect(() => peer.openReply(v.expect.reply_xml!.replaceAll("TimeStamp", "Timestamp"))).toThrow(/TimeStamp/);
    expect(() => peer.openReply(v.expect.reply_xml!.replace("407518b7", "407518b8"))).toThrow(/signature/);

    const bot = new WecomCallbackPeer({ token: "t", encodingAesKey: v.encoding_aes_key, receiveId: "", envelope: "json" });
    const encrypted = wecomEncrypt(v.encoding_aes_key, "{}", "");
    const good = { encrypt: encrypted, msgsignature: wecomSignature("t", "1", "2", encrypted), timestamp: "1", nonce: "2" };
    expect(bot.openReply(JSON.stringify(good)).plaintext).toBe("{}");
    const { msgsignature, ...rest } = good;
    expect(() => bot.openReply(JSON.stringify({ ...rest, msg_signature: msgsignature }))).toThrow(/msgsignature/);
  });
});
