// npx tsx bench/webhook.ts [--messages 400] [--concurrency 8] [--provider sqlite|postgresql]
// The whole inbound path under load, as WeCom would drive it: signed, encrypted 1:1 callbacks over real HTTP on
// loopback into the real service (signature check, AES, XML, bot core, parser, ledger on a real database),
// each answered with an encrypted passive reply that is opened and checked. Then the same messages again as
// WeCom redeliveries, which must come back identical without new records. Prints figures; asserts only
// correctness, never time.
import { parseArgs } from "node:util";
import { loadConfig } from "../src/config/load.js";
import { silentLogger } from "../src/log.js";
import { startService } from "../src/main.js";
import { FakeWecomApi, WecomCallbackPeer, appTextXml } from "../tests/fakes/fake-wecom.js";
import { freshDatabaseUrl } from "../tests/helpers/db.js";

const { values } = parseArgs({
  options: {
    messages: { type: "string", default: "400" },
    concurrency: { type: "string", default: "8" },
    provider: { type: "string", default: "sqlite" },
  },
});
const total = Number(values.messages);
const concurrency = Number(values.concurrency);
const provider = values.provider === "postgresql" ? "postgresql" : "sqlite";

const CORP_ID = "wwlibtallybench01";
const TOKEN = "benchToken";
const AES_KEY = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C";
const STAFF = ["zhangsan", "lisi", "wangwu", "zhaoliu"];
const TEXTS = ["到馆{n}人", "借阅{n}册次", "还书{n}本", "捐赠图书{n}册", "今天讲座1场 参与{n}人次"];

const api = new FakeWecomApi({ corpId: CORP_ID, corpSecret: "benchSecret", agentId: 1000002, webhookKeys: [] });
const apiBase = await api.start();
const { url: databaseUrl, remove } = await freshDatabaseUrl(provider);
const config = loadConfig({
  env: {
    DATABASE_URL: databaseUrl,
    HOST: "127.0.0.1",
    PORT: "0",
    WECOM_CORP_ID: CORP_ID,
    WECOM_AGENT_ID: "1000002",
    WECOM_APP_SECRET: "benchSecret",
    WECOM_APP_TOKEN: TOKEN,
    WECOM_APP_AES_KEY: AES_KEY,
    WECOM_API_BASE: apiBase,
  },
  configPath: "config/libtally.example.json",
});
const service = await startService({ config, log: silentLogger });
const peer = new WecomCallbackPeer({ token: TOKEN, encodingAesKey: AES_KEY, receiveId: CORP_ID, envelope: "xml" });

/** Distinct days per message so that day counters never ask 改为还是再加 and every message is stored. */
function message(i: number) {
  const day = new Date(Date.UTC(2026, 0, 1) + (i % 300) * 86_400_000);
  const text = `补报${day.getUTCMonth() + 1}月${day.getUTCDate()}日 ${TEXTS[Math.floor(i / 300) % TEXTS.length]!.replace("{n}", String(20 + (i % 50)))}`;
  const createTime = Math.floor(Date.now() / 1000);
  return appTextXml({ corpId: CORP_ID, from: STAFF[i % STAFF.length]!, content: text, msgId: String(8_000_000_000_000_000 + i), createTime });
}

async function deliver(xml: string): Promise<{ ms: number; reply: string }> {
  const sealed = peer.callback(xml);
  const started = performance.now();
  const response = await fetch(`${service.url}/wecom/app?${sealed.query}`, { method: "POST", body: sealed.body });
  const body = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`callback answered ${response.status}: ${body}`);
  // Compare what the user reads: the envelope's own CreateTime is the time of each reply.
  const plaintext = body ? peer.openReply(body).plaintext : "";
  return { ms, reply: /<Content><!\[CDATA\[([\s\S]*?)\]\]><\/Content>/.exec(plaintext)?.[1] ?? plaintext };
}

async function run(label: string, payloads: string[]) {
  const latencies: number[] = [];
  const replies: string[] = new Array(payloads.length);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < payloads.length) {
        const index = next++;
        const { ms, reply } = await deliver(payloads[index]!);
        latencies.push(ms);
        replies[index] = reply;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1);
  console.log(
    `${label.padEnd(12)} ${payloads.length} callbacks, concurrency ${concurrency}: ${(payloads.length / seconds).toFixed(0)}/s, ` +
      `latency p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms, max ${pct(1)} ms`,
  );
  return replies;
}

try {
  const payloads = Array.from({ length: total }, (_, i) => message(i));
  console.log(`webhook path on ${provider} (${service.db.display})`);
  await run("warm-up", payloads.slice(0, 20).map((_, i) => message(total + i)));
  const first = await run("new", payloads);
  const factsAfterFirst = await service.db.prisma.fact.count();
  const again = await run("redelivered", payloads);
  const factsAfterAgain = await service.db.prisma.fact.count();
  const mismatch = again.findIndex((reply, i) => reply !== first[i]);
  const identical = mismatch === -1;
  if (!identical) console.log(`first mismatch #${mismatch}:\n  ${first[mismatch]}\n  ${again[mismatch]}`);
  const stored = first.filter((reply) => reply.includes("已记录")).length;
  console.log(`stored replies ${stored}/${total}; redeliveries identical: ${identical}; facts ${factsAfterFirst} → ${factsAfterAgain}`);
  if (!identical || factsAfterAgain !== factsAfterFirst) process.exitCode = 1;
} finally {
  await service.stop();
  await api.stop();
  await remove();
}
process.exit();
