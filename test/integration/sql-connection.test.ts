// The one SQLite connection shared by Prisma and the prepared-statement hot paths: who may use
// it when, what a failed unit leaves behind, and when a unit's promise may settle.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlOf, type Db } from '../../db/prisma-client.ts';
import type { Sql } from '../../db/sql-connection.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';

let t: TestDb;
let db: Db;
let sql: Sql;
const insertUpdate = 'INSERT INTO "ProcessedUpdate" ("channel", "updateId", "processedAt") VALUES (?, ?, ?)';
const at = '2026-11-29T00:00:00.000+00:00';
const ids = async (channel: string) =>
  (await db.processedUpdate.findMany({ where: { channel }, orderBy: { updateId: 'asc' } })).map((r) => r.updateId);

beforeAll(async () => {
  t = await createTestDb();
  db = t.db;
  sql = sqlOf(db);
});
afterAll(async () => db.$disconnect());

describe('the shared connection', () => {
  it('a lone Prisma query never joins, and never dies with, another request’s open transaction', async () => {
    let inside!: () => void;
    const opened = new Promise<void>((r) => (inside = r));
    const failing = db.$transaction(async (tx) => {
      await tx.processedUpdate.create({ data: { channel: 'lone', updateId: 'in-tx', processedAt: new Date() } });
      inside();
      await new Promise((r) => setTimeout(r, 30));
      throw new Error('rolled back');
    });
    await opened;
    // Issued while the transaction is open (then() starts a Prisma query): it waits for the
    // transaction instead of running inside it.
    const lone = db.$executeRawUnsafe(insertUpdate, 'lone', 'alone', at).then((n) => n);
    await expect(failing).rejects.toThrow('rolled back');
    await lone;
    expect(await ids('lone')).toEqual(['alone']);
  });

  it('a unit that throws leaves nothing behind, and units beside it in the same commit are kept', async () => {
    const results = await Promise.allSettled([
      sql.transaction((tx) => tx.run(insertUpdate, 'unit', 'a', at)),
      sql.transaction(async (tx) => {
        await tx.run(insertUpdate, 'unit', 'b', at);
        throw new Error('step failed');
      }),
      sql.transaction(async (tx) => {
        await tx.run(insertUpdate, 'unit', 'c', at);
        await Promise.resolve();
        await tx.run(insertUpdate, 'unit', 'a', at); // primary key clash: the whole unit goes
      }),
      sql.transaction((tx) => tx.run(insertUpdate, 'unit', 'd', at)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(await ids('unit')).toEqual(['a', 'd']);
  });

  it('settles a unit only once it is committed: another connection sees it then', async () => {
    const other = new Database(t.url.replace(/^file:/, ''), { readonly: true });
    try {
      const count = () =>
        (other.prepare('SELECT COUNT(*) AS n FROM "ProcessedUpdate" WHERE "channel" = ?').get('seen') as { n: number })
          .n;
      const units = Array.from({ length: 20 }, (_, i) =>
        sql.transaction((tx) => tx.run(insertUpdate, 'seen', String(i), at)),
      );
      for (const u of units) {
        await u;
        expect(count()).toBe(20); // one batch: all of it is committed before the first promise settles
      }
    } finally {
      other.close();
    }
  });

  it('commits an open batch before Prisma reads or opens a transaction', async () => {
    const unit = sql.transaction((tx) => tx.run(insertUpdate, 'order', 'raw', at));
    // Queued behind the raw unit's batch: sees its row, and runs outside that batch.
    const seen = await db.$transaction(async (tx) => tx.processedUpdate.count({ where: { channel: 'order' } }));
    await unit;
    expect(seen).toBe(1);
    expect(await db.processedUpdate.count({ where: { channel: 'order' } })).toBe(1);
  });
});
