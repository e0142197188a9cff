// Wires the WeChat channel (Wechaty) to the conversation runtime, the evidence store and the
// outbox. Wechaty is loaded only when a puppet is configured: it is large and slow to import.
import type { BotRuntime } from '../bot/bot-runtime.ts';
import type { IdentifySender } from '../bot/inbound-types.ts';
import type { WeChatChannel, WeChatPuppet } from '../bot/wechat/wechat-channel.ts';
import type { MenuSource } from '../bot/wechat/wechat-menus.ts';
import type { Config } from '../config/config-schema.ts';
import type { Logger } from '../config/logger.ts';
import type { Button, OutboundMessage } from '../core/messaging/outbound-types.ts';
import type { Db } from '../db/prisma-client.ts';
import type { Domain } from './create-domain.ts';
import { OUTBOX_PRIORITY } from '../core/messaging/outbox-port.ts';

export type { WeChatChannel };

/**
 * The numbered choices last delivered to a WeChat chat, read from the outbox itself: what the
 * user saw is exactly what was sent, and it survives a restart (see bot/wechat/wechat-menus.ts).
 */
export function outboxMenus(db: Db): MenuSource {
  return {
    async lastMenu(chatId, since) {
      const rows = await db.outboxMessage.findMany({
        where: {
          channel: 'wechat',
          chatId,
          status: 'sent',
          sentAt: { gte: since },
          payload: { contains: '"buttons"' },
        },
        orderBy: [{ sentAt: 'desc' }, { id: 'desc' }],
        take: 5,
        select: { payload: true },
      });
      for (const row of rows) {
        const buttons = ((JSON.parse(row.payload) as OutboundMessage).buttons ?? []).flat() as Button[];
        if (buttons.length) return buttons;
      }
      return null;
    },
  };
}

export interface CreateWeChatOptions {
  db: Db;
  domain: Domain;
  config: Config;
  logger: Logger;
  runtime: BotRuntime;
  /** Who sent a photo: recorded as its uploader (Bot.identify). */
  identify: IdentifySender;
  /** Wakes the delivery worker after a notice is queued. */
  kick: () => void;
  /** A puppet instance (tests); otherwise WECHATY_PUPPET decides. */
  puppet?: WeChatPuppet;
  printQr?: (text: string) => void;
}

/** The channel, or null when WeChat is not configured (no WECHATY_PUPPET). */
export async function createWeChat(opts: CreateWeChatOptions): Promise<WeChatChannel | null> {
  const { db, domain, config, logger } = opts;
  if (!config.wechatEnabled && !opts.puppet) return null;
  const { createWeChatChannel } = await import('../bot/wechat/wechat-channel.ts');
  return createWeChatChannel({
    config,
    logger,
    runtime: opts.runtime,
    identify: opts.identify,
    evidence: domain.evidence,
    clock: domain.clock,
    menus: outboxMenus(db),
    notices: {
      async enqueue(chatId, message, key) {
        await domain.outbox.enqueueNow([
          { dedupeKey: key, channel: 'wechat', chatId, message, priority: OUTBOX_PRIORITY.reply },
        ]);
        opts.kick();
      },
    },
    ...(opts.puppet ? { puppet: opts.puppet } : {}),
    ...(opts.printQr ? { printQr: opts.printQr } : {}),
  });
}
