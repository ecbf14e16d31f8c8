// src/transport/wecom/crypto.ts against all 18 official/peer vectors, then against bad input.
// Real: AES, SHA-1, the vectors file (../shared/fixtures/wecom-vectors.json). Faked: nothing.
import { createCipheriv, createDecipheriv } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  DecryptError,
  SignatureError,
  decrypt,
  encrypt,
  isValidSignature,
  pkcs7Pad,
  signature,
  verifySignature,
} from "../../src/transport/wecom/crypto.js";
import { encryptFromAppBody, encryptFromBotBody, parseAppMessage, parseXmlStrictly } from "../../src/transport/wecom/envelope.js";
import { encryptOf, queryOf, vectors, type Vector } from "./vectors.js";

const byKind = (kind: Vector["kind"]) => vectors.filter((v) => v.kind === kind);

describe("official vectors", () => {
  it("has all 18", () => {
    expect(vectors).toHaveLength(18);
  });

  it.each(byKind("verify_url").map((v) => [v.id, v] as const))("URL verification %s", (_id, v) => {
    const q = queryOf(v);
    expect(isValidSignature(v.token, q.timestamp, q.nonce, q.echostr!, q.msg_signature)).toBe(v.expect.signature_valid);
    if (v.expect.signature_valid) {
      const opened = decrypt(v.encoding_aes_key, q.echostr!, v.receive_id);
      expect(opened.message).toBe(v.expect.plaintext);
      expect(opened.receiveId).toBe(v.expect.receive_id);
    } else {
      expect(() => verifySignature(v.token, q.timestamp, q.nonce, q.echostr!, q.msg_signature)).toThrow(SignatureError);
    }
  });

  it.each(byKind("decrypt_post").map((v) => [v.id, v] as const))("callback %s", (_id, v) => {
    const q = queryOf(v);
    // Through our own envelope readers where the envelope is one WeCom sends to us.
    const encrypted =
      v.envelope === "xml" ? encryptFromAppBody(v.body!) : v.envelope === "json" && v.json_encrypt_key === "encrypt" ? encryptFromBotBody(v.body!) : encryptOf(v);
    expect(encrypted).toBe(encryptOf(v));
    expect(isValidSignature(v.token, q.timestamp, q.nonce, encrypted, q.msg_signature)).toBe(v.expect.signature_valid);
    const opened = decrypt(v.encoding_aes_key, encrypted, v.receive_id);
    expect(opened.message).toBe(v.expect.plaintext);
    expect(opened.receiveId).toBe(v.expect.receive_id);
    if (v.expect.random_ascii) expect(opened.random.toString("latin1")).toBe(v.expect.random_ascii);
    if (v.expect.xml_fields) {
      const fields = parseXmlStrictly(opened.message);
      for (const [name, value] of Object.entries(v.expect.xml_fields)) expect(fields[name]).toBe(value);
    }
  });

  it.each(byKind("encrypt_fixed_random").map((v) => [v.id, v] as const))("encryption reproduces %s byte for byte", (_id, v) => {
    const encrypted = encrypt(v.encoding_aes_key, v.plaintext!, v.receive_id, Buffer.from(v.random_ascii!, "ascii"));
    expect(encrypted).toBe(v.expect.encrypt);
    expect(signature(v.token, v.timestamp!, v.nonce!, encrypted)).toBe(v.expect.msg_signature);
    if (v.expect.reply_xml) {
      const reply = parseXmlStrictly(v.expect.reply_xml);
      expect(reply).toMatchObject({ Encrypt: encrypted, MsgSignature: v.expect.msg_signature, TimeStamp: v.timestamp, Nonce: v.nonce });
    }
  });

  it.each(byKind("pkcs7_pad").map((v) => [v.id, v] as const))("PKCS#7 to 32 bytes: %s", (_id, v) => {
    for (const c of v.cases!) {
      const padded = pkcs7Pad(Buffer.alloc(c.input_len, 0x61));
      expect(padded.length).toBe(c.input_len + c.pad_len);
      expect([...padded.subarray(c.input_len)]).toEqual(Array(c.pad_len).fill(c.pad_byte));
    }
  });

  it("keeps a 64-bit MsgId exact", () => {
    const v = vectors.find((x) => x.id === "official-classic-post-xml")!;
    const message = parseAppMessage(decrypt(v.encoding_aes_key, encryptOf(v), v.receive_id).message);
    expect(message.msgId).toBe("4561255354251345929");
  });
});

