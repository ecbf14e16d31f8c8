// Which short messages answer an open question. A message that merely starts like an answer (加油, 改天再说)
// must not double a day's figure or overwrite it.
import { describe, expect, it } from "vitest";
import { classifyAnswer } from "../../src/bot/pending.js";

describe("classifyAnswer", () => {
  it.each([
    ["改为", "replace"],
    ["改为80", "replace"],
    ["改成80人", "replace"],
    ["改", "replace"],
    ["加上", "add"],
    ["加上50人", "add"],
    ["再加20册", "add"],
    ["加", "add"],
    ["是的", "confirm"],
    ["取消", "cancel"],
  ])("%s → %s", (text, intent) => {
    expect(classifyAnswer(text)).toBe(intent);
  });

  it.each(["加油", "加油！", "加一下微信", "改天再说", "改时间了吗", "加班到几点"])("%s is not an answer", (text) => {
    expect(classifyAnswer(text)).toBeUndefined();
  });
});
