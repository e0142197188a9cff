// The SQLite fast path (db/sql-connection.ts) leans on two things Prisma does not promise: its
// better-sqlite3 adapter keeps the handle in a field named `client`, and it stores DateTime as
// ISO text with an offset and Boolean as 0/1 (db/sql-values.ts). Each test here fails the day a
// Prisma upgrade changes one of them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlOf } from '../../db/prisma-client.ts';
import { sqlBool, sqlDate } from '../../db/sql-values.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';

let t: TestDb;
beforeAll(async () => {
  t = await createTestDb('sqlite');
});
afterAll(async () => t.db.$disconnect());

const at = new Date('2026-11-29T23:15:52.123Z');

describe('SQLite internals the fast path relies on', () => {
  it('the adapter’s connection handle is still where the cast takes it', async () => {
    await t.db.street.count(); // connects
    expect(await sqlOf(t.db).transaction((tx) => tx.get<{ x: number }>('SELECT 1 AS "x"'))).toEqual({ x: 1 });
  });

  it('a DateTime Prisma writes is the text sqlDate writes, so raw range conditions compare right', async () => {
    await t.db.processedUpdate.create({ data: { channel: 'guard', updateId: 'prisma', processedAt: at } });
    const row = await sqlOf(t.db).transaction((tx) =>
      tx.get<{ processedAt: unknown }>('SELECT "processedAt" FROM "ProcessedUpdate" WHERE "updateId" = ?', 'prisma'),
    );
    expect(row?.processedAt).toBe(sqlDate(at));
  });

  it('a DateTime the raw path writes reads back through Prisma as the same instant', async () => {
    await sqlOf(t.db).transaction((tx) =>
      tx.run(
        'INSERT INTO "ProcessedUpdate" ("channel", "updateId", "processedAt") VALUES (?, ?, ?)',
        'guard',
        'raw',
        sqlDate(at),
      ),
    );
    const row = await t.db.processedUpdate.findFirstOrThrow({ where: { updateId: 'raw' } });
    expect(row.processedAt).toEqual(at);
  });

  it('a Boolean is 0/1 both ways', async () => {
    const p = await t.db.person.create({ data: { displayName: '守卫', role: 'resident', active: false } });
    const raw = await sqlOf(t.db).transaction((tx) =>
      tx.get<{ active: unknown }>('SELECT "active" FROM "Person" WHERE "id" = ?', p.id),
    );
    expect(raw?.active).toBe(sqlBool(false));
    await sqlOf(t.db).transaction((tx) =>
      tx.run('UPDATE "Person" SET "active" = ? WHERE "id" = ?', sqlBool(true), p.id),
    );
    expect((await t.db.person.findUniqueOrThrow({ where: { id: p.id } })).active).toBe(true);
  });
});
