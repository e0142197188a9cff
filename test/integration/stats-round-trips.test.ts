import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseFactory, type TestPerson } from '../helpers/case-factory.ts';
import { attachCountingReader, type ReadCounts } from '../helpers/counting-reader.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { serveThroughWireLog } from '../helpers/pg-wire-log.ts';
import { defaultTestEngine } from '../helpers/test-db.ts';
import { districtDay } from '../../core/stats/period-fns.ts';

/**
 * What a cold statistics request costs the event loop is mostly its trips to the reader threads
 * (each a message out and one back, and a thread woken) and the rows that come back. With 16
 * requests at once their main-thread pieces run back to back, so a cold request (a period start
 * that misses the figures' cache, as every "last 30 days" asked a moment later does) must cost no
 * trip at all, whatever the period: the shared parts (whole days, today, whole hours, the labels)
 * come from the cache, and its own minutes from the rows of the hour they lie in, kept in memory
 * (db/stats-hour-rows.ts; before, ten statements in one trip per request).
 * Counted through a wrapper around the real reader (SQLite's reader threads, PostgreSQL's pool,
 * where each statement sent alone took a pooled connection and a round trip: 16 cold requests
 * queued ~160 statements on a pool of 10), and on PostgreSQL also on the wire, by a relay that
 * logs what the server is sent. No timing asserted.
 */
const NOW = new Date('2026-11-20T04:00:00Z');
const HOUR = 3_600_000;
let t: TestApp;
let counting: ReturnType<typeof attachCountingReader> | undefined;
let admin: TestPerson;
let counts: ReadCounts;

beforeAll(async () => {
  t = await createTestApp({ clock: createFakeClock(NOW).now });
  const f = createCaseFactory(t.db);
  admin = await f.person({ role: 'district_admin' });
  await f.person({ role: 'team_lead', street: '万松街道' });
  const resident = await f.person({ role: 'resident' });
  for (let i = 0; i < 40; i++)
    await f.case({
      reporterId: resident.id,
      street: i % 2 ? '万松街道' : '北湖街道',
      itemCode: 'SR-001',
      status: i % 3 ? 'closed' : 'accepted',
      createdAt: new Date(NOW.getTime() - (i + 1) * 17 * HOUR),
      dueAt: new Date(NOW.getTime() - i * 9 * HOUR),
      resolvedAt: new Date(NOW.getTime() - (i + 1) * 8 * HOUR),
      closedAt: i % 3 ? new Date(NOW.getTime() - (i + 1) * 8 * HOUR) : null,
    });
  counting = attachCountingReader(t);
  counts = counting.counts;
});

afterAll(async () => {
  await counting?.close();
  await t?.close();
});

async function cold(query: string): Promise<{ trips: number; statements: number; body: unknown }> {
  [counts.trips, counts.statements] = [0, 0];
  const res = await t.app.inject({ url: `/api/stats?${query}`, headers: admin.auth });
  expect(res.statusCode).toBe(200);
  return { trips: counts.trips, statements: counts.statements, body: res.json() };
}

describe('a cold statistics request', () => {
  for (const [name, days, street] of [
    ['district, 30 days', 30, ''],
    ['one street, 30 days', 30, `&street=${encodeURIComponent('万松街道')}`],
    ['district, one year', 364, ''],
  ] as const)
    it(`${name}: no statement at all once the shared parts are cached`, async () => {
      // Inside an hour, as a "last 30 days" asked at any moment starts.
      const start = NOW.getTime() - days * 24 * HOUR + 7 * 60_000 + 3_456;
      const first = await cold(`from=${new Date(start).toISOString()}${street}`);
      expect(first.statements).toBeGreaterThan(0);
      // A millisecond later: the figures' cache misses; the parts' cache hits, the minutes up to
      // the next whole hour come from that hour's rows in memory (db/stats-hour-rows.ts).
      const next = await cold(`from=${new Date(start + 1).toISOString()}${street}`);
      expect(next).toMatchObject({ trips: 0, statements: 0 });
      expect(next.body).toMatchObject({ totals: { total: expect.any(Number) } });
      // Any start within the same hour, later or earlier.
      const again = await cold(`from=${new Date(start + 40 * 60_000).toISOString()}${street}`);
      expect(again).toMatchObject({ trips: 0, statements: 0 });
      const earlier = await cold(`from=${new Date(start - 7 * 60_000).toISOString()}${street}`);
      expect(earlier).toMatchObject({ trips: 0, statements: 0 });
    });
});

describe.skipIf(defaultTestEngine() !== 'postgres')('a cold statistics request on the wire (PostgreSQL)', () => {
  let served: Awaited<ReturnType<typeof serveThroughWireLog>>;
  beforeAll(async () => {
    served = await serveThroughWireLog(t, () => NOW);
  });
  afterAll(async () => {
    await served?.close();
  });

  it('is the token only once the shared parts are cached', async () => {
    const { app, wire } = served;
    const start = NOW.getTime() - 30 * 24 * HOUR + 11 * 60_000 + 789;
    const ask = async (from: number) => {
      wire.statements.length = 0;
      const res = await app.inject({ url: `/api/stats?from=${new Date(from).toISOString()}`, headers: admin.auth });
      expect(res.statusCode).toBe(200);
      return [...wire.statements];
    };
    await ask(start);
    const next = await ask(start + 1);
    expect(next, next.join('\n')).toHaveLength(1);
    expect(next.filter((s) => /"ApiToken"/.test(s))).toHaveLength(1);
  });

  // Whole past days nobody asked before (the API benchmark's "30 whole days never asked"): their
  // sums are one statement over a few rollup keys, whose plan does not depend on the keys. Sent
  // unnamed, PostgreSQL parsed and planned it for every request (about a fifth of its CPU for
  // such a request at 1M cases); named, once per connection.
  it('of 30 whole days never asked before is one statement besides the token, parsed once per connection', async () => {
    const { app, wire } = served;
    const day = (daysAgo: number) => districtDay(new Date(NOW.getTime() - daysAgo * 24 * HOUR));
    const asked: Array<{ statements: string[]; parses: string[] }> = [];
    for (let back = 1; back <= 10; back++) {
      [wire.statements.length, wire.parses.length] = [0, 0];
      const res = await app.inject({ url: `/api/stats?from=${day(back + 30)}&to=${day(back)}`, headers: admin.auth });
      expect(res.statusCode).toBe(200);
      asked.push({ statements: [...wire.statements], parses: [...wire.parses] });
    }
    for (const { statements } of asked) {
      expect(statements, statements.join('\n')).toHaveLength(2);
      expect(statements.filter((s) => /"StatsRollup"/.test(s))).toHaveLength(1);
    }
    const parsedSums = asked.flatMap((a) => a.parses.filter((s) => /"StatsRollup"/.test(s)));
    expect(parsedSums.length, parsedSums.join('\n')).toBeLessThanOrEqual(2);
  });
});

describe('the statistics pages and export', () => {
  it('share the parts the API has read: no statement once they are cached', async () => {
    // The default period ("last 30 days", up to now) as /api/stats asks it first; before, each
    // view read the whole days' sums again (about 300 ms on PostgreSQL at 1M cases).
    await cold('');
    for (const url of ['/district', '/exports/stats.csv', '/exports/stats.xlsx']) {
      [counts.trips, counts.statements] = [0, 0];
      const res = await t.app.inject({ url, headers: admin.auth });
      expect(res.statusCode, url).toBe(200);
      expect(counts.statements, url).toBe(0);
    }
  });
});
