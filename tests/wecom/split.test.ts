// Byte-limit splitting and truncation (pure). Real: UTF-8 byte counting. Faked: nothing; fast-check generates text.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitByBytes, truncateToBytes } from "../../src/transport/wecom/split.js";
import { stripLeadingMentions } from "../../src/transport/wecom/inbound.js";

describe("splitByBytes", () => {
  it("keeps every piece within the limit, loses nothing, and never cuts inside a character", () => {
    const text = fc.array(fc.oneof(fc.constantFrom("# 总馆\n", "## 城东分馆\n", "\n\n", "\n", "到馆", "😀", "a", " "), fc.string()), { maxLength: 200 }).map((parts) => parts.join(""));
    fc.assert(
      fc.property(text, fc.integer({ min: 4, max: 300 }), (input, max) => {
        const pieces = splitByBytes(input, max);
        expect(pieces.join("")).toBe(input);
        for (const piece of pieces) {
          expect(Buffer.byteLength(piece)).toBeLessThanOrEqual(max);
          expect(Buffer.from(piece, "utf8").toString("utf8")).toBe(piece); // no lone surrogate halves
        }
      }),
    );
  });

  it("prefers section boundaries, then paragraphs", () => {
    const md = "# 总馆\n到馆 35 人\n\n借阅 20 册\n# 城东分馆\n到馆 12 人\n";
    expect(splitByBytes(md, 40)).toEqual(["# 总馆\n到馆 35 人\n\n借阅 20 册\n", "# 城东分馆\n到馆 12 人\n"]);
    expect(splitByBytes("段一\n\n段二\n\n段三", 12)).toEqual(["段一\n\n", "段二\n\n", "段三"]);
  });
});

describe("truncateToBytes", () => {
  it("cuts on a character boundary and marks the cut", () => {
    const cut = truncateToBytes("馆".repeat(100), 60);
    expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(60);
    expect(cut.endsWith("…（内容过长，已截断）")).toBe(true);
    expect(truncateToBytes("短", 60)).toBe("短");
  });
});

describe("stripLeadingMentions", () => {
  it.each([
    ["@图书馆助手 今日到馆 35人", "今日到馆 35人"],
    ["@图书馆助手\u2005今日到馆 35人", "今日到馆 35人"],
    ["@图书馆助手 @张三 捐赠图书 120册", "捐赠图书 120册"],
    ["今日到馆 35人 @张三", "今日到馆 35人 @张三"],
    ["@图书馆助手", ""],
  ])("%j → %j", (input, expected) => {
    expect(stripLeadingMentions(input)).toBe(expected);
  });
});
