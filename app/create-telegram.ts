// Wires the Telegram channel to the bot runtime, the evidence store and the outbox. Called by
// main.ts and by the end-to-end tests, so both run the same assembly. Null without a bot token.
import { telegramModeNotice } from '../config/telegram-mode-notice.ts';
import type { ReplyQueue } from '../bot/bot-runtime.ts';
import { createTelegramChannel, type TelegramChannel } from '../bot/telegram/telegram-channel.ts';
import { OUTBOX_PRIORITY } from '../core/messaging/outbox-port.ts';
import type { QueueingChannelWiring } from './channel-wiring.ts';

export type { TelegramChannel };

export function createTelegram(
  opts: QueueingChannelWiring & {
    albumQuietMs?: number;
  },
): TelegramChannel | null {
  const { config, domain } = opts;
  if (!config.TELEGRAM_BOT_TOKEN) return null;
  const notice = telegramModeNotice(config);
  if (notice) opts.logger[notice.level]({ mode: config.TELEGRAM_MODE }, notice.message);
  // Photo refusals go through the outbox like every reply, so they keep the chat's order, its
  // rate limit and the retries; a direct ctx.reply would bypass all three and be lost in an outage.
  const notices: ReplyQueue = {
    async enqueue(channel, chatId, replies, keyBase) {
      await domain.outbox.enqueueNow(
        replies.map((message, i) => ({
          dedupeKey: `${keyBase}:${i}`,
          channel,
          chatId,
          message,
          priority: OUTBOX_PRIORITY.reply,
        })),
      );
    },
    kick: opts.kick,
  };
  return createTelegramChannel({
    config,
    logger: opts.logger,
    runtime: opts.bot.runtime,
    identify: opts.bot.identify,
    evidence: domain.evidence,
    notices,
    onBlocked: (chatId) => domain.outbox.markChatBlocked('telegram', chatId),
    ...(opts.albumQuietMs !== undefined ? { albumQuietMs: opts.albumQuietMs } : {}),
  });
}
