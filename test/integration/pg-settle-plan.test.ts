// The settle statement's plan on PostgreSQL (db/case-number-alloc.ts): runs with TEST_DATABASE_URL
// (npm run test:postgres), skipped without it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPendingNumbers } from '../../db/case-number-alloc.ts';
import { createPgSql, type PgSql } from '../../db/pg-sql-connection.ts';
import { deferredRollups, deferRollups, rollupCaseChange } from '../../db/stats-rollup.ts';
import type { RollupCase } from '../../core/stats/rollup-fns.ts';
import { createTestDb, testPgServer, type TestDb } from '../helpers/test-db.ts';

/**
 * A registration's last statement writes its rollup rows and takes the day's number (settle).
 * The stores' statements are prepared by name, so that PostgreSQL can keep one generic plan per
 * connection instead of planning each execution. It keeps the generic plan only if its estimated
 * cost is no more than the custom plans'. With the unit's events and messages passed as arrays
 * (= ANY (?::int[])), the generic plan assumed 10 of each and cost 208 against 38, so every
 * registration was planned afresh: at 1M cases 0.8-1.1 ms for the statement against 0.6-0.75
 * with its generic plan forced.
 */
describe.skipIf(!testPgServer())('PostgreSQL settle statement', () => {
  let t: TestDb;
  let sql: PgSql;

  beforeAll(async () => {
    t = await createTestDb('postgres');
    // One connection: its prepared statements are the ones pg_prepared_statements lists.
    sql = createPgSql(t.url, { max: 1 });
    // Sent messages as a city's outbox holds them (at 1M cases ~13 a case), and their
    // statistics: estimates over empty tables cost every plan alike.
    await sql.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO "OutboxMessage" ("dedupeKey", "channel", "chatId", "caseId", "payload", "status")
         SELECT 'sent-' || g, 'telegram', 'chat', g / 13, '{}', 'sent' FROM generate_series(1, 52000) g`,
      );
    });
    await sql.read('ANALYZE "OutboxMessage"');
  });

  afterAll(async () => {
    await sql?.close();
    await t?.db.$disconnect();
  });

  const registered = (day: number): RollupCase => ({
    streetId: 1,
    departmentId: null,
    status: 'triage',
    post: '环境卫生',
    mode721: null,
    reworkCount: 0,
    reopenCount: 0,
    autoVerified: false,
    postponed: false,
    createdAt: new Date(Date.UTC(2026, 10, day, 2)),
    resolvedAt: null,
    closedAt: null,
    dueAt: null,
  });

  it('keeps a generic plan for the rollups and the number of each registration', async () => {
    for (let i = 0; i < 8; i++)
      await sql.transaction(async (tx) => {
        deferRollups(tx);
        await rollupCaseChange(tx, 1, null, registered(20));
        const pending = createPendingNumbers();
        const placeholder = pending.take('JH', '20261120');
        // As a registration notes them: its events and the message queued for the reporter.
        pending.noteEvent(1000 + 2 * i, `受理 ${placeholder}`);
        pending.noteEvent(1001 + 2 * i, `派遣 ${placeholder}`);
        pending.noteMessage(2000 + i, `您的案件 ${placeholder} 已受理`);
        await pending.settle(tx, deferredRollups(tx));
      });
    const plans = await sql.read<{ generic: number; custom: number }>(
      `SELECT generic_plans AS "generic", custom_plans AS "custom" FROM pg_prepared_statements
       WHERE statement LIKE 'WITH "w" AS (INSERT INTO "StatsRollup"%'`,
    );
    expect(plans).toHaveLength(1);
    // PostgreSQL plans the first five executions for their values, then compares.
    expect(Number(plans[0]!.generic)).toBe(3);
  });
});
