import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPgPoolSize } from '../../db/pg-sql-connection.ts';
import { createPrismaClient, pgReadOf, type Db } from '../../db/prisma-client.ts';
import { createTestDb, defaultTestEngine, type TestDb } from '../helpers/test-db.ts';

/**
 * How many statements one process runs at once on PostgreSQL is its pools' size (PG_POOL_SIZE,
 * default 2 × cores + 1), not pg's 10 a pool: past it a request waits in the pool's queue, not in
 * the kernel's run queue beside every other backend (and /healthz's probe). Reads asked all at
 * once each take a connection of their own while the pool may open one, so the backends that
 * answered them are the connections the pool opened.
 */
let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
});
afterAll(async () => t?.db.$disconnect());

type Pid = { pid: number };
const PID = 'SELECT pg_backend_pid() AS pid';

async function backendsUsed(db: Db, n: number): Promise<{ stores: number; prisma: number }> {
  const stores = await Promise.all(Array.from({ length: n }, () => pgReadOf(db)<Pid>(PID)));
  const prisma = await Promise.all(Array.from({ length: n }, () => db.$queryRawUnsafe<Pid[]>(PID)));
  const distinct = (rows: Pid[][]) => new Set(rows.map((r) => r[0]!.pid)).size;
  return { stores: distinct(stores), prisma: distinct(prisma) };
}

describe.skipIf(defaultTestEngine() !== 'postgres')('PostgreSQL pool size', () => {
  it('opens at most the size asked for in each pool', async () => {
    const db = await createPrismaClient(t.url, { pgPoolSize: 2 });
    try {
      expect(await backendsUsed(db, 12)).toEqual({ stores: 2, prisma: 2 });
    } finally {
      await db.$disconnect();
    }
  });

  it('opens twice the cores plus one by default, not pg 10', async () => {
    const db = await createPrismaClient(t.url);
    try {
      const size = defaultPgPoolSize();
      expect(size).not.toBe(10); // on a machine of 4.5 cores this test would say nothing
      expect(await backendsUsed(db, size + 12)).toEqual({ stores: size, prisma: size });
    } finally {
      await db.$disconnect();
    }
  });

  it('defaults to twice the cores plus one', () => {
    expect(defaultPgPoolSize(2)).toBe(5);
    expect(defaultPgPoolSize(8)).toBe(17);
  });
});
