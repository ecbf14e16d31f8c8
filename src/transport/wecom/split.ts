// Byte limits of WeCom messages, and splitting long text to fit them. WeCom counts UTF-8 bytes, not JS
// string length: one Chinese character is 3 bytes, so "2048" means about 680 characters.

/** Per-message content limits in UTF-8 bytes (wecom.md §3.2, §3.4, §4.3). */
export const CONTENT_MAX_BYTES = {
  appText: 2048,
  appMarkdown: 2048,
  webhookText: 2048,
  webhookMarkdown: 4096,
  aibotMarkdown: 20480,
} as const;

export const byteLength = (text: string): number => Buffer.byteLength(text, "utf8");

/**
 * Splits `text` into pieces of at most `maxBytes` UTF-8 bytes that concatenate back to `text`. It prefers the
 * coarsest boundary that works: markdown sections (a line starting with #), then paragraphs, then lines,
 * then single characters (code points: never inside a character or a surrogate pair).
 *
 * @example splitByBytes("# 总馆\n到馆 35 人\n# 城东分馆\n到馆 12 人\n", 30) → ["# 总馆\n到馆 35 人\n", "# 城东分馆\n到馆 12 人\n"]
 */
export function splitByBytes(text: string, maxBytes: number): string[] {
  if (maxBytes < 4) throw new RangeError("maxBytes must allow at least one character (4 bytes)");
  return splitAt(text, maxBytes, 0);
}

const BOUNDARIES: Array<(text: string) => string[]> = [
  (text) => text.split(/(?=^#{1,6}\s)/m), // before each heading
  (text) => text.split(/(?<=\n\n)/), // after each blank line
  (text) => text.split(/(?<=\n)/), // after each line
  (text) => Array.from(text), // code points
];

function splitAt(text: string, maxBytes: number, level: number): string[] {
  if (byteLength(text) <= maxBytes) return text === "" ? [] : [text];
  const pieces = BOUNDARIES[level]!(text);
  const chunks: string[] = [];
  let current = "";
  for (const piece of pieces) {
    if (byteLength(piece) > maxBytes) {
      if (current) chunks.push(current);
      current = "";
      chunks.push(...splitAt(piece, maxBytes, level + 1));
    } else if (byteLength(current) + byteLength(piece) > maxBytes) {
      chunks.push(current);
      current = piece;
    } else {
      current += piece;
    }
  }
  if (current) chunks.push(current);
  return chunks;
}

/** Cuts `text` to at most `maxBytes` bytes on a character boundary, marking the cut. For one-shot channels. */
export function truncateToBytes(text: string, maxBytes: number, marker = "…（内容过长，已截断）"): string {
  if (byteLength(text) <= maxBytes) return text;
  const room = maxBytes - byteLength(marker);
  let kept = "";
  for (const char of text) {
    if (byteLength(kept) + byteLength(char) > room) break;
    kept += char;
  }
  return kept + marker;
}
