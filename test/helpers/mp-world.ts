// Gridline with its 公众号 channel against the emulator (test/helpers/mp-emulator.ts), assembled as
// main.ts assembles it: migrated SQLite, domain on a fake clock, conversation core, the web chat,
// the callback and 网页授权 routes on a real port, and the delivery worker.
import { createBot, type Bot } from '../../app/create-bot.ts';
import { createMp, type Mp } from '../../app/create-mp.ts';
import { createWebChat } from '../../app/create-webchat.ts';
import { createDomain, type Domain } from '../../app/create-domain.ts';
import type { MpTemplates } from '../../bot/mp/mp-templates.ts';
import { createDeliveryWorker, type DeliveryWorker } from '../../core/messaging/delivery-worker.ts';
import { seedReferenceData } from '../../db/seed.ts';
import { createServer } from '../../server/app.ts';
import type { FastifyInstance } from 'fastify';
import { createFakeClock, type FakeClock } from './fake-clock.ts';
import { freePort } from './free-port.ts';
import { startMpEmulator, type MpEmulator } from './mp-emulator.ts';
import { createTestDb, type TestDb } from './test-db.ts';
import { silentLogger, testConfig } from './test-config.ts';

export interface MpWorld extends TestDb {
  app: FastifyInstance;
  baseUrl: string;
  domain: Domain;
  bot: Bot;
  mp: Mp;
  emu: MpEmulator;
  clock: FakeClock;
  worker: DeliveryWorker;
  /** Waits until `check` holds (the delivery worker runs on its own). */
  until<T>(check: () => T | Promise<T>, what: string, timeoutMs?: number): Promise<NonNullable<T>>;
  stop(): Promise<void>;
}

// A 43-character EncodingAESKey, as the 公众号 console generates them.
export const AES_KEY = 'Gr1dl1neEmulatedEncodingAesKey0123456789abc';

export async function createMpWorld(
  opts: { templates?: MpTemplates; aesKey?: string | null; passiveWaitMs?: number } = {},
): Promise<MpWorld> {
  const t = await createTestDb();
  await seedReferenceData(t.db);
  // A fixed Wednesday morning in Wuhan: no test depends on today's date.
  const clock = createFakeClock('2026-03-04T01:30:00.000Z');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const aesKey = opts.aesKey === null ? undefined : (opts.aesKey ?? AES_KEY);
  const emu = await startMpEmulator({
    callbackUrl: `${baseUrl}/mp/callback`,
    clock: clock.now,
    ...(aesKey ? { aesKey } : {}),
  });
  const config = testConfig(t.dir, {
    PUBLIC_URL: baseUrl,
    WECHAT_MP_APP_ID: emu.appId,
    WECHAT_MP_SECRET: emu.secret,
    WECHAT_MP_TOKEN: emu.token,
    ...(aesKey ? { WECHAT_MP_AES_KEY: aesKey } : {}),
    WECHAT_MP_API_ROOT: emu.url,
    WECHAT_MP_OAUTH_ROOT: emu.url,
  });
  const logger = silentLogger();
  const domain = await createDomain({ db: t.db, config, logger, clock: clock.now });
  let kick = () => {};
  const bot = createBot({ db: t.db, domain, config, logger, kick: () => kick() });
  const webchat = createWebChat({ db: t.db, domain, bot, config, logger });
  const mp = createMp({
    config,
    logger,
    db: t.db,
    domain,
    bot,
    kick: () => kick(),
    templates: opts.templates ?? { notices: {} },
    ...(opts.passiveWaitMs !== undefined ? { passiveWaitMs: opts.passiveWaitMs } : {}),
  })!;
  const worker = createDeliveryWorker({
    store: domain.outbox,
    senders: [webchat.sender, mp.sender],
    clock: clock.now,
    logger,
    pollIntervalMs: 20,
  });
  kick = () => worker.kick();
  const app = await createServer({ config, logger, db: t.db, domain, extraRoutes: [webchat.routes, mp.routes] });
  await app.listen({ port, host: '127.0.0.1' });
  await worker.start();

  async function until<T>(check: () => T | Promise<T>, what: string, timeoutMs = 8_000): Promise<NonNullable<T>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const v = await check();
      if (v) return v as NonNullable<T>;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  return {
    ...t,
    app,
    baseUrl,
    domain,
    bot,
    mp,
    emu,
    clock,
    worker,
    until,
    async stop() {
      await worker.stop();
      await app.close();
      await emu.close();
      await t.db.$disconnect();
    },
  };
}
