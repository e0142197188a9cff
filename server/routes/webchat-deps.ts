import type { Bot } from '../../app/create-bot.ts';
import type { Domain } from '../../app/create-domain.ts';
import type { SseHub } from '../../bot/webchat/sse-hub.ts';
import type { Config } from '../../config/config-schema.ts';
import type { Logger } from '../../config/logger.ts';
import type { Db } from '../../db/prisma-client.ts';
import type { WebChatStore } from '../../db/web-chat-store.ts';

/** What the web chat's routes are handed by app/create-webchat.ts. */
export interface WebChatRouteDeps {
  db: Db;
  domain: Domain;
  bot: Bot;
  config: Config;
  logger: Logger;
  hub: SseHub;
  store: WebChatStore;
}
