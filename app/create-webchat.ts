// The built-in web chat (/chat): the embedded default channel. Its sender goes to the delivery
// worker with the other channels' senders; its routes go to createServer (extraRoutes).
import type { FastifyInstance } from 'fastify';
import { createSseHub, type SseHub } from '../bot/webchat/sse-hub.ts';
import { createSharedSseHub } from '../bot/webchat/shared-sse-hub.ts';
import { engineOf } from '../db/db-engine.ts';
import { createPgNotifyBus } from '../db/pg-notify-bus.ts';
import { createWebChatSender } from '../bot/webchat/webchat-sender.ts';
import type { ChannelSender } from '../core/messaging/outbound-types.ts';
import { createWebChatStore } from '../db/web-chat-store.ts';
import { webchatRoutes } from '../server/routes/webchat-routes.ts';
import type { ChannelWiring } from './channel-wiring.ts';

export interface WebChat {
  sender: ChannelSender;
  routes: (app: FastifyInstance) => Promise<void>;
  hub: SseHub;
}

export function createWebChat(
  opts: ChannelWiring & {
    heartbeatMs?: number;
  },
): WebChat {
  const { db, domain } = opts;
  const local = createSseHub(opts.heartbeatMs ? { heartbeatMs: opts.heartbeatMs } : {});
  // On PostgreSQL several processes may serve the web chat: pushes travel between them by
  // NOTIFY. On SQLite (one process per file) the hub stays in-process.
  const hub =
    engineOf(opts.config.DATABASE_URL) === 'postgres'
      ? createSharedSseHub(
          local,
          createPgNotifyBus({
            databaseUrl: opts.config.DATABASE_URL,
            channel: 'gridline_webchat',
            logger: opts.logger,
          }),
          (err) => opts.logger.warn({ err: String(err) }, 'web chat push to the other processes failed'),
        )
      : local;
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
