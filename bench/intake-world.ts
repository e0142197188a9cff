// What the intake and WAL benchmarks both stand up: a migrated, seeded SQLite database in a
// temporary folder, the Bot API emulator, and the Telegram intake path as main.ts wires it (WAL
// checkpoints on their worker thread), plus the district points the simulated residents pin.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createBot } from '../app/create-bot.ts';
import { createDomain } from '../app/create-domain.ts';
import { createTelegram } from '../app/create-telegram.ts';
import { loadConfig } from '../config/load-config.ts';
import { createLogger } from '../config/logger.ts';
import { applyMigrations } from '../db/migrate.ts';
import { createPrismaClient } from '../db/prisma-client.ts';
import { seedReferenceData } from '../db/seed.ts';
import { startWalCheckpointer } from '../db/wal-checkpointer.ts';
import { startTelegramEmulator } from '../test/helpers/telegram-emulator.ts';
import { districtPoints } from '../test/helpers/telegram-report-updates.ts';

export async function startIntakeWorld(opts: {
  name: string;
  synchronous: string | undefined;
  /** An existing SQLite database (e.g. a copy of a 1M-case one): migrated, never deleted. */
  dbFile?: string;
  /** The domain's clock (tests pin it); the system clock otherwise. */
  clock?: () => Date;
  env?: Record<string, string>;
  walLimitBytes?: number;
  checkpointMs?: number;
}) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `gridline-${opts.name}-bench-`));
  const file = opts.dbFile ? path.resolve(opts.dbFile) : path.join(dir, 'bench.db');
  const url = `file:${file}`;
  await applyMigrations(url);
  const synchronous = opts.synchronous === 'normal' ? 'NORMAL' : 'FULL';
  const db = await createPrismaClient(url, {
    synchronous,
    ...(opts.walLimitBytes !== undefined ? { walLimitBytes: opts.walLimitBytes } : {}),
  });
  await seedReferenceData(db);
  const emu = await startTelegramEmulator();
  const config = loadConfig(
    {
      DATA_DIR: dir,
      DATABASE_URL: url,
      LOG_LEVEL: 'silent',
      TELEGRAM_BOT_TOKEN: emu.token,
      TELEGRAM_API_ROOT: emu.apiRoot,
      ...opts.env,
    },
    dir,
    false,
  );
  const logger = createLogger(config);
  const checkpointer = await startWalCheckpointer(db, url, logger, {
    ...(opts.checkpointMs !== undefined ? { intervalMs: opts.checkpointMs } : {}),
    ...(opts.walLimitBytes !== undefined ? { limitBytes: opts.walLimitBytes } : {}),
  });
  const domain = await createDomain({ db, config, logger, ...(opts.clock ? { clock: opts.clock } : {}) });
  const bot = createBot({ db, domain, config, logger });
  const telegram = createTelegram({ config, logger, db, domain, bot, kick: () => {} })!;
  const points = (n: number) =>
    districtPoints(n, (lat, lng) => {
      const s = domain.jurisdiction.locatePoint({ lat, lng });
      return !s.outsideDistrict && s.street !== null;
    });

  /** Closes what was started; the folder is kept with --keep (and its path printed). */
  async function close(keep: boolean, out: (s: string) => void): Promise<void> {
    await emu.close();
    await checkpointer.stop();
    await db.$disconnect();
    if (keep) out(`data kept at ${dir}${opts.dbFile ? `, database at ${file}` : ''}`);
    else rmSync(dir, { recursive: true, force: true });
  }

  return { dir, file, url, db, emu, config, logger, checkpointer, domain, bot, telegram, points, close };
}
