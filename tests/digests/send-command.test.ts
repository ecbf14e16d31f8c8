// `summary --send` and `digest --send` as an operator runs them: the real CLI in a child process, the real
// outbox on a real database, and the fake WeCom's group robot on loopback. The posts are enqueued under the
// schedule's dedupe keys and delivered by one dispatcher pass; running the command again posts nothing twice.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeWecomApi } from "../fakes/fake-wecom.js";
import { runCli } from "../helpers/cli.js";
import { createTestDatabase, PROVIDERS, type TestDatabase } from "../helpers/db.js";
import { insertFacts, type FactRow } from "./helpers.js";

const ROBOT_KEY = "robot-key-cli";

function weekOfVisits(): FactRow[] {
  // 2026-W45: 2–8 November (a week already over when this was written: the CLI runs on the real clock).
  return Array.from({ length: 7 }, (_, i) => ({ metric: "visits", value: 100 + i, unit: "人次", from: `2026-11-0${2 + i}`, branch: "总馆" }));
}

describe.each(PROVIDERS)("--send through the outbox on %s", (provider) => {
  let test: TestDatabase;
  let fake: FakeWecomApi;
  let env: Record<string, string>;
  let cwd: string;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    await insertFacts(test.db.prisma, [...weekOfVisits(), { metric: "visits", value: 9000, unit: "人次", from: "2026-07-01", to: "2026-09-30", branch: "总馆" }]);
    fake = new FakeWecomApi({ corpId: "wwunused", corpSecret: "unused", agentId: 1, webhookKeys: [ROBOT_KEY] });
    // A directory without .env or libtally.config.json: the example site, and only the settings given here.
    cwd = mkdtempSync(join(tmpdir(), "libtally-send-"));
    env = { CWD: cwd, DATABASE_URL: test.url, WECOM_API_BASE: await fake.start(), WECOM_WEBHOOK_KEY: ROBOT_KEY };
  });
  afterAll(async () => {
    await fake?.stop();
    await test?.drop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it("summary --send delivers the markdown and the Word file to the group robot, once", async () => {
    const run = await runCli(["summary", "--period", "2026-Q3", "--send"], env);
    expect(run.stderr).toMatch(/summary 2026-Q3 v1 \(new version\), queued for the group \(\d+ message\(s\) \+ .+\.docx\)/);
    expect(run.code).toBe(0);
    const markdown = fake.deliveriesTo("webhook/send").filter((d) => d.msgtype === "markdown");
    expect(markdown[0]!.content).toContain("# 示例区图书馆2026年第三季度工作总结");
    expect(markdown[0]!.content).toContain("本季度共接待读者9000人次");
    expect(fake.uploads.map((u) => u.filename)).toEqual(["示例区图书馆2026年第三季度工作总结（草稿第1版）.docx"]);
    const sent = fake.deliveriesTo("webhook/send").length;
    expect(run.stderr).toContain(`outbox: ${sent} sent`);

    // The same version again (the schedule ran too, or the operator repeated it): nothing is posted twice.
    const again = await runCli(["summary", "--period", "2026-Q3", "--send"], env);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain("summary 2026-Q3 v1,");
    expect(again.stderr).toContain("outbox: 0 sent");
    expect(fake.deliveriesTo("webhook/send")).toHaveLength(sent);
    expect(await test.db.prisma.outboxMessage.count({ where: { status: { not: "sent" } } })).toBe(0);
  });

  it("digest --send posts the week with its chart", async () => {
    const before = fake.deliveriesTo("webhook/send").length;
    const run = await runCli(["digest", "--week", "2026-W45", "--send"], env);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/digest 2026-W45 v1 \(new version\), \d+ message\(s\), queued for the group \(\d+ message\(s\) \+ chart\)/);
    const posted = fake.deliveriesTo("webhook/send").slice(before);
    expect(posted.find((d) => d.msgtype === "markdown")!.content).toContain(`- 到馆：${weekOfVisits().reduce((sum, r) => sum + r.value, 0)}人次`);
    expect(posted.at(-1)!.msgtype).toBe("file");
    expect(fake.uploads.at(-1)!.filename).toBe("示例区图书馆2026年第45周数据简报.png");
  });

  it("--send without a group robot says which setting is missing", async () => {
    const run = await runCli(["summary", "--period", "2026-Q3", "--send"], { ...env, WECOM_WEBHOOK_KEY: "" });
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("WECOM_WEBHOOK_KEY");
  });
});
