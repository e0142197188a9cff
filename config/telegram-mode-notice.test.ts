import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.ts';
import { telegramModeNotice } from './telegram-mode-notice.ts';

const config = (env: Record<string, string>) =>
  loadConfig({ DATA_DIR: '/tmp/gridline-x', ...env }, '/tmp/gridline-x', false);
const PG = 'postgresql://gridline@db.example.cn/gridline';

describe('what start-up says about Telegram polling and webhooks', () => {
  it('warns that only one process may poll when Telegram polls on PostgreSQL', () => {
    const notice = telegramModeNotice(config({ TELEGRAM_BOT_TOKEN: '1:x', DATABASE_URL: PG }));
    expect(notice?.level).toBe('warn');
    expect(notice?.message).toContain('only ONE Gridline process may poll');
    expect(notice?.message).toContain('TELEGRAM_MODE=webhook');
  });

  it('is calm in webhook mode on PostgreSQL, and for polling on SQLite (one process per file)', () => {
    const webhook = telegramModeNotice(
      config({
        TELEGRAM_BOT_TOKEN: '1:x',
        DATABASE_URL: PG,
        TELEGRAM_MODE: 'webhook',
        TELEGRAM_WEBHOOK_SECRET: 'a-secret-of-16-chars',
        PUBLIC_URL: 'https://gridline.example.cn',
      }),
    );
    expect(webhook).toEqual({
      level: 'info',
      message: expect.stringContaining('https://gridline.example.cn/telegram/webhook') as unknown as string,
    });
    expect(telegramModeNotice(config({ TELEGRAM_BOT_TOKEN: '1:x' }))?.level).toBe('info');
  });

  it('says nothing without a bot token', () => {
    expect(telegramModeNotice(config({ DATABASE_URL: PG }))).toBeNull();
  });
});
