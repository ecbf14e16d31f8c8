// Reads a request body as raw text with a size cap. The callback routes cannot use a body parser: the
// signature covers the Encrypt field exactly as sent, and Koa body parsers drop or mangle text/xml
// (node-webot/co-wechat#27, koajs/koa-body#50).
import type { IncomingMessage } from "node:http";

export class BodyTooLargeError extends Error {
  override name = "BodyTooLargeError";
  readonly code = "WECOM_BODY_TOO_LARGE";
}

export async function readRawBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume(); // drain without buffering so the socket can still carry our 413
    throw new BodyTooLargeError(`declared body of ${declared} bytes exceeds ${maxBytes}`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      req.resume();
      throw new BodyTooLargeError(`body exceeds ${maxBytes} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Splits a raw query string, percent-decoding each value but leaving `+` alone: WeCom encodes `+` in echostr
 * as %2B, and a literal `+` that reached us is still a base64 `+`, never a space (the classic signature bug).
 */
export function parseQueryKeepingPlus(querystring: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const pair of querystring.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const name = eq === -1 ? pair : pair.slice(0, eq);
    const value = eq === -1 ? "" : pair.slice(eq + 1);
    try {
      result[decodeURIComponent(name)] = decodeURIComponent(value);
    } catch {
      // A malformed escape is dropped; the missing parameter is then reported by name.
    }
  }
  return result;
}
