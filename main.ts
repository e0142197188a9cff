// The composition root: the only place that creates concrete singletons.
import { mkdirSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { createBot } from './app/create-bot.ts';
import { createDomain } from './app/create-domain.ts';
import { createAppScheduler } from './app/create-scheduler.ts';
import { createMp } from './app/create-mp.ts';
import { createTelegram } from './app/create-telegram.ts';
import { createWebChat } from './app/create-webchat.ts';
import { createWeChat } from './app/create-wechat.ts';
import { createWecom } from './app/create-wecom.ts';
import { recoverAfterRestart } from './app/recover-after-restart.ts';
import { ConfigError, loadConfig } from './config/load-config.ts';
import { demoModeNotice, type Config } from './config/config-schema.ts';
import { createLogger } from './config/logger.ts';
import { createDeliveryWorker } from './core/messaging/delivery-worker.ts';
import type { ChannelSender } from './core/messaging/outbound-types.ts';
import { applyMigrations } from './db/migrate.ts';
import { attachReaderPool, createReaderPool } from './db/reader-pool.ts';
import { createPrismaClient } from './db/prisma-client.ts';
import { createSendBudgetStore } from './db/send-budget-store.ts';
import { startWalCheckpointer } from './db/wal-checkpointer.ts';
import { seedReferenceData } from './db/seed.ts';
import { withStartupLock } from './db/pg-startup-lock.ts';
import { plannerStatisticsAtStartUp } from './app/planner-statistics-job.ts';
import { createServer } from './server/app.ts';
import { wechatAdminRoutes } from './server/routes/wechat-admin-routes.ts';

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every variable and its default.\n`);
      process.exit(78);
    }
    throw err;
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger(config);
  mkdirSync(config.dataDir, { recursive: true });
  const applied = await applyMigrations(config.DATABASE_URL);
  logger.info({ applied }, applied.length ? 'database migrated' : 'database schema up to date');
  const db = await createPrismaClient(config.DATABASE_URL, {
    walLimitBytes: config.WAL_LIMIT_MB * 1024 * 1024,
    ...(config.PG_POOL_SIZE ? { pgPoolSize: config.PG_POOL_SIZE } : {}),
  });
  // Several processes starting at once on PostgreSQL seed one after the other.
  await withStartupLock(config.DATABASE_URL, 'gridline:seed', () => seedReferenceData(db));
  // Planner statistics (SQLite: analysed off the event loop; PostgreSQL: autovacuum's, checked).
  await plannerStatisticsAtStartUp(db, config.DATABASE_URL, logger);
  // Statistics, exports and case lists read on worker threads, so no long read holds the event loop.
  const readers =
    config.READER_THREADS > 0 && config.DATABASE_URL.startsWith('file:')
      ? createReaderPool(config.DATABASE_URL, config.READER_THREADS)
      : null;
  if (readers) attachReaderPool(db, readers);
  const checkpointer = await startWalCheckpointer(db, config.DATABASE_URL, logger, {
    limitBytes: config.WAL_LIMIT_MB * 1024 * 1024,
  });

  const domain = await createDomain({ db, config, logger });
  logger.info({ powerList: domain.router.version }, 'routing with power list');
  const senders: ChannelSender[] = [];
  let kick = () => {};
  const bot = createBot({ db, domain, config, logger, kick: () => kick() });
  const extraRoutes: Array<(app: FastifyInstance) => Promise<void>> = [];
  // Every channel's sender is pushed before the delivery worker, which reads its senders once.

  // Web chat: the built-in channel at /chat (demo identities only in demo mode), always on.
  const webchat = createWebChat({ db, domain, bot, config, logger });
  senders.push(webchat.sender);
  extraRoutes.push(webchat.routes);

  // Telegram: on when TELEGRAM_BOT_TOKEN is set (polling, or webhook at /telegram/webhook).
  const telegram = createTelegram({ config, logger, db, domain, bot, kick: () => kick() });
  if (telegram) {
    senders.push(telegram.sender);
    extraRoutes.push(async (app) => telegram.webhookRoute(app));
  }

  // WeChat Official Account (公众号) for residents: on when WECHAT_MP_APP_ID and _SECRET are set.
  const mp = createMp({ config, logger, db, domain, bot, kick: () => kick() });
  if (mp) {
    senders.push(mp.sender);
    extraRoutes.push(mp.routes);
  }

  // WeChat (Wechaty): on when WECHATY_PUPPET is set; the login QR code is at /admin/wechat.
  const wechat = await createWeChat({
    db,
    domain,
    config,
    logger,
    runtime: bot.runtime,
    identify: bot.identify,
    kick: () => kick(),
  });
  if (wechat) senders.push(wechat.sender);
  extraRoutes.push((app) => wechatAdminRoutes(app, { channel: wechat }));

  // WeCom (企业微信 self-built app): on when WECOM_CORP_ID and WECOM_SECRET are set; callbacks at /wecom/callback.
  const wecom = createWecom({ config, logger, db, domain, bot, kick: () => kick() });
  if (wecom) {
    senders.push(wecom.channel.sender);
    extraRoutes.push(wecom.routes);
  }

  const delivery = createDeliveryWorker({
    store: domain.outbox,
    senders,
    clock: domain.clock,
    logger,
    pollIntervalMs: 1000,
    // Idle, polls back off to one in 5 s: every process of a cluster polls, and the process that
    // queues a message wakes its own worker at once (kick), so the poll only finds retries come
    // due (the worker wakes for its own), messages of a process that died, and CLI-queued ones.
    idlePollMaxMs: 5000,
    // Several processes on PostgreSQL share the send rates there; SQLite has one process and its limiter.
    ...(config.DATABASE_URL.startsWith('file:') ? {} : { budget: createSendBudgetStore(db) }),
  });
  kick = () => delivery.kick();
  const scheduler = createAppScheduler({ db, domain, config, logger, kick });

  const app = await createServer({ config, logger, db, domain, extraRoutes });
  await recoverAfterRestart({
    outbox: domain.outbox,
    clock: domain.clock,
    logger,
    shared: !config.DATABASE_URL.startsWith('file:'),
  });
  await delivery.start();
  scheduler.start();
  await app.listen({ port: config.PORT, host: config.HOST });
  // Messengers connect after the server listens: a webhook must be reachable when it is set.
  // A wrong token or an unreachable Telegram must not take the web chat and dashboard down with it.
  void telegram?.start().catch((err: unknown) => logger.error({ err }, 'telegram channel failed to start'));
  void wechat?.start();
  void wecom?.start();
  const port = (app.server.address() as { port: number } | null)?.port ?? config.PORT;
  const host = config.HOST === '0.0.0.0' || config.HOST === '127.0.0.1' ? 'localhost' : config.HOST;
  const address = `http://${host}:${port}`;
  const demo = demoModeNotice(config);
  logger[demo.level]({ demo: config.DEMO_MODE, host: config.HOST }, demo.message);
  logger.info(
    { demo: config.DEMO_MODE, channels: senders.map((s) => s.channel) },
    `Gridline 网格通 is running: open ${address} (web chat: ${address}/chat)`,
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close(); // no new webhook requests while the channels drain what they hold
    await telegram?.stop();
    await wechat?.stop();
    await wecom?.stop();
    await scheduler.stop();
    await delivery.stop();
    await checkpointer.stop();
    await readers?.close();
    await db.$disconnect();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

await main();
