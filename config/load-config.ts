import { envSchema, deriveConfig, type Config } from './config-schema.ts';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the environment once; empty strings count as unset so `.env` templates can leave blanks. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
  isTty = Boolean(process.stdout.isTTY),
): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map(
        (i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(present[String(i.path[0])])})`,
      ),
    );
  }
  const config = deriveConfig(parsed.data, cwd, isTty);
  const problems: string[] = [];
  if (config.telegramEnabled && config.TELEGRAM_MODE === 'webhook') {
    if (!config.TELEGRAM_WEBHOOK_SECRET) problems.push('TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_MODE=webhook');
    if (!env.PUBLIC_URL)
      problems.push('PUBLIC_URL: required when TELEGRAM_MODE=webhook (Telegram must reach it over HTTPS)');
  }
  if (config.LLM_BASE_URL && !config.LLM_MODEL) problems.push('LLM_MODEL: required when LLM_BASE_URL is set');
  if (config.FILES_STORE === 's3') {
    for (const name of ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const)
      if (!config[name]) problems.push(`${name}: required when FILES_STORE=s3`);
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}
