// The PostgreSQL benchmark seeder (bench/api-seed-postgres.ts) drops the big tables' indexes,
// loads the rows and builds the indexes again from their definitions. A definition leaves out the
// statistics targets the migrations set on index columns (ALTER INDEX … SET STATISTICS 1000 on the
// text search's indexes, whose statistics the search reads to tell a common word from a rare one:
// db/case-text-search.ts). Seeded without them, ANALYZE kept 1,000 pairs of characters instead
// of ~2,800, 垃圾 (in 5% of the cases) fell among the rare, and the search benchmark's common word
// took 161-165 ms p99 at 1M cases. Runs with TEST_DATABASE_URL (npm run test:postgres).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedCasesPostgres } from '../../bench/api-seed-postgres.ts';
import { seedReferenceData } from '../../db/seed.ts';
import { createTestDb, testPgServer, type TestDb } from '../helpers/test-db.ts';

const NOW = Date.parse('2026-11-29T04:00:00Z');

describe.skipIf(!testPgServer())('the PostgreSQL benchmark seeder', () => {
  let t: TestDb;
  const targets = async () =>
    t.db.$queryRawUnsafe<Array<{ index: string; column: number; target: number }>>(
      `SELECT ic.relname AS "index", a.attnum::int AS "column", a.attstattarget::int AS "target"
       FROM pg_attribute a JOIN pg_class ic ON ic.oid = a.attrelid JOIN pg_index i ON i.indexrelid = ic.oid
       WHERE i.indrelid = '"Case"'::regclass AND a.attstattarget > 0 ORDER BY 1, 2`,
    );

  beforeAll(async () => {
    t = await createTestDb('postgres');
    await seedReferenceData(t.db);
  });

  afterAll(async () => {
    await t?.db.$disconnect();
  });

  it('keeps the statistics targets the migrations set on the indexes it builds again', async () => {
    const before = await targets();
    // The text search's character pairs and trigram index (its text) at least.
    expect(before.length).toBeGreaterThanOrEqual(2);
    await seedCasesPostgres(t.url, 300, NOW, () => {});
    expect(await t.db.case.count()).toBe(300);
    expect(await targets()).toEqual(before);
  });
});
