import type { Config } from './config-schema.ts';

/**
 * What start-up says about how Telegram updates arrive. Telegram hands each update to one
 * getUpdates caller: with several Gridline processes on one PostgreSQL database only one of them
 * may poll (a second gets 409 Conflict), so a city-wide deployment uses webhook mode, where the
 * load balancer spreads the updates over every process. Null without a bot token.
 */
export function telegramModeNotice(
  c: Pick<Config, 'TELEGRAM_BOT_TOKEN' | 'TELEGRAM_MODE' | 'DATABASE_URL' | 'PUBLIC_URL'>,
): { level: 'warn' | 'info'; message: string } | null {
  if (!c.TELEGRAM_BOT_TOKEN) return null;
  if (c.TELEGRAM_MODE === 'webhook')
    return {
      level: 'info',
      message: `Telegram in webhook mode: updates arrive at ${c.PUBLIC_URL}/telegram/webhook, on any process behind the load balancer`,
    };
  if (/^postgres(ql)?:\/\//i.test(c.DATABASE_URL))
    return {
      level: 'warn',
      message:
        'Telegram in polling mode on PostgreSQL: only ONE Gridline process may poll this bot (Telegram answers a ' +
        'second one 409 Conflict). To run several processes, set TELEGRAM_MODE=webhook, TELEGRAM_WEBHOOK_SECRET ' +
        'and PUBLIC_URL (https), or give the bot token to one process only.',
    };
  return { level: 'info', message: 'Telegram in polling mode (one process; TELEGRAM_MODE=webhook for several)' };
}
