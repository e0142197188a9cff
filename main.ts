// The composition root: the only place that creates concrete singletons.
import { mkdirSync } from 'node:fs';
import { ConfigError } from './config/load-config.ts';
import { loadConfig } from './config/load-config.ts';
import { createLogger } from './config/logger.ts';
import { applyMigrations } from './db/migrate.ts';
import { createPrismaClient } from './db/prisma-client.ts';
import { seedReferenceData } from './db/seed.ts';
import { createDomain } from './app/create-domain.ts';
import { createDeliveryWorker } from './core/messaging/delivery-worker.ts';
import { createServer } from './server/app.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee .env.example for every variable and its default.\n`);
      process.exit(78);
    }
    throw err;
  }
  const logger = createLogger(config);
  mkdirSync(config.dataDir, { recursive: true });
  const applied = await applyMigrations(config.DATABASE_URL);
  logger.info({ applied }, applied.length ? 'database migrated' : 'database schema up to date');
  const db = await createPrismaClient(config.DATABASE_URL);
  await seedReferenceData(db);

  const domain = await createDomain({ db, config, logger });
  logger.info({ powerList: domain.router.version }, 'routing with power list');
  const delivery = createDeliveryWorker({ store: domain.outbox, senders: [], clock: domain.clock, logger });
  await delivery.start();

  const app = await createServer({ config, logger, db, domain });
  await app.listen({ port: config.PORT, host: config.HOST });
  const address = `http://${config.HOST === '0.0.0.0' || config.HOST === '127.0.0.1' ? 'localhost' : config.HOST}:${app.server.address() && typeof app.server.address() === 'object' ? (app.server.address() as { port: number }).port : config.PORT}`;
  logger.info({ address, demo: config.DEMO_MODE }, `Gridline 网格通 is running: open ${address}`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await app.close();
    await delivery.stop();
    await db.$disconnect();
    logger.flush?.();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

await main();
