// The built-in web chat (/chat): the embedded default channel. Its sender goes to the delivery
// worker with the other channels' senders; its routes go to createServer (extraRoutes).
import type { FastifyInstance } from 'fastify';
import type { Config } from '../config/config-schema.ts';
import type { Logger } from '../config/logger.ts';
import { createSseHub, type SseHub } from '../bot/webchat/sse-hub.ts';
import { createWebChatSender } from '../bot/webchat/webchat-sender.ts';
import type { ChannelSender } from '../core/messaging/outbound-types.ts';
import type { Db } from '../db/prisma-client.ts';
import { createWebChatStore } from '../db/web-chat-store.ts';
import { webchatRoutes } from '../server/routes/webchat-routes.ts';
import type { Bot } from './create-bot.ts';
import type { Domain } from './create-domain.ts';

export interface WebChat {
  sender: ChannelSender;
  routes: (app: FastifyInstance) => Promise<void>;
  hub: SseHub;
}

export function createWebChat(opts: {
  db: Db;
  domain: Domain;
  bot: Bot;
  config: Config;
  logger: Logger;
  heartbeatMs?: number;
}): WebChat {
  const { db, domain } = opts;
  const hub = createSseHub(opts.heartbeatMs ? { heartbeatMs: opts.heartbeatMs } : {});
  const store = createWebChatStore(db, domain.clock);
  const sender = createWebChatSender({
    hub,
    deliveringRow: (chatId) => store.deliveringRow(chatId),
    publishable: (entry) => store.publishable(entry),
    clock: domain.clock,
  });
  // 20 new residents per address per hour: a family behind one router is never stopped.
  const deps = { ...opts, hub, store, logger: opts.logger.child({ component: 'webchat' }) };
  return { sender, hub, routes: (app) => webchatRoutes(app, deps) };
}
