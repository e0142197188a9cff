// Processes starting at once on one PostgreSQL database seed the reference data one after the
// other: without the lock, two see no power list and both import it, and the second fails its
// start-up on the unique version key. Three child processes, as three servers starting.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { withStartupLock } from '../../db/pg-startup-lock.ts';
import { readOrganisation } from '../../db/seed-organisation.ts';
import { seedReferenceData } from '../../db/seed.ts';
import { createTestDb, testPgServer, type TestDb } from '../helpers/test-db.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SEED = `
import { createPrismaClient } from './db/prisma-client.ts';
import { withStartupLock } from './db/pg-startup-lock.ts';
import { seedReferenceData } from './db/seed.ts';
const url = process.env.DATABASE_URL;
const db = await createPrismaClient(url);
await db.street.count(); // connected
// All three begin together, as servers released by the migration lock at the same moment.
await new Promise((r) => setTimeout(r, Number(process.env.START_AT) - Date.now()));
await withStartupLock(url, 'gridline:seed', () => seedReferenceData(db));
await db.$disconnect();
`;

function seedInChild(url: string, startAt: number): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SEED], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, START_AT: String(startAt) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr: stderr.slice(-2000) })));
}

let t: TestDb | undefined;
let held: TestDb | undefined;
let again: TestDb | undefined;
afterAll(async () => {
  await t?.db.$disconnect();
  await held?.db.$disconnect();
  await again?.db.$disconnect();
});

/** Another session that holds `tables` in EXCLUSIVE mode (reads pass, writes wait) until released. */
async function lockTables(url: string, tables: string[]): Promise<{ release: () => Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('BEGIN');
  for (const table of tables) await client.query(`LOCK TABLE "${table}" IN EXCLUSIVE MODE`);
  return {
    release: async () => {
      await client.query('COMMIT');
      await client.end();
    },
  };
}

/** Sessions of this database waiting for a lock (the seed, held by lockTables). */
async function waitingForLock(db: TestDb['db']): Promise<number> {
  const [r] = await db.$queryRawUnsafe<Array<{ n: bigint }>>(
    `SELECT count(*) AS "n" FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
  );
  return Number(r!.n);
}

describe.skipIf(!testPgServer() || process.env.TEST_ENGINE !== 'postgres')(
  'seeding at start-up, several processes on PostgreSQL',
  () => {
    it('three processes seeding a fresh database at once all succeed, and it is seeded once', async () => {
      t = await createTestDb('postgres');
      const startAt = Date.now() + 8000; // time enough for the three to load and connect
      const results = await Promise.all([1, 2, 3].map(() => seedInChild(t!.url, startAt)));
      expect(results.filter((r) => r.code !== 0)).toEqual([]);
      expect(await t.db.powerListVersion.count()).toBe(1);
    }, 120_000);

    it('a start-up seed held longer than the default 5 s limit of a Prisma transaction still completes', async () => {
      held = await createTestDb('postgres');
      // Writes to the departments wait: the seed's transaction begins, writes the streets, and waits.
      const lock = await lockTables(held.url, ['Department']);
      const seeding = withStartupLock(held.url, 'gridline:seed', () => seedReferenceData(held!.db));
      const outcome = seeding.then(
        () => 'seeded',
        (err: unknown) => String(err),
      );
      while ((await waitingForLock(held.db)) === 0) await sleep(50);
      await sleep(5_500); // the transaction is older than 5 s now, whatever the load
      await lock.release();
      expect(await outcome).toBe('seeded');
      expect(await held.db.department.count()).toBe(readOrganisation().departments.length);
      expect(await held.db.powerListVersion.count()).toBe(1);
    }, 120_000);

    it('a restart on a seeded database only reads: it seeds while writes to the reference tables would wait', async () => {
      again = await createTestDb('postgres');
      const db = again.db;
      await seedReferenceData(db); // the first start
      const lock = await lockTables(again.url, ['Street', 'Team', 'Department', 'PowerListVersion', 'PowerItem']);
      try {
        const outcome = await Promise.race([
          seedReferenceData(db).then(() => 'seeded'),
          (async () => {
            // A seed that writes waits for the lock: seen as a waiting session.
            while ((await waitingForLock(db)) === 0) await sleep(50);
            return 'waiting to write';
          })(),
        ]);
        expect(outcome).toBe('seeded');
      } finally {
        await lock.release();
      }
    }, 60_000);
  },
);