describe("bad input", () => {
  const classic = vectors.find((v) => v.id === "official-classic-post-xml")!;
  const aibot = vectors.find((v) => v.id === "generated-aibot-json-empty-receiveid")!;
  const encrypted = encryptOf(classic);
  const reasonOf = (fn: () => unknown) => {
    try {
      fn();
    } catch (error) {
      if (error instanceof DecryptError) return error.reason;
      throw error;
    }
    throw new Error("expected a DecryptError");
  };

  it("refuses a signature of the wrong length or case-mangled hex without throwing", () => {
    const q = queryOf(classic);
    expect(isValidSignature(classic.token, q.timestamp, q.nonce, encrypted, q.msg_signature.slice(1))).toBe(false);
    expect(isValidSignature(classic.token, q.timestamp, q.nonce, encrypted, "")).toBe(false);
    expect(isValidSignature(classic.token, q.timestamp, q.nonce, encrypted, q.msg_signature.toUpperCase())).toBe(true);
    expect(isValidSignature("other", q.timestamp, q.nonce, encrypted, q.msg_signature)).toBe(false);
  });

  it("refuses malformed base64, including a '+' that became a space", () => {
    expect(reasonOf(() => decrypt(classic.encoding_aes_key, encrypted.replaceAll("+", " "), classic.receive_id))).toBe("base64");
    expect(reasonOf(() => decrypt(classic.encoding_aes_key, "not base64!", classic.receive_id))).toBe("base64");
    expect(reasonOf(() => decrypt(classic.encoding_aes_key, "", classic.receive_id))).toBe("base64");
    expect(reasonOf(() => decrypt(classic.encoding_aes_key, "QUJD", classic.receive_id))).toBe("block-length");
  });

  it("refuses the wrong key", () => {
    const otherKey = vectors.find((v) => v.id === "wechatpy-work-post-xml")!.encoding_aes_key;
    expect(["padding", "length", "encoding", "receive-id"]).toContain(reasonOf(() => decrypt(otherKey, encrypted, classic.receive_id)));
    expect(reasonOf(() => decrypt("short", encrypted, classic.receive_id))).toBe("aes-key");
  });

  it("refuses the wrong receive id: another corp, and the aibot's empty id on an app message", () => {
    expect(reasonOf(() => decrypt(classic.encoding_aes_key, encrypted, "wwsomeoneelse"))).toBe("receive-id");
    expect(reasonOf(() => decrypt(classic.encoding_aes_key, encrypted, ""))).toBe("receive-id");
    expect(reasonOf(() => decrypt(aibot.encoding_aes_key, encryptOf(aibot), "wx5823bf96d3bd56c7"))).toBe("receive-id");
  });

  it("refuses a length prefix pointing past the plaintext", () => {
    const key = classic.encoding_aes_key;
    // Build a plaintext whose length field claims more bytes than present, with valid padding.
    const ok = encrypt(key, "hi", "corp", Buffer.alloc(16, 0x41));
    const keyBytes = Buffer.from(key + "=", "base64");
    const d = createDecipheriv("aes-256-cbc", keyBytes, keyBytes.subarray(0, 16)).setAutoPadding(false);
    const plain = Buffer.concat([d.update(Buffer.from(ok, "base64")), d.final()]);
    plain.writeUInt32BE(1000, 16);
    const c = createCipheriv("aes-256-cbc", keyBytes, keyBytes.subarray(0, 16)).setAutoPadding(false);
    const forged = Buffer.concat([c.update(plain), c.final()]).toString("base64");
    expect(reasonOf(() => decrypt(key, forged, "corp"))).toBe("length");
  });

  it("round-trips Chinese text and counts bytes, not characters", () => {
    const key = classic.encoding_aes_key;
    for (const text of ["", "今日到馆 35人", "馆".repeat(11), "a".repeat(28)]) {
      const sealed = encrypt(key, text, "");
      expect(decrypt(key, sealed, "").message).toBe(text);
    }
  });
});
