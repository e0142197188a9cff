import type { Config } from '../config/config-schema.ts';
import type { Logger } from '../config/logger.ts';
import type { Db } from '../db/prisma-client.ts';
import type { Bot } from './create-bot.ts';
import type { Domain } from './create-domain.ts';

/** What main.ts hands every chat channel it wires (Telegram, WeCom, the 公众号, the web chat). */
export interface ChannelWiring {
  config: Config;
  logger: Logger;
  db: Db;
  domain: Domain;
  bot: Bot;
}

/** A channel that queues messages itself: it wakes the delivery worker after each. */
export interface QueueingChannelWiring extends ChannelWiring {
  /** Wakes the delivery worker after something is queued. */
  kick: () => void;
}
