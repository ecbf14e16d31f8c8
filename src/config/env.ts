// Deployment settings and secrets from the environment, validated once at start.
import { z } from "zod";

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === "" ? undefined : v.trim()));

export const envSchema = z.object({
  DATABASE_URL: z
    .string()
    .default("file:./data/libtally.db")
    .refine((url) => /^(file:|postgres(ql)?:\/\/)/.test(url), {
      message: "must start with file: (SQLite) or postgresql:// (PostgreSQL)",
    }),
  HOST: z.string().default("127.0.0.1"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  LIBTALLY_CONFIG: optional,
  WECOM_CORP_ID: optional,
  WECOM_AGENT_ID: optional.refine((id) => id === undefined || /^\d+$/.test(id), {
    message: "must be the app's numeric AgentId from the WeCom admin console",
  }),
  WECOM_APP_SECRET: optional,
  WECOM_APP_TOKEN: optional,
  WECOM_APP_AES_KEY: optional.refine((k) => k === undefined || /^[A-Za-z0-9+/]{43}$/.test(k), {
    message: "must be the 43-character EncodingAESKey from the WeCom admin console",
  }),
  WECOM_BOT_TOKEN: optional,
  WECOM_BOT_AES_KEY: optional.refine((k) => k === undefined || /^[A-Za-z0-9+/]{43}$/.test(k), {
    message: "must be the 43-character EncodingAESKey from the WeCom admin console",
  }),
  WECOM_WEBHOOK_KEY: optional,
  WECOM_API_BASE: z.url().default("https://qyapi.weixin.qq.com"),
  /** Callbacks older or newer than this many seconds are refused as replays. */
  WECOM_TIMESTAMP_WINDOW_SECONDS: z.coerce.number().int().positive().default(300),
});

export type Env = z.infer<typeof envSchema>;
