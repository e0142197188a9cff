// Processes starting at once on one PostgreSQL database seed the reference data one after the
// other: without the lock, two see no power list and both import it, and the second fails its
// start-up on the unique version key. Three child processes, as three servers starting.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
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
afterAll(async () => t?.db.$disconnect());

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
  },
);
