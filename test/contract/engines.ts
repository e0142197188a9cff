// Runs one contract suite against every engine: SQLite always, PostgreSQL when
// TEST_DATABASE_URL names a server (each test file gets a database of its own, cloned from the
// run's migrated template). Without it the PostgreSQL half shows as skipped, named so it says why.
import { afterAll, beforeAll, describe } from 'vitest';
import type { Engine } from '../../db/db-engine.ts';
import { createTestDb, testPgServer, type TestDb } from '../helpers/test-db.ts';

const ENGINES: Array<{ engine: Engine; title: string; skip: boolean }> = [
  { engine: 'sqlite', title: 'SQLite', skip: false },
  {
    engine: 'postgres',
    title: testPgServer() ? 'PostgreSQL' : 'PostgreSQL (skipped: set TEST_DATABASE_URL, see README "PostgreSQL")',
    skip: !testPgServer(),
  },
];

/** `body` once per engine, inside a describe; `db()` is that engine's fresh, migrated database. */
export function forEachEngine(body: (db: () => TestDb) => void): void {
  for (const { engine, title, skip } of ENGINES) {
    describe.skipIf(skip)(title, () => {
      let t: TestDb | undefined;
      beforeAll(async () => {
        t = await createTestDb(engine);
      });
      afterAll(async () => {
        await t?.db.$disconnect();
      });
      body(() => {
        if (!t) throw new Error('the test database is not ready');
        return t;
      });
    });
  }
}
