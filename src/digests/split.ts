// WeCom caps a group-robot markdown message at 4096 bytes of UTF-8. A long digest or draft goes out as several
// messages, cut between sections where possible, else between lines, and as a last resort between characters —
// never inside a character (a Chinese character is three bytes, an emoji four).

export const WECOM_MARKDOWN_MAX_BYTES = 4096;

const encoder = new TextEncoder();

export function byteLength(text: string): number {
  return encoder.encode(text).length;
}

/** Cuts one over-long line into pieces of at most `maxBytes`, on code point boundaries. */
function splitLine(line: string, maxBytes: number): string[] {
  const pieces: string[] = [];
  let current = "";
  let size = 0;
  for (const char of line) {
    const charSize = byteLength(char);
    if (size + charSize > maxBytes && current) {
      pieces.push(current);
      current = "";
      size = 0;
    }
    current += char;
    size += charSize;
  }
  if (current) pieces.push(current);
  return pieces;
}

/** Packs text units into messages joined by `separator`, each within `maxBytes`. */
function pack(units: readonly string[], separator: string, maxBytes: number): string[] {
  const messages: string[] = [];
  let current = "";
  for (const unit of units) {
    const candidate = current ? `${current}${separator}${unit}` : unit;
    if (byteLength(candidate) <= maxBytes) {
      current = candidate;
      continue;
    }
    if (current) messages.push(current);
    current = unit;
  }
  if (current) messages.push(current);
  return messages;
}

/**
 * Blocks (sections) → messages of at most `maxBytes` bytes. Whole sections travel together; a section larger
 * than one message is cut between its lines, and a single over-long line between characters.
 */
export function splitMarkdown(blocks: readonly string[], maxBytes = WECOM_MARKDOWN_MAX_BYTES): string[] {
  const units: string[] = [];
  for (const block of blocks) {
    if (byteLength(block) <= maxBytes) {
      units.push(block);
      continue;
    }
    const lines = block.split("\n").flatMap((line) => (byteLength(line) <= maxBytes ? [line] : splitLine(line, maxBytes)));
    units.push(...pack(lines, "\n", maxBytes));
  }
  return pack(units, "\n\n", maxBytes);
}
