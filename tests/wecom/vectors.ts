// The 18 WeCom crypto vectors from ../shared/fixtures/wecom-vectors.json, each with its source, typed.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

export interface Vector {
  id: string;
  kind: "verify_url" | "decrypt_post" | "encrypt_fixed_random" | "pkcs7_pad";
  envelope?: "xml" | "json" | "raw";
  json_encrypt_key?: string;
  token: string;
  encoding_aes_key: string;
  receive_id: string;
  raw_query?: string;
  msg_signature?: string;
  timestamp?: string;
  nonce?: string;
  echostr?: string;
  body?: string;
  encrypt?: string;
  plaintext?: string;
  random_ascii?: string;
  cases?: Array<{ input_len: number; pad_byte: number; pad_len: number }>;
  expect: {
    signature_valid?: boolean;
    decrypts?: boolean;
    receive_id?: string;
    plaintext?: string;
    xml_fields?: Record<string, string>;
    encrypt?: string;
    msg_signature?: string;
    reply_xml?: string;
    random_ascii?: string;
  };
}

export const VECTORS_PATH = process.env.WECOM_VECTORS ?? resolve(import.meta.dirname, "../../../shared/fixtures/wecom-vectors.json");
type StoredVector = Omit<Vector, "expect"> & { expect?: Vector["expect"] };
export const vectors: Vector[] = (JSON.parse(readFileSync(VECTORS_PATH, "utf8")) as { vectors: StoredVector[] }).vectors.map((v) => ({
  ...v,
  expect: v.expect ?? {},
}));

/** The (msg_signature, timestamp, nonce, echostr) of a vector, from its raw query where it has one (percent-decoded). */
export function queryOf(v: Vector): { msg_signature: string; timestamp: string; nonce: string; echostr?: string } {
  const fromRaw: Record<string, string> = {};
  if (v.raw_query) {
    for (const pair of v.raw_query.split("&")) {
      const [name, value = ""] = pair.split("=");
      fromRaw[name!] = decodeURIComponent(value);
    }
  }
  const pick = (name: "msg_signature" | "timestamp" | "nonce" | "echostr") => fromRaw[name] ?? v[name];
  return { msg_signature: pick("msg_signature")!, timestamp: pick("timestamp")!, nonce: pick("nonce")!, echostr: pick("echostr") };
}

/** The Encrypt value a decrypt_post vector carries, from its envelope. */
export function encryptOf(v: Vector): string {
  if (v.envelope === "raw") return v.encrypt!;
  if (v.envelope === "json") return (JSON.parse(v.body!) as Record<string, string>)[v.json_encrypt_key ?? "encrypt"]!;
  const match = /<Encrypt><!\[CDATA\[([^\]]+)\]\]><\/Encrypt>/.exec(v.body!);
  return match![1]!;
}
