// Reads sent together on PostgreSQL go as one statement (db/pg-read-many.ts): each read's rows
// must come back as it would alone (its own order, its parameters, an empty read as no rows),
// and a read that fails must fail alone. Runs with TEST_DATABASE_URL, skipped without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchedReads, readerOf } from '../../db/reader-pool.ts';
import { createTestDb, testPgServer, type TestDb } from '../helpers/test-db.ts';

describe.skipIf(!testPgServer())('PostgreSQL: reads sent together', () => {
  let t: TestDb;

  beforeAll(async () => {
    t = await createTestDb('postgres');
  });
  afterAll(async () => {
    await t?.db.$disconnect();
  });

  it('are one statement whose parts answer as each read alone would', async () => {
    const read = readerOf(t.db);
    expect(read.many).toBeDefined();
    const [a, b, c] = await read.many!([
      { sql: 'SELECT x AS "n", ? AS "tag" FROM generate_series(1, 3) AS x ORDER BY x DESC', args: ['甲'] },
      { sql: 'SELECT x AS "n" FROM generate_series(1, 5) AS x WHERE x > ? AND x < ?', args: [1, 4] },
      { sql: 'SELECT 1 AS "n" WHERE FALSE', args: [] },
    ]);
    expect(a).toEqual([
      { n: 3, tag: '甲' },
      { n: 2, tag: '甲' },
      { n: 1, tag: '甲' },
    ]);
    expect(b).toEqual([{ n: 2 }, { n: 3 }]);
    expect(c).toEqual([]);
  });

  it('leave a failing read to fail alone', async () => {
    const read = batchedReads(readerOf(t.db));
    const [ok, bad] = await Promise.allSettled([
      read<{ n: number }>('SELECT ? + 1 AS "n"', 41),
      read('SELECT * FROM "NoSuchTable"'),
    ]);
    expect(ok).toEqual({ status: 'fulfilled', value: [{ n: 42 }] });
    expect(bad.status).toBe('rejected');
  });
});
