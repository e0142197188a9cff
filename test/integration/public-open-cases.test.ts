import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coarseLocation } from '../../core/case/anonymise-fns.ts';
import { OPEN_STATUSES, STATUS_LABELS, type CaseStatus } from '../../core/case/case-types.ts';
import { districtDay } from '../../core/stats/period-fns.ts';
import { publicOpenCases } from '../../db/public-case-queries.ts';
import { attachReaderPool, createReaderPool, type ReaderPool } from '../../db/reader-pool.ts';
import { createCaseFactory } from '../helpers/case-factory.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * /public's open cases are read with two plain statements on the reader pool instead of a
 * Prisma count and include on the main thread: the same cases, order and public fields.
 */
const NOW = new Date('2026-11-20T04:00:00Z');
let t: TestApp;
let pool: ReaderPool;

/** What the Prisma version answered. */
async function reference(take: number) {
  const where = { status: { in: [...OPEN_STATUSES] } };
  const rows = await t.db.case.findMany({
    where,
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take,
    select: {
      number: true,
      status: true,
      lat: true,
      lng: true,
      createdAt: true,
      item: { select: { name: true } },
      street: { select: { name: true } },
    },
  });
  return {
    total: await t.db.case.count({ where }),
    items: rows.map((c) => ({
      number: c.number,
      matter: c.item?.name ?? null,
      street: c.street?.name ?? null,
      status: c.status,
      statusLabel: STATUS_LABELS[c.status as CaseStatus] ?? c.status,
      createdDate: districtDay(c.createdAt),
      location: coarseLocation(c.lat, c.lng),
    })),
  };
}

beforeAll(async () => {
  t = await createTestApp({ clock: createFakeClock(NOW).now });
  const f = createCaseFactory(t.db);
  const resident = await f.person({ role: 'resident' });
  const statuses: CaseStatus[] = ['triage', 'dispatched', 'accepted', 'resolved', 'closed', 'merged', 'rejected'];
  for (let i = 0; i < 14; i++)
    await f.case({
      reporterId: resident.id,
      street: i % 5 === 0 ? null : '万松街道',
      itemCode: i % 3 === 0 ? null : 'SR-001',
      status: statuses[i % statuses.length],
      lat: i % 2 ? 30.5912 : null,
      lng: i % 2 ? 114.2687 : null,
      // Two cases share a created time: the id breaks the tie.
      createdAt: new Date(NOW.getTime() - Math.floor(i / 2) * 7 * 3_600_000),
    });
  pool = createReaderPool(t.url, 1);
});

afterAll(async () => {
  await pool?.close();
  await t.close();
});

describe('public open cases', () => {
  it('answer as the Prisma count and include did, on the main connection and on the reader pool', async () => {
    for (const take of [3, 200]) expect(await publicOpenCases(t.db, take)).toEqual(await reference(take));
    attachReaderPool(t.db, pool);
    for (const take of [3, 200]) expect(await publicOpenCases(t.db, take)).toEqual(await reference(take));
    expect((await reference(200)).total).toBe(8);
  });
});
