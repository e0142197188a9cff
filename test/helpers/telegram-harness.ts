// The whole Telegram path for end-to-end tests: the emulator on loopback, a fresh SQLite app,
// the bot, the real telegraf channel (polling or webhook) and a real delivery worker.
import { createBot, type Bot } from '../../app/create-bot.ts';
import { createTelegram, type TelegramChannel } from '../../app/create-telegram.ts';
import type { Role } from '../../core/case/case-types.ts';
import { createDeliveryWorker, type DeliveryWorker } from '../../core/messaging/delivery-worker.ts';
import type { RateLimits } from '../../core/messaging/rate-limiter.ts';
import { createLogger, type Logger } from '../../config/logger.ts';
import { issueBindCode } from '../../db/identity-store.ts';
import { createTestApp, type TestApp } from './test-app.ts';
import { silentLogger, testConfig } from './test-config.ts';
import { startTelegramEmulator, type TelegramEmulator } from './telegram-emulator.ts';
import type { EmulatedUser } from './telegram-emulator-user.ts';

export interface TelegramHarness extends TestApp {
  emu: TelegramEmulator;
  bot: Bot;
  telegram: TelegramChannel;
  delivery: DeliveryWorker;
  logger: Logger;
  /** A user bound to a staff role with a one-time code sent as /bind, as an administrator would hand out. */
  staffUser(
    id: number,
    role: Role,
    opts: { street?: string; department?: string; name: string },
  ): Promise<EmulatedUser>;
}

/** Telegram's real limits would make a 20-message conversation take 20 s; the shape is kept. */
export const FAST_LIMITS: RateLimits = {
  telegram: { perChatIntervalMs: 20, groupPerMinute: 600, globalPerSecond: 300 },
};

export async function createTelegramHarness(
  opts: {
    env?: Record<string, string>;
    limits?: RateLimits;
    albumQuietMs?: number;
    pollIntervalMs?: number;
    /** false: the test listens first, then starts (webhook mode: setWebhook needs the address). */
    start?: boolean;
    /** Another Bot API server (telegram-test-api) instead of the emulator. */
    api?: { root: string; token: string };
  } = {},
): Promise<TelegramHarness> {
  const emu = await startTelegramEmulator();
  const env = {
    TELEGRAM_BOT_TOKEN: opts.api?.token ?? emu.token,
    TELEGRAM_API_ROOT: opts.api?.root ?? emu.apiRoot,
    ...opts.env,
  };
  const t = await createTestApp({ env });
  const config = testConfig(t.dir, env);
  // E2E_LOG=debug shows what the channel and the worker do.
  const logger = process.env.E2E_LOG
    ? createLogger({ LOG_LEVEL: process.env.E2E_LOG as 'debug', LOG_PRETTY: false })
    : silentLogger();
  let kick = () => {};
  const bot = createBot({ db: t.db, domain: t.domain, config, logger, kick: () => kick() });
  const telegram = createTelegram({
    config,
    logger,
    db: t.db,
    domain: t.domain,
    bot,
    kick: () => kick(),
    albumQuietMs: opts.albumQuietMs ?? 300,
  })!;
  const delivery = createDeliveryWorker({
    store: t.domain.outbox,
    senders: [telegram.sender],
    clock: t.domain.clock,
    logger,
    pollIntervalMs: opts.pollIntervalMs ?? 50,
    limits: opts.limits ?? FAST_LIMITS,
  });
  kick = () => delivery.kick();
  telegram.webhookRoute(t.app);
  await delivery.start();
  if (opts.start !== false) await telegram.start();

  return {
    ...t,
    emu,
    bot,
    telegram,
    delivery,
    logger,
    async staffUser(id, role, o) {
      const code = await issueBindCode(t.db, {
        role,
        displayName: o.name,
        ...(o.street ? { streetName: o.street } : {}),
        ...(o.department ? { departmentName: o.department } : {}),
      });
      const user = emu.user({ id, firstName: o.name });
      await user.send(`/bind ${code}`);
      await user.expect('绑定成功');
      return user;
    },
    async close() {
      await telegram.stop();
      await delivery.stop();
      await t.close();
      await emu.close();
    },
  };
}
