import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseJsonLine, readBranchesFile } from "../../commands/parse.ts";
import { buildCatalogue } from "../../src/catalogue/index.ts";
import { correctionToJson, queryToJson, recordToJson } from "../../src/parsing/json.ts";

const directory = { branches: [{ name: "城东分馆", aliases: ["东馆"] }], catalogue: buildCatalogue(), timezone: "Asia/Shanghai" };

describe("JSON mapping", () => {
  it("writes records in snake_case with ranges as from..to and subsets as a flag", () => {
    expect(recordToJson({ metric: "events", value: 40, unit: "场", approx: false, date: { from: "2026-01-01", to: "2026-11-18" }, eventType: "lecture", subsetOf: 0, subset: "讲座" }))
      .toEqual({ metric: "events", value: 40, unit: "场", approx: false, date: "2026-01-01..2026-11-18", event_type: "lecture", subset: true });
    expect(queryToJson({ metric: "visits", period: { from: "2026-11-18", to: "2026-11-18" }, aggregation: "compare", compare: "yoy", eventType: "lecture" }))
      .toEqual({ metric: "visits", period: "2026-11-18", aggregation: "compare", compare: "yoy", event_type: "lecture" });
    expect(correctionToJson({ action: "replace", target: { metric: "returns", oldValue: 75, last: false }, value: 57 }))
      .toEqual({ action: "replace", target: { metric: "returns", old_value: 75 }, value: 57 });
  });
});

describe("parse command", () => {
  it("parses one JSON line with its own now, and keeps bad lines aligned with an error", () => {
    const line = parseJsonLine(JSON.stringify({ text: "东馆\n昨天到馆35人", now: "2026-11-18T01:00:00Z" }), undefined, directory);
    expect(JSON.parse(line)).toEqual({ kind: "report", records: [{ metric: "visits", value: 35, unit: "人次", approx: false, date: "2026-11-17", branch: "城东分馆" }] });
    expect(JSON.parse(parseJsonLine("not json", undefined, directory))).toHaveProperty("error");
    expect(JSON.parse(parseJsonLine("{}", undefined, directory))).toHaveProperty("error");
  });

  it("reads a --branches file", () => {
    const dir = mkdtempSync(join(tmpdir(), "libtally-parse-"));
    const file = join(dir, "branches.json");
    writeFileSync(file, JSON.stringify([{ name: "城西分馆", aliases: ["西馆"] }, { name: "总馆" }]));
    expect(readBranchesFile(file)).toEqual([{ name: "城西分馆", aliases: ["西馆"] }, { name: "总馆", aliases: [] }]);
  });
});
