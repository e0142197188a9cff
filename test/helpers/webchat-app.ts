import type { FastifyInstance } from 'fastify';
import { createBot, type Bot } from '../../app/create-bot.ts';
import { createDomain, type Domain } from '../../app/create-domain.ts';
import { createWebChat, type WebChat } from '../../app/create-webchat.ts';
import { createDeliveryWorker, type DeliveryWorker } from '../../core/messaging/delivery-worker.ts';
import { createPrismaClient } from '../../db/prisma-client.ts';
import { seedReferenceData } from '../../db/seed.ts';
import { createServer } from '../../server/app.ts';
import { createTestDb, type TestDb } from './test-db.ts';
import { silentLogger, testConfig } from './test-config.ts';

export interface WebChatApp extends TestDb {
  app: FastifyInstance;
  domain: Domain;
  bot: Bot;
  webchat: WebChat;
  delivery: DeliveryWorker;
  /** http://127.0.0.1:<port> once listen() ran. */
  baseUrl: string;
  listen(): Promise<string>;
  close(): Promise<void>;
}

/**
 * The server as main.ts assembles it for the embedded default: web chat routes, the bot, and a
 * running delivery worker (short poll) with the web chat's sender, over a fresh database.
 */
export async function createWebChatApp(
  opts: {
    env?: Record<string, string>;
    heartbeatMs?: number;
    clock?: () => Date;
    /** Another process on the same database (a connection of its own), as several servers run on PostgreSQL. */
    sameDatabaseAs?: TestDb;
  } = {},
): Promise<WebChatApp> {
  const t = opts.sameDatabaseAs
    ? { ...opts.sameDatabaseAs, db: await createPrismaClient(opts.sameDatabaseAs.url) }
    : await createTestDb();
  if (!opts.sameDatabaseAs) await seedReferenceData(t.db);
  // Several processes share the database through its URL (on PostgreSQL: pushes by NOTIFY).
  const config = testConfig(t.dir, { ...(opts.sameDatabaseAs ? { DATABASE_URL: t.url } : {}), ...opts.env });
  const logger = silentLogger();
  const domain = await createDomain({ db: t.db, config, logger, ...(opts.clock ? { clock: opts.clock } : {}) });
  let kick = () => {};
  const bot = createBot({ db: t.db, domain, config, logger, kick: () => kick() });
  const webchat = createWebChat({
    db: t.db,
    domain,
    bot,
    config,
    logger,
    ...(opts.heartbeatMs ? { heartbeatMs: opts.heartbeatMs } : {}),
  });
  const delivery = createDeliveryWorker({
    store: domain.outbox,
    senders: [webchat.sender],
    clock: domain.clock,
    logger,
    pollIntervalMs: 50,
    limits: {},
  });
  kick = () => delivery.kick();
  const app = await createServer({ config, logger, db: t.db, domain, extraRoutes: [webchat.routes] });
  await delivery.start();
  const self: WebChatApp = {
    ...t,
    app,
    domain,
    bot,
    webchat,
    delivery,
    baseUrl: '',
    async listen() {
      await app.listen({ port: 0, host: '127.0.0.1' });
      self.baseUrl = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
      return self.baseUrl;
    },
    async close() {
      await app.close();
      await delivery.stop();
      await t.db.$disconnect();
    },
  };
  return self;
}
