// The active power list is read and checked once per version: /public, Open311 and the case
// pages ask for it on every visit, and parsing its document held the event loop for ~40 ms at a
// time. A newly imported version is what the next caller gets.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { activePowerList, importPowerList } from '../../db/power-list-store.ts';
import { seedReferenceData } from '../../db/seed.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb();
  await seedReferenceData(t.db);
});
afterAll(async () => t.db.$disconnect());

it('parses the active version once, and gives the next caller a newly imported version', async () => {
  const first = await activePowerList(t.db);
  expect(first).not.toBeNull();
  expect(await activePowerList(t.db)).toBe(first); // the same parsed list, not a second parse

  const { publishedAt: _published, ...document } = first!;
  const next = { ...document, version: '2099.1', title: '新版权力清单' };
  expect((await importPowerList(t.db, next)).status).toBe('imported');
  const after = await activePowerList(t.db);
  expect(after).not.toBe(first);
  expect(after).toMatchObject({ version: next.version, title: '新版权力清单' });
  expect(await activePowerList(t.db)).toBe(after);
});
