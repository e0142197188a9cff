// The search for an open case of the same matter near a new report (db/case-store.ts
// findOpenDuplicate), on PostgreSQL: runs with TEST_DATABASE_URL (npm run test:postgres),
// skipped without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseStore } from '../../db/case-store.ts';
import { createPrismaClient, sqlOf, type Db } from '../../db/prisma-client.ts';
import { seedReferenceData } from '../../db/seed.ts';
import { createCaseFactory } from '../helpers/case-factory.ts';
import { createTestDb, testPgServer, type TestDb } from '../helpers/test-db.ts';

const DAY = 86_400_000;
const now = new Date('2026-03-02T02:00:00.000Z');

/**
 * The stores' statements are prepared by name so that PostgreSQL can keep one generic plan per
 * connection; it keeps it only when its estimate costs no more than the plans made for the
 * values. The search reads six tables (the case with its item, street, department, reporter),
 * 0.73 ms to plan at 1M cases and 0.03 ms to run, twice a report. Its "created since" was priced
 * at a third of the item's cases in the generic plan (120 against 18), so every report planned
 * it afresh; as a pair of bounds (db/sql-dialect.ts atOrAfter) the same plan is priced alike.
 */
describe.skipIf(!testPgServer())('PostgreSQL duplicate search', () => {
  let t: TestDb;
  let one: Db;

  beforeAll(async () => {
    t = await createTestDb('postgres');
    await seedReferenceData(t.db);
    const resident = await createCaseFactory(t.db).person({ role: 'resident' });
    // A year of one matter's cases across the district, one in nine still open, and their
    // statistics: the generic and the custom plans' estimates differ only where a table holds
    // something (with every case closed the generic plan took the status index instead).
    await t.db.$executeRawUnsafe(
      `INSERT INTO "Case" ("number", "text", "status", "channel", "reporterId", "itemId", "lat", "lng", "createdAt", "updatedAt")
       SELECT 'JH-2025-' || g, '占道经营', CASE WHEN g % 9 = 0 THEN 'dispatched' ELSE 'closed' END, 'web', $1, (SELECT "id" FROM "PowerItem" WHERE "code" = 'SR-001' LIMIT 1),
         30.55 + (g % 997) * 0.0001, 114.25 + (g % 991) * 0.0001,
         $2::timestamp - (g % 365) * INTERVAL '1 day', $2::timestamp - (g % 365) * INTERVAL '1 day'
       FROM generate_series(1, 20000) g`,
      resident.id,
      now.toISOString(),
    );
    await t.db.$executeRawUnsafe('ANALYZE "Case"');
    // One connection: its prepared statements are the ones pg_prepared_statements lists.
    one = await createPrismaClient(t.url, { pgPoolSize: 1 });
  });

  afterAll(async () => {
    await one?.$disconnect();
    await t?.db.$disconnect();
  });

  it('keeps a generic plan for the search, as it does for reads by key', async () => {
    const store = createCaseStore(one, async () => {});
    for (let i = 0; i < 8; i++) {
      const found = await store.transaction((tx) =>
        tx.findOpenDuplicate({
          itemCode: 'SR-001',
          lat: 30.5826 + i * 0.001,
          lng: 114.2713,
          radiusM: 50,
          since: new Date(now.getTime() - DAY),
          lookOnly: true,
        }),
      );
      expect(found).toBeNull();
    }
    const plans = await sqlOf(one).transaction((tx) =>
      tx.all<{ generic: number; custom: number }>(
        `SELECT generic_plans AS "generic", custom_plans AS "custom" FROM pg_prepared_statements
         WHERE statement LIKE '%"departmentStaffed"%' AND statement LIKE '%c."lat" BETWEEN%' AND statement NOT LIKE '%pg_prepared_statements%'`,
      ),
    );
    expect(plans).toHaveLength(1);
    // PostgreSQL plans the first five executions for their values, then compares.
    expect(plans[0]).toEqual({ generic: 3, custom: 5 });
  });
});
