import { loadConfig } from '../../config/load-config.ts';
import type { Config } from '../../config/config-schema.ts';
import { createLogger, type Logger } from '../../config/logger.ts';

export function testConfig(dir: string, overrides: Record<string, string> = {}): Config {
  return loadConfig({ DATA_DIR: dir, LOG_LEVEL: 'silent', ...overrides }, dir, false);
}

export function silentLogger(): Logger {
  return createLogger({ LOG_LEVEL: 'silent', LOG_PRETTY: false });
}
