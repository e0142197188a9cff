import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBound } from '../../core/stats/period-fns.ts';
import {
  attachReaderPool,
  batchedReads,
  createReaderPool,
  READER_CACHE_KIB,
  readerOf,
  type ReaderPool,
} from '../../db/reader-pool.ts';
import { loadStatsRows } from '../../db/stats-queries.ts';
import { createCaseFactory, type TestPerson } from '../helpers/case-factory.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * The reader pool (db/reader-pool.ts): read-only connections on worker threads answer what the
 * main connection answers, see every commit, refuse writes, and the API serves statistics and
 * case lists through them. (That the event loop stays free while they work is what
 * `npm run bench -- api` measures: a test cannot, without asserting wall-clock timing.)
 */
const NOW = new Date('2026-11-20T04:00:00Z');
let t: TestApp;
let pool: ReaderPool;
let admin: TestPerson;

beforeAll(async () => {
  // The reader pool is SQLite's (worker threads over the file): PostgreSQL's driver needs none.
  t = await createTestApp({ clock: createFakeClock(NOW).now, engine: 'sqlite' });
  const f = createCaseFactory(t.db);
  admin = await f.person({ role: 'district_admin' });
  const resident = await f.person({ role: 'resident' });
  for (let i = 0; i < 30; i++)
    await f.case({
      reporterId: resident.id,
      street: i % 2 ? '万松街道' : '北湖街道',
      itemCode: 'SR-001',
      status: i % 3 ? 'closed' : 'accepted',
      createdAt: new Date(NOW.getTime() - (i + 1) * 20 * 3_600_000),
      dueAt: new Date(NOW.getTime() - i * 10 * 3_600_000),
      resolvedAt: new Date(NOW.getTime() - (i + 1) * 10 * 3_600_000),
      closedAt: i % 3 ? new Date(NOW.getTime() - (i + 1) * 10 * 3_600_000) : null,
    });
  pool = createReaderPool(t.url, 2);
});

afterAll(async () => {
  await pool.close();
  await t.close();
});

describe('reader pool', () => {
  it('answers statistics and case lists as the main connection does', async () => {
    const period = { from: parseBound('2026-10-01', 'from'), to: parseBound('2026-11-30', 'to') };
    const main = await loadStatsRows(t.db, period, null, NOW);
    const list = await t.app.inject({ url: '/api/cases?pageSize=50', headers: admin.auth });
    const stats = await t.app.inject({ url: '/api/stats?from=2026-10-01&to=2026-11-30', headers: admin.auth });
    attachReaderPool(t.db, pool);
    expect(readerOf(t.db)).toBe(pool.all);
    expect(await loadStatsRows(t.db, period, null, NOW)).toEqual(main);
    const pooledList = await t.app.inject({ url: '/api/cases?pageSize=50', headers: admin.auth });
    expect(pooledList.statusCode).toBe(200);
    expect(pooledList.json()).toEqual(list.json());
    const pooledStats = await t.app.inject({ url: '/api/stats?from=2026-10-02&to=2026-11-30', headers: admin.auth });
    expect(pooledStats.statusCode).toBe(200);
    expect(stats.json<{ totals: { total: number } }>().totals.total).toBeGreaterThan(0);
  });

  it('sees what was committed on the main connection', async () => {
    const before = await pool.all<{ n: number }>('SELECT COUNT(*) AS n FROM "Person"');
    await createCaseFactory(t.db).person({ role: 'resident' });
    const after = await pool.all<{ n: number }>('SELECT COUNT(*) AS n FROM "Person"');
    expect(after[0]!.n).toBe(before[0]!.n + 1);
  });

  it('keeps a page cache of READER_CACHE_KIB per connection, not the 16 MB default', async () => {
    // A team lead's capped search count reads ~2,600 cases scattered over a 1M-case file.
    const rows = await pool.all<{ cache_size: number }>('PRAGMA cache_size');
    expect(rows[0]!.cache_size).toBe(-READER_CACHE_KIB);
  });

  it('refuses writes (read-only connections) and keeps answering', async () => {
    await expect(pool.all('DELETE FROM "Case" RETURNING "id"')).rejects.toThrow(/readonly/i);
    expect((await pool.all<{ n: number }>('SELECT COUNT(*) AS n FROM "Case"'))[0]!.n).toBe(30);
  });

  it('answers reads asked together in one batch, each with its own rows or its own error', async () => {
    const read = batchedReads(pool.all);
    const many = Array.from({ length: 20 }, (_, i) => read<{ n: number }>('SELECT ? + 1 AS n', i));
    const broken = read('SELECT * FROM "NoSuchTable"');
    const cases = read<{ n: number }>('SELECT COUNT(*) AS n FROM "Case"');
    await expect(broken).rejects.toThrow(/no such table/i);
    expect((await Promise.all(many)).map((rows) => rows[0]!.n)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect((await cases)[0]!.n).toBe(30);
  });
});
