import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { message: 'use true or false' })
  .transform((v) => ['true', '1', 'yes', 'on'].includes(v));
const int = (min: number, max: number) =>
  z.coerce.number({ message: 'must be a number' }).int('must be a whole number').min(min).max(max);
const optionalText = z.string().trim().min(1).optional();

/** An address or CIDR range (10.0.0.0/8, ::1/128). */
const isAddressOrRange = (v: string): boolean => {
  const [addr = '', bits, ...rest] = v.split('/');
  const family = isIP(addr);
  if (!family || rest.length) return false;
  if (bits === undefined) return true;
  const n = Number(bits);
  return /^\d{1,3}$/.test(bits) && n <= (family === 4 ? 32 : 128);
};
const proxyList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean),
  )
  .refine((list) => list.length > 0 && list.every(isAddressOrRange), {
    message: 'comma-separated addresses or CIDR ranges of the reverse proxies, e.g. 127.0.0.1 or 10.0.0.0/8',
  });

/** Every variable Gridline reads; .env.example documents each one. */
export const envSchema = z.object({
  PORT: int(0, 65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  TRUST_PROXY: proxyList.optional(),
  PUBLIC_URL: z.url({ message: 'must be an absolute URL such as https://gridline.example.cn' }).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(
      /^(file:.+|postgres(ql)?:\/\/.+)/,
      'must be a SQLite URL such as file:./data/gridline.db or a PostgreSQL URL such as postgresql://gridline@db.example.cn/gridline',
    )
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
  // WeCom (企业微信) self-built application: on when the corp id and the app secret are set.
  WECOM_CORP_ID: optionalText,
  WECOM_AGENT_ID: int(1, 2_147_483_647).optional(),
  WECOM_SECRET: optionalText,
  WECOM_TOKEN: optionalText,
  WECOM_AES_KEY: z
    .string()
    .regex(/^[A-Za-z0-9]{43}$/, "must be the 43-character EncodingAESKey from the app's 接收消息 settings")
    .optional(),
  WECOM_API_ROOT: z
    .url({ message: 'must be a URL such as https://qyapi.weixin.qq.com' })
    .default('https://qyapi.weixin.qq.com'),
  // WeChat Official Account (公众号) for residents: on when the app id and secret are set.
  WECHAT_MP_APP_ID: optionalText,
  WECHAT_MP_SECRET: optionalText,
  WECHAT_MP_TOKEN: optionalText,
  WECHAT_MP_AES_KEY: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{43}$/, 'must be the 43-character EncodingAESKey from the 公众号 console')
    .optional(),
  WECHAT_MP_API_ROOT: z
    .url({ message: 'must be a URL such as https://api.weixin.qq.com' })
    .default('https://api.weixin.qq.com'),
  // 网页授权's authorize page lives on open.weixin.qq.com, not on the API host.
  WECHAT_MP_OAUTH_ROOT: z
    .url({ message: 'must be a URL such as https://open.weixin.qq.com' })
    .default('https://open.weixin.qq.com'),
  WECHAT_MP_TEMPLATES: z.string().min(1).default('config/mp-templates.json'),
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
  VERIFY_WITHIN_WORKING_HOURS: int(1, 24 * 30).default(16),
  VERIFY_FAR_M: int(10, 100_000).default(200),
  PATROL_IDLE_MINUTES: int(10, 24 * 60).default(120),
  PATROL_REPORT_HOUR: int(0, 23).default(20),
  OVERDUE_ESCALATE_HOURS: int(1, 24 * 30).default(24),
  REMINDER_BEFORE_HOURS: int(1, 72).default(4),
  REPORTS_PER_HOUR: int(1, 10_000).default(10),
  STAFF_REPORTS_PER_HOUR: int(1, 10_000).default(60),
  ADDRESS_REPORTS_PER_HOUR: int(1, 100_000).default(100),
  CHAT_MESSAGES_PER_MINUTE: int(1, 10_000).default(30),
  ADDRESS_REQUESTS_PER_MINUTE: int(1, 100_000).default(120),
  DRAFT_TTL_MINUTES: int(5, 24 * 60).default(60),
  PHOTO_MAX_BYTES: int(1024, 50 * 1024 * 1024).default(20 * 1024 * 1024),
  DIGEST_HOUR: int(0, 23).default(8),
  PATROL_REMINDER_HOUR: int(0, 23).default(18),
  WAL_LIMIT_MB: int(1, 1024).default(16),
  READER_THREADS: int(0, 16).default(2),
  // PostgreSQL: connections in each of a process's two pools; unset: 2 × cores + 1 (db/pg-sql-connection.ts).
  PG_POOL_SIZE: int(1, 200).optional(),
  // How long a process may hold an outbox row it is sending. Several processes on PostgreSQL: a
  // dead process's rows go back to the queue when it expires (nothing reclaims them at start-up).
  OUTBOX_LEASE_SECONDS: int(5, 3600).default(300),
  PROCESSED_UPDATE_RETENTION_DAYS: int(2, 3650).default(30),
  EXPIRED_LOGIN_RETENTION_DAYS: int(0, 3650).default(7),
  HOTLINE_MAPPING: optionalText,
  // Map tiles (天地图 with a district key, 高德, an intranet server …); unset: street outlines only.
  MAP_TILE_URL: z
    .string()
    .trim()
    .refine((v) => /^https?:\/\//.test(v) && ['{x}', '{y}', '{z}'].every((k) => v.includes(k)), {
      message: 'a tile URL template with {x}, {y} and {z}, e.g. https://t{s}.tianditu.gov.cn/…&x={x}&y={y}&l={z}',
    })
    .optional(),
  MAP_TILE_CRS: z.enum(['wgs84', 'gcj02'], { message: 'wgs84 (天地图, OSM) or gcj02 (高德, 腾讯)' }).default('wgs84'),
  MAP_TILE_ATTRIBUTION: optionalText,
  MAP_TILE_SUBDOMAINS: optionalText,
  // Where photos and voice files live (storage/): DATA_DIR, or an S3-compatible bucket (MinIO …)
  // that several machines share. S3_* are read only with FILES_STORE=s3 (load-config.ts checks them).
  FILES_STORE: z.enum(['local', 's3'], { message: 'local (files under DATA_DIR) or s3' }).default('local'),
  S3_ENDPOINT: z
    .url({ protocol: /^https?$/, message: 'must be an http(s) URL such as http://minio.internal:9000' })
    .optional(),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be a bucket name: 3–63 of a-z 0-9 . -')
    .optional(),
  S3_REGION: z.string().trim().min(1).default('us-east-1'),
  S3_ACCESS_KEY_ID: optionalText,
  S3_SECRET_ACCESS_KEY: optionalText,
  S3_FORCE_PATH_STYLE: bool.optional(),
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Omit<Env, 'DATABASE_URL' | 'DEMO_MODE' | 'PUBLIC_URL' | 'LOG_PRETTY' | 'TRUST_PROXY'> {
  DATABASE_URL: string;
  DEMO_MODE: boolean;
  /** Why demo mode is what it is, for the start-up notice. */
  demoModeSource: 'explicit' | 'loopback' | 'public_address' | 'messenger';
  /** The reverse proxies whose X-Forwarded-For is believed; false: none (the peer is the client). */
  TRUST_PROXY: string[] | false;
  PUBLIC_URL: string;
  LOG_PRETTY: boolean;
  dataDir: string;
  telegramEnabled: boolean;
  wechatEnabled: boolean;
  wecomEnabled: boolean;
  mpEnabled: boolean;
  llmEnabled: boolean;
}

/** Derives what follows from the variables: absolute data dir, database URL, demo mode. */
export function deriveConfig(env: Env, cwd: string, isTty: boolean): Config {
  const dataDir = path.resolve(cwd, env.DATA_DIR);
  const telegramEnabled = Boolean(env.TELEGRAM_BOT_TOKEN);
  const wechatEnabled = Boolean(env.WECHATY_PUPPET);
  const wecomEnabled = Boolean(env.WECOM_CORP_ID && env.WECOM_SECRET);
  const mpEnabled = Boolean(env.WECHAT_MP_APP_ID && env.WECHAT_MP_SECRET);
  const llmEnabled = Boolean(env.LLM_BASE_URL && env.LLM_MODEL);
  // Demo identities let anyone who reaches the server sign in as the district administrator:
  // by default only for the embedded default on loopback, never on a reachable address or
  // once a real messenger is connected.
  const demoModeSource =
    env.DEMO_MODE !== undefined
      ? 'explicit'
      : telegramEnabled || wechatEnabled || wecomEnabled || mpEnabled
        ? 'messenger'
        : isLoopbackHost(env.HOST)
          ? 'loopback'
          : 'public_address';
  return {
    ...env,
    dataDir,
    DATABASE_URL: env.DATABASE_URL ?? `file:${path.join(dataDir, 'gridline.db')}`,
    DEMO_MODE: env.DEMO_MODE ?? demoModeSource === 'loopback',
    demoModeSource,
    TRUST_PROXY: env.TRUST_PROXY ?? false,
    PUBLIC_URL: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, ''),
    LOG_PRETTY: env.LOG_PRETTY ?? isTty,
    telegramEnabled,
    wechatEnabled,
    wecomEnabled,
    mpEnabled,
    llmEnabled,
  };
}

/** localhost, 127.0.0.0/8 and ::1: only this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^(::ffff:)?127(\.\d{1,3}){3}$/.test(h);
}

/** The start-up line about demo mode: a warning whenever demo identities are on. */
export function demoModeNotice(c: Pick<Config, 'DEMO_MODE' | 'demoModeSource' | 'HOST'>): {
  level: 'warn' | 'info';
  message: string;
} {
  if (c.DEMO_MODE) {
    const where =
      c.demoModeSource === 'loopback'
        ? `listening on loopback (${c.HOST}) only`
        : `DEMO_MODE=true while listening on ${c.HOST}`;
    return {
      level: 'warn',
      message:
        `DEMO MODE ON (${where}): anyone who can reach this server can sign in as any demo identity, ` +
        'including the district administrator. Never use it with real cases; set DEMO_MODE=false to turn it off.',
    };
  }
  const why =
    c.demoModeSource === 'explicit'
      ? 'DEMO_MODE=false'
      : c.demoModeSource === 'messenger'
        ? 'a messenger is configured'
        : `listening on ${c.HOST}, not loopback`;
  return {
    level: 'info',
    message: `demo mode off (${why}): staff sign in with /login links only; set DEMO_MODE=true to force it on`,
  };
}
