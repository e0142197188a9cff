import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { message: 'use true or false' })
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));
const int = (min: number, max: number) =>
  z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(min).max(max);
const optionalText = z.string().trim().min(1).optional();

/** Every variable Gridline reads; .env.example documents each one. */
export const envSchema = z.object({
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  PUBLIC_URL: z.url({ message: 'must be an absolute URL such as https://gridline.example.cn' }).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^file:.+/, 'must be a SQLite URL such as file:./data/gridline.db')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: bool.optional(),
  CASE_NUMBER_PREFIX: z
    .string()
    .regex(/^[A-Z]{1,6}$/, 'must be 1–6 capital letters, e.g. JH')
    .default('JH'),
  DEMO_MODE: bool.optional(),
  TELEGRAM_BOT_TOKEN: optionalText,
  TELEGRAM_API_ROOT: z.url({ message: 'must be a URL such as http://127.0.0.1:9000' }).optional(),
  TELEGRAM_MODE: z.enum(['polling', 'webhook']).default('polling'),
  TELEGRAM_WEBHOOK_SECRET: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16–256 characters of A-Z a-z 0-9 _ -')
    .optional(),
  WECHATY_PUPPET: optionalText,
  WECHATY_PUPPET_SERVICE_TOKEN: optionalText,
  LLM_BASE_URL: z
    .url({ message: 'must be the base URL of an OpenAI-compatible API, e.g. http://10.0.0.5:8000/v1' })
    .optional(),
  LLM_API_KEY: optionalText,
  LLM_MODEL: optionalText,
  LLM_TIMEOUT_MS: int(100, 60_000).default(5000),
  LLM_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.8),
  ROUTING_MIN_CONFIDENCE: z.coerce.number().min(0).max(1).default(0.5),
  DUPLICATE_RADIUS_M: int(1, 5000).default(50),
  DUPLICATE_WINDOW_HOURS: int(1, 24 * 30).default(72),
  AUTO_VERIFY_DAYS: int(1, 60).default(3),
  OVERDUE_ESCALATE_HOURS: int(1, 24 * 30).default(24),
  REMINDER_BEFORE_HOURS: int(1, 72).default(4),
  DRAFT_TTL_MINUTES: int(5, 24 * 60).default(60),
  PHOTO_MAX_BYTES: int(1024, 50 * 1024 * 1024).default(20 * 1024 * 1024),
  DIGEST_HOUR: int(0, 23).default(8),
  PATROL_REMINDER_HOUR: int(0, 23).default(18),
  HOTLINE_MAPPING: optionalText,
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Omit<Env, 'DATABASE_URL' | 'DEMO_MODE' | 'PUBLIC_URL' | 'LOG_PRETTY'> {
  DATABASE_URL: string;
  DEMO_MODE: boolean;
  PUBLIC_URL: string;
  LOG_PRETTY: boolean;
  dataDir: string;
  telegramEnabled: boolean;
  wechatEnabled: boolean;
  llmEnabled: boolean;
}

/** Derives what follows from the variables: absolute data dir, database URL, demo mode. */
export function deriveConfig(env: Env, cwd: string, isTty: boolean): Config {
  const dataDir = path.resolve(cwd, env.DATA_DIR);
  const telegramEnabled = Boolean(env.TELEGRAM_BOT_TOKEN);
  const wechatEnabled = Boolean(env.WECHATY_PUPPET);
  const llmEnabled = Boolean(env.LLM_BASE_URL && env.LLM_MODEL);
  return {
    ...env,
    dataDir,
    DATABASE_URL: env.DATABASE_URL ?? `file:${path.join(dataDir, 'gridline.db')}`,
    // Demo identities are for the embedded default only: off once a real messenger is connected.
    DEMO_MODE: env.DEMO_MODE ?? !(telegramEnabled || wechatEnabled),
    PUBLIC_URL: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    LOG_PRETTY: env.LOG_PRETTY ?? isTty,
    telegramEnabled,
    wechatEnabled,
    llmEnabled,
  };
}
