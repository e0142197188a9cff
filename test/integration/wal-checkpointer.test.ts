// WAL checkpoints from a worker thread: the main connection stops checkpointing by itself, and
// the pages still reach the database file.
import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlOf } from '../../db/prisma-client.ts';
import { startWalCheckpointer } from '../../db/wal-checkpointer.ts';
import { silentLogger } from '../helpers/test-config.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb('sqlite');
});
afterAll(async () => t.db.$disconnect());

const autoCheckpoint = async () =>
  Number(
    (await t.db.$queryRawUnsafe<Array<{ wal_autocheckpoint: bigint }>>('PRAGMA wal_autocheckpoint'))[0]!
      .wal_autocheckpoint,
  );
const file = () => t.url.replace(/^file:/, '');

describe('every connection', () => {
  it('caps the WAL file it starts over (journal_size_limit), with or without the thread', async () => {
    const [row] = await t.db.$queryRawUnsafe<Array<{ journal_size_limit: bigint }>>('PRAGMA journal_size_limit');
    expect(Number(row?.journal_size_limit)).toBe(16 * 1024 * 1024);
  });
});

describe('the WAL checkpoint thread', () => {
  it('copies committed pages into the database file while the main connection leaves it alone', async () => {
    const checkpointer = await startWalCheckpointer(t.db, t.url, silentLogger(), { intervalMs: 20 });
    try {
      expect(await autoCheckpoint()).toBe(0);
      const before = statSync(file()).size;
      const payload = 'x'.repeat(2000);
      for (let i = 0; i < 40; i++) {
        await sqlOf(t.db).transaction(async (tx) => {
          for (let j = 0; j < 25; j++)
            await tx.run(
              'INSERT INTO "ProcessedUpdate" ("channel", "updateId", "processedAt") VALUES (?, ?, ?)',
              payload,
              `${i}-${j}`,
              '2026-11-29T00:00:00.000+00:00',
            );
        });
      }
      // About 2 MB went to the WAL; only a checkpoint moves it into the database file.
      await expect
        .poll(() => statSync(file()).size, { timeout: 5000, interval: 25 })
        .toBeGreaterThan(before + 1_000_000);
    } finally {
      await checkpointer.stop();
    }
    expect(await autoCheckpoint()).toBe(1000);
    expect(await t.db.processedUpdate.count()).toBe(1000);
  });

  it('keeps the WAL within a small multiple of its limit under sustained writes, and shrinks it back', async () => {
    const limit = 1024 * 1024;
    const checkpointer = await startWalCheckpointer(t.db, t.url, silentLogger(), { intervalMs: 20, limitBytes: limit });
    const wal = () => statSync(`${file()}-wal`).size;
    let maxWal = 0;
    try {
      // About 24 MB of rows, one commit after another with no pause for a checkpoint to catch up.
      const payload = 'y'.repeat(2000);
      for (let i = 0; i < 600; i++) {
        await sqlOf(t.db).transaction(async (tx) => {
          for (let j = 0; j < 10; j++)
            await tx.run(
              'INSERT INTO "ProcessedUpdate" ("channel", "updateId", "processedAt") VALUES (?, ?, ?)',
              payload,
              `s${i}-${j}`,
              '2026-11-29T00:00:00.000+00:00',
            );
        });
        maxWal = Math.max(maxWal, wal());
      }
    } finally {
      await checkpointer.stop();
    }
    expect(maxWal).toBeLessThan(12 * limit); // without the restart it passed 40 MB and kept growing
    // journal_size_limit: once the WAL starts over it is cut back to the limit.
    await sqlOf(t.db).transaction((tx) => tx.run('DELETE FROM "ProcessedUpdate" WHERE "updateId" = ?', 's0-0'));
    expect(wal()).toBeLessThanOrEqual(limit);
  });
});
