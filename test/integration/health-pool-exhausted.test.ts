import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { defaultPgPoolSize } from '../../db/pg-sql-connection.ts';
import { pgReadOf } from '../../db/prisma-client.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { defaultTestEngine } from '../helpers/test-db.ts';

/**
 * /healthz says whether the database answers, not whether a pooled connection happens to be
 * free: with every connection of Prisma's pool and of the stores' pool held by long reads (here
 * reads waiting on an advisory lock another session holds, so nothing depends on timing), the
 * probe still answers, on a connection of its own. Before, its SELECT 1 queued behind the long
 * reads in Prisma's pool and answered only once one of them ended.
 */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => t?.close());

const LOCK = 4_242_001;

describe.skipIf(defaultTestEngine() !== 'postgres')('/healthz on PostgreSQL', () => {
  it('answers while both pools are busy with long reads', async () => {
    const holder = new pg.Client({ connectionString: t.url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [LOCK]);
      // A pool's size of reads through Prisma (its queries start when awaited, hence the .then)
      // and as many through the stores' pool, all waiting.
      const size = defaultPgPoolSize();
      const waiting = [
        ...Array.from({ length: size }, () =>
          t.db.$queryRawUnsafe(`SELECT CAST(pg_advisory_lock_shared(${LOCK}) AS text) AS "held"`).then(() => {}),
        ),
        ...Array.from({ length: size }, () =>
          pgReadOf(t.db)(`SELECT CAST(pg_advisory_lock_shared(${LOCK}) AS text) AS "held"`),
        ),
      ];
      // Every one of them is really waiting on the lock before /healthz is asked.
      for (;;) {
        const { rows } = await holder.query<{ n: number }>(
          `SELECT COUNT(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
        );
        if (rows[0]!.n >= 2 * size) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      // A deadlock guard, not a timing assertion: blocked behind the pool, /healthz never answers.
      const answer = await Promise.race([
        t.app.inject('/healthz'),
        new Promise<'stuck'>((r) => setTimeout(() => r('stuck'), 4_000)),
      ]);
      await holder.query('SELECT pg_advisory_unlock($1)', [LOCK]);
      await Promise.all(waiting);
      expect(answer).not.toBe('stuck');
      if (answer === 'stuck') return;
      expect(answer.statusCode).toBe(200);
      expect(answer.json()).toEqual({ status: 'ok', database: 'ok', files: 'ok' });
    } finally {
      await holder.end();
    }
  }, 20_000);
});
