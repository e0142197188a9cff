import pino, { type Logger } from 'pino';
import type { Config } from './config-schema.ts';

export type { Logger };

export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'LOG_PRETTY'>): Logger {
  return pino({
    level: config.LOG_LEVEL,
    // Personal data must never reach the logs by accident.
    redact: {
      paths: ['*.phone', '*.token', '*.authorization', 'req.headers.authorization', 'req.headers.cookie'],
      censor: '[redacted]',
    },
    ...(config.LOG_PRETTY
      ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } }
      : {}),
  });
}
