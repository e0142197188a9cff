// A Prisma transaction that reads and then writes, while another connection (the server, or a
// command-line tool beside it) writes to the same file: it must wait its turn, not fail.
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';

let t: TestDb;
afterAll(async () => t?.db.$disconnect());

describe('Prisma transactions beside another writer', () => {
  it('a read-then-write transaction commits although another connection wrote after its read', async () => {
    t = await createTestDb();
    const other = new Database(t.url.replace(/^file:/, ''), { timeout: 0 });
    let otherWrote: boolean | undefined;
    await t.db.$transaction(async (tx) => {
      await tx.street.count(); // the read: a deferred BEGIN takes its snapshot here
      try {
        other
          .prepare(
            `INSERT INTO "Department" (code, name, "fullName", kind) VALUES ('x1', '测试部门', '测试部门', 'department')`,
          )
          .run();
        otherWrote = true;
      } catch {
        otherWrote = false; // the other process would wait on busy_timeout for this commit
      }
      await tx.department.create({
        data: { code: 'x2', name: '测试部门二', fullName: '测试部门二', kind: 'department' },
      });
    });
    expect(otherWrote).toBe(false);
    expect(await t.db.department.count({ where: { code: 'x2' } })).toBe(1);
    other
      .prepare(
        `INSERT INTO "Department" (code, name, "fullName", kind) VALUES ('x1', '测试部门', '测试部门', 'department')`,
      )
      .run();
    other.close();
  });
});
