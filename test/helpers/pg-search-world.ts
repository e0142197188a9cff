import type { Prisma } from '../../prisma/generated/client.ts';
import { attachReaderPool, readerOf } from '../../db/reader-pool.ts';
import { seedReferenceData } from '../../db/seed.ts';
import { createCaseFactory, type TestPerson } from './case-factory.ts';
import { recordingReader, type RecordedRead } from './counting-reader.ts';
import { createTestDb, type TestDb } from './test-db.ts';

export interface PgSearchWorld {
  t: TestDb;
  admin: TestPerson;
  /** Every statement the case list's reads sent, as the tests' plans need them. */
  seen: RecordedRead[];
}

/**
 * A PostgreSQL database for the search plan tests: the reference data, a district admin, and
 * `count` cases (`caseOf(i, reporterId)`, one resident reporting all), written in batches under
 * PostgreSQL's limit of parameters per statement and analysed, as a year's cases are. `vacuum`:
 * VACUUM ANALYZE instead, which also merges the search indexes' pending lists.
 */
export async function pgSearchWorld(
  count: number,
  caseOf: (i: number, reporterId: number) => Prisma.CaseCreateManyInput,
  opts: { vacuum?: boolean } = {},
): Promise<PgSearchWorld> {
  const t = await createTestDb('postgres');
  await seedReferenceData(t.db);
  const f = createCaseFactory(t.db);
  const admin = await f.person({ role: 'district_admin' });
  const resident = await f.person({ role: 'resident' });
  const BATCH = 2500;
  for (let from = 0; from < count; from += BATCH)
    await t.db.case.createMany({
      data: Array.from({ length: Math.min(BATCH, count - from) }, (_, k) => caseOf(from + k, resident.id)),
    });
  await t.db.$executeRawUnsafe(opts.vacuum ? 'VACUUM ANALYZE "Case"' : 'ANALYZE "Case"');
  const seen: RecordedRead[] = [];
  attachReaderPool(t.db, { all: recordingReader(readerOf(t.db), seen), close: async () => {} });
  return { t, admin, seen };
}
