import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pgReadOf } from '../../db/prisma-client.ts';
import { createTestDb, defaultTestEngine, type TestDb } from '../helpers/test-db.ts';

/**
 * PostgreSQL connections outlive a lull in the traffic (issue 17.5, the case detail's p99 at 1M
 * cases). pg's pools closed a connection after 10 s idle: the next burst opened new backends, and
 * a new backend's first statements load its catalog caches (planning the case detail took 8-17 ms
 * there, ~1 ms on a warm one), so the first requests of every burst were the slowest (16 clients
 * after 11 s quiet: 130-270 ms, against ~45 ms warm). The pools' idle timers are pg-pool's own
 * setTimeout calls, run here on a fake clock; the backend's pid says whether it is the same
 * connection.
 */
let t: TestDb;

beforeAll(async () => {
  if (defaultTestEngine() === 'postgres') t = await createTestDb();
});

afterAll(async () => {
  vi.useRealTimers();
  await t?.db.$disconnect();
});

describe.skipIf(defaultTestEngine() !== 'postgres')('PostgreSQL connections after a quiet spell', () => {
  it('are the same backends five minutes later, in the stores’ pool and Prisma’s', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const read = pgReadOf(t.db);
    const storePid = async () => (await read<{ pid: number }>('SELECT pg_backend_pid() AS "pid"'))[0]!.pid;
    const prismaPid = async () =>
      (await t.db.$queryRawUnsafe<Array<{ pid: number }>>('SELECT pg_backend_pid() AS "pid"'))[0]!.pid;
    const before = [await storePid(), await prismaPid()];
    vi.advanceTimersByTime(5 * 60_000);
    expect([await storePid(), await prismaPid()]).toEqual(before);
  });
});
