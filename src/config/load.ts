// loadConfig: the one place that reads the environment and the site file. Everything else receives a Config.
import { existsSync, readFileSync } from "node:fs";
import { extname, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import type { z } from "zod";
import { envSchema, type Env } from "./env.js";
import { buildCatalogue } from "../catalogue/index.js";
import { siteConfigSchema, type SiteConfig } from "./site.js";

export const EXAMPLE_CONFIG_PATH = resolve(import.meta.dirname, "../../config/libtally.example.json");
export const DEFAULT_CONFIG_PATH = "libtally.config.json";

export interface Channels {
  /** 自建应用: 1:1 callbacks and message/send. */
  app?: { corpId: string; agentId: string; secret: string; token: string; aesKey: string };
  /** 智能机器人: group @-mentions. */
  bot?: { token: string; aesKey: string };
  /** 群机器人 webhook for posting into the staff group. */
  webhook?: { key: string };
}

export interface Config {
  env: Env;
  site: SiteConfig;
  /** Where the site config was read from. */
  sitePath: string;
  /** The shipped example is in use because no config was given. */
  usingExample: boolean;
  channels: Channels;
}

/** A setting is wrong: the message names it and says what is wrong, fit for one line on stderr. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

function describeIssues(source: string, error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.length
        ? issue.path.map((part, i) => (typeof part === "number" ? `[${part}]` : `${i ? "." : ""}${String(part)}`)).join("")
        : "(top level)";
      return `${source}: ${path}: ${issue.message}`;
    })
    .join("; ");
}

/** Reads `.env` (if present) into the environment without overriding what is already set. */
export function loadDotEnv(path = ".env", env: NodeJS.ProcessEnv = process.env): void {
  if (!existsSync(path)) return;
  const before = { ...env };
  process.loadEnvFile(path);
  Object.assign(env, before);
}

export function parseEnv(env: NodeJS.ProcessEnv): Env {
  const result = envSchema.safeParse(env);
  if (!result.success) throw new ConfigError(describeIssues("environment", result.error));
  return result.data;
}

export function readSiteConfig(path: string): SiteConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ConfigError(`site config ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  let data: unknown;
  try {
    data = [".yaml", ".yml"].includes(extname(path).toLowerCase()) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`site config ${path} is not valid ${extname(path).slice(1).toUpperCase() || "JSON"}: ${(error as Error).message}`);
  }
  const result = siteConfigSchema.safeParse(data);
  if (!result.success) throw new ConfigError(describeIssues(`site config ${path}`, result.error));
  const problems = crossCheck(result.data);
  if (problems.length) throw new ConfigError(problems.map((problem) => `site config ${path}: ${problem}`).join("; "));
  return result.data;
}

/** What the schema alone cannot see: metric keys that the catalogue does not know (a typo would otherwise
 * print "visitors：年度目标…" in a digest or add aliases to nothing), people listed twice, impossible dates. */
function crossCheck(site: SiteConfig): string[] {
  const known = new Set(buildCatalogue(site).metrics.map((metric) => metric.key));
  const problems: string[] = [];
  for (const key of Object.keys(site.aliases)) {
    if (!known.has(key)) problems.push(`aliases.${key}: "${key}" is not a metric key (see docs/parsing.md or the catalogue)`);
  }
  for (const [year, targets] of Object.entries(site.targets)) {
    for (const key of Object.keys(targets)) {
      if (!known.has(key)) problems.push(`targets.${year}.${key}: "${key}" is not a metric key`);
    }
  }
  const seen = new Set<string>();
  site.people.forEach((person, i) => {
    if (seen.has(person.userid)) problems.push(`people[${i}].userid: "${person.userid}" is listed twice`);
    seen.add(person.userid);
  });
  for (const list of ["closed", "open"] as const) {
    site.calendar[list].forEach((day, i) => {
      const parsed = new Date(`${day}T00:00:00Z`);
      if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day) problems.push(`calendar.${list}[${i}]: ${day} is not a real date`);
    });
  }
  return problems;
}

function channelsFrom(env: Env): Channels {
  const channels: Channels = {};
  const appParts = {
    WECOM_CORP_ID: env.WECOM_CORP_ID,
    WECOM_AGENT_ID: env.WECOM_AGENT_ID,
    WECOM_APP_SECRET: env.WECOM_APP_SECRET,
    WECOM_APP_TOKEN: env.WECOM_APP_TOKEN,
    WECOM_APP_AES_KEY: env.WECOM_APP_AES_KEY,
  };
  const missing = Object.entries(appParts).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length === 0) {
    channels.app = {
      corpId: env.WECOM_CORP_ID!,
      agentId: env.WECOM_AGENT_ID!,
      secret: env.WECOM_APP_SECRET!,
      token: env.WECOM_APP_TOKEN!,
      aesKey: env.WECOM_APP_AES_KEY!,
    };
  } else if (missing.length < Object.keys(appParts).length) {
    throw new ConfigError(`environment: the self-built app channel is half configured; missing ${missing.join(", ")}`);
  }
  if (env.WECOM_BOT_TOKEN && env.WECOM_BOT_AES_KEY) {
    channels.bot = { token: env.WECOM_BOT_TOKEN, aesKey: env.WECOM_BOT_AES_KEY };
  } else if (env.WECOM_BOT_TOKEN || env.WECOM_BOT_AES_KEY) {
    throw new ConfigError(
      `environment: the aibot channel needs both WECOM_BOT_TOKEN and WECOM_BOT_AES_KEY; ${env.WECOM_BOT_TOKEN ? "WECOM_BOT_AES_KEY" : "WECOM_BOT_TOKEN"} is missing`,
    );
  }
  if (env.WECOM_WEBHOOK_KEY) channels.webhook = { key: env.WECOM_WEBHOOK_KEY };
  return channels;
}

export interface LoadOptions {
  env?: NodeJS.ProcessEnv;
  /** --config on the command line; wins over LIBTALLY_CONFIG. */
  configPath?: string;
  /** Read `.env` from the working directory first (true for the CLI, false in tests). */
  dotEnv?: boolean;
}

export function loadConfig(options: LoadOptions = {}): Config {
  const rawEnv = options.env ?? process.env;
  if (options.dotEnv) loadDotEnv(".env", rawEnv);
  const env = parseEnv(rawEnv);
  const chosen = options.configPath ?? env.LIBTALLY_CONFIG ?? (existsSync(DEFAULT_CONFIG_PATH) ? DEFAULT_CONFIG_PATH : undefined);
  const sitePath = chosen ?? EXAMPLE_CONFIG_PATH;
  const site = readSiteConfig(sitePath);
  return Object.freeze({ env, site, sitePath, usingExample: chosen === undefined, channels: channelsFrom(env) });
}
