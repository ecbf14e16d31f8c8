// WeCom callback crypto (企业微信 回调加解密): pure functions, no I/O, no clock.
//
// One scheme serves both channels: the self-built app (receive id = corpid) and the aibot (receive id = "").
//   signature = sha1_hex(concat(sort_bytewise([token, timestamp, nonce, encryptOrEchostr])))
//   key       = base64decode(EncodingAESKey + "=")  (32 bytes), IV = key[0..16]
//   plaintext = random(16) | uint32be(len(msg)) | msg | receiveId, PKCS#7-padded to a multiple of 32
// See ../shared/docs/wecom.md §1. `@wecom/crypto` checks neither the padding nor the receive id, which is why
// this module exists: every check below is one a wrong key or a forged body would otherwise slip through.
import { createCipheriv, createDecipheriv, createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** WeCom pads to 32-byte blocks, not AES's 16 (doc path/91144). */
export const WECOM_PAD_BLOCK = 32;
const RANDOM_PREFIX_BYTES = 16;
const LENGTH_FIELD_BYTES = 4;

/** The signature did not match: the request is forged, or the Token differs from the admin console. */
export class SignatureError extends Error {
  override name = "SignatureError";
  readonly code = "WECOM_SIGNATURE";
}

export type DecryptFailure =
  | "aes-key" // the EncodingAESKey does not decode to 32 bytes
  | "base64" // not canonical standard base64 (a '+' turned into ' ' by a bad URL decode lands here)
  | "block-length" // ciphertext empty or not a multiple of the AES block
  | "padding" // pad byte outside 1..32 or pad bytes inconsistent: almost always the wrong key
  | "length" // the length prefix points outside the plaintext
  | "encoding" // the message is not UTF-8
  | "receive-id"; // decrypted fine but addressed to another corp/app

/** Decryption failed after the signature was accepted; `reason` says which check refused it. */
export class DecryptError extends Error {
  override name = "DecryptError";
  readonly code = "WECOM_DECRYPT";
  constructor(
    readonly reason: DecryptFailure,
    message: string,
  ) {
    super(`${reason}: ${message}`);
  }
}

/** Decodes the 43-character EncodingAESKey into the 32-byte AES key. */
export function decodeAesKey(encodingAesKey: string): Buffer {
  if (!/^[A-Za-z0-9+/]{43}$/.test(encodingAesKey)) {
    throw new DecryptError("aes-key", "EncodingAESKey must be 43 characters of base64 (check WECOM_*_AES_KEY)");
  }
  const key = Buffer.from(`${encodingAesKey}=`, "base64");
  if (key.length !== 32) throw new DecryptError("aes-key", `EncodingAESKey decodes to ${key.length} bytes, expected 32`);
  return key;
}

/** msg_signature over the four values; `encrypt` is the echostr on URL verification. */
export function signature(token: string, timestamp: string, nonce: string, encrypt: string): string {
  // Byte-wise sort, as the official samples do; identical to the JS default sort for the ASCII that occurs.
  const parts = [token, timestamp, nonce, encrypt].map((part) => Buffer.from(part, "utf8")).sort(Buffer.compare);
  return createHash("sha1").update(Buffer.concat(parts)).digest("hex");
}

/** Constant-time check of a received msg_signature. Never throws; false for anything malformed. */
export function isValidSignature(
  token: string,
  timestamp: string,
  nonce: string,
  encrypt: string,
  receivedSignature: string,
): boolean {
  const expected = Buffer.from(signature(token, timestamp, nonce, encrypt), "utf8");
  const received = Buffer.from(receivedSignature.toLowerCase(), "utf8");
  // timingSafeEqual needs equal lengths; the length of a hex SHA-1 is public, so this early exit leaks nothing.
  if (received.length !== expected.length) return false;
  return timingSafeEqual(expected, received);
}

/** Throwing form of {@link isValidSignature}. */
export function verifySignature(
  token: string,
  timestamp: string,
  nonce: string,
  encrypt: string,
  receivedSignature: string,
): void {
  if (!isValidSignature(token, timestamp, nonce, encrypt, receivedSignature)) {
    throw new SignatureError("msg_signature does not match: the request is forged or the Token differs from the admin console");
  }
}

function decodeStrictBase64(text: string): Buffer {
  if (text.length === 0 || text.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    throw new DecryptError("base64", `not standard base64 (length ${text.length})`);
  }
  const bytes = Buffer.from(text, "base64");
  // Node's decoder is lenient; a round trip catches non-canonical trailing bits.
  if (bytes.toString("base64") !== text) throw new DecryptError("base64", "not canonical base64");
  return bytes;
}

/** PKCS#7 padding to a multiple of 32 bytes: always 1..32 bytes of value n. */
export function pkcs7Pad(data: Buffer, block = WECOM_PAD_BLOCK): Buffer {
  const padLength = block - (data.length % block);
  return Buffer.concat([data, Buffer.alloc(padLength, padLength)]);
}

function pkcs7Unpad(data: Buffer): Buffer {
  const padLength = data[data.length - 1] ?? 0;
  if (padLength < 1 || padLength > WECOM_PAD_BLOCK || padLength > data.length) {
    throw new DecryptError("padding", `pad byte ${padLength} outside 1..${WECOM_PAD_BLOCK}; wrong EncodingAESKey?`);
  }
  for (let i = data.length - padLength; i < data.length; i++) {
    if (data[i] !== padLength) throw new DecryptError("padding", "inconsistent pad bytes; wrong EncodingAESKey?");
  }
  return data.subarray(0, data.length - padLength);
}

export interface Decrypted {
  /** The message (XML for the app, JSON for the aibot, the echo string on URL verification). */
  message: string;
  receiveId: string;
  /** The 16-byte random prefix, opaque bytes (not always ASCII). */
  random: Buffer;
}

/**
 * Strict decryption. `expectedReceiveId` is the corpid for the self-built app and "" for the aibot;
 * pass `null` only for diagnostics (the replay command's --any-receive-id).
 */
export function decrypt(encodingAesKey: string, encrypted: string, expectedReceiveId: string | null): Decrypted {
  const key = decodeAesKey(encodingAesKey);
  const ciphertext = decodeStrictBase64(encrypted);
  if (ciphertext.length % 16 !== 0) {
    throw new DecryptError("block-length", `ciphertext is ${ciphertext.length} bytes, not a multiple of 16`);
  }
  const decipher = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16));
  decipher.setAutoPadding(false); // WeCom's 32-byte padding is checked below; OpenSSL's 16-byte rule would refuse pad 17..32
  const padded = Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  const plain = pkcs7Unpad(padded);
  if (plain.length < RANDOM_PREFIX_BYTES + LENGTH_FIELD_BYTES) {
    throw new DecryptError("length", `plaintext is ${plain.length} bytes, shorter than its header`);
  }
  const messageLength = plain.readUInt32BE(RANDOM_PREFIX_BYTES);
  const messageStart = RANDOM_PREFIX_BYTES + LENGTH_FIELD_BYTES;
  if (messageStart + messageLength > plain.length) {
    throw new DecryptError("length", `length prefix ${messageLength} exceeds the ${plain.length - messageStart} bytes present`);
  }
  const utf8 = new TextDecoder("utf-8", { fatal: true });
  let message: string;
  let receiveId: string;
  try {
    message = utf8.decode(plain.subarray(messageStart, messageStart + messageLength));
    receiveId = utf8.decode(plain.subarray(messageStart + messageLength));
  } catch {
    throw new DecryptError("encoding", "message or receive id is not valid UTF-8");
  }
  if (expectedReceiveId !== null && receiveId !== expectedReceiveId) {
    throw new DecryptError(
      "receive-id",
      `receive id ${JSON.stringify(receiveId)} is not ${JSON.stringify(expectedReceiveId)} (corpid for the app, empty for the aibot)`,
    );
  }
  return { message, receiveId, random: plain.subarray(0, RANDOM_PREFIX_BYTES) };
}

/** Alphanumeric, like the official samples; some peers mishandle binary prefixes. */
export function randomPrefix(): Buffer {
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  return Buffer.from(Array.from(randomBytes(RANDOM_PREFIX_BYTES), (b) => alphabet[b % alphabet.length]).join(""), "ascii");
}

/** Encrypts `message` for `receiveId`. `random` (16 bytes) is injectable so tests can reproduce vectors. */
export function encrypt(encodingAesKey: string, message: string, receiveId: string, random: Buffer = randomPrefix()): string {
  if (random.length !== RANDOM_PREFIX_BYTES) throw new RangeError(`random prefix must be ${RANDOM_PREFIX_BYTES} bytes`);
  const key = decodeAesKey(encodingAesKey);
  const messageBytes = Buffer.from(message, "utf8");
  const lengthField = Buffer.alloc(LENGTH_FIELD_BYTES);
  lengthField.writeUInt32BE(messageBytes.length);
  const plain = pkcs7Pad(Buffer.concat([random, lengthField, messageBytes, Buffer.from(receiveId, "utf8")]));
  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16));
  cipher.setAutoPadding(false);
  return Buffer.concat([cipher.update(plain), cipher.final()]).toString("base64");
}
