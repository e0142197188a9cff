import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportRowsAfter } from '../../db/case-export-rows.ts';
import { parseBoardFilters, toListQuery } from '../../server/pages/board-query.ts';
import { toCsv, toCsvYielding } from '../../server/pages/export-format.ts';
import { attachReaderPool, createReaderPool, type ReaderPool } from '../../db/reader-pool.ts';
import { createCaseFactory, type TestPerson } from '../helpers/case-factory.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * The case export reads its columns with one raw statement per chunk on the reader pool, the
 * list's keyset paging and the columns together (db/case-export-rows.ts), instead of a Prisma
 * include on the main thread: the rows must be those the include gave, field for field, in the
 * list's order, and the exported files the same.
 */
const NOW = new Date('2026-11-20T04:00:00Z');
const H = 3_600_000;
let t: TestApp;
let pool: ReaderPool;
let admin: TestPerson;
const numbers: string[] = [];

const listQuery = (pageSize: number) => toListQuery(parseBoardFilters({}), 1, pageSize);

const prismaRows = (numbersWanted: string[]) =>
  t.db.case.findMany({
    where: { number: { in: numbersWanted } },
    include: {
      street: { select: { name: true } },
      department: { select: { name: true } },
      item: { select: { code: true, name: true } },
      assignee: { select: { displayName: true } },
      reporter: { select: { displayName: true, phone: true } },
      ratings: { orderBy: { id: 'desc' }, take: 1, select: { score: true } },
    },
    orderBy: { id: 'asc' },
  });

beforeAll(async () => {
  // The reader pool is SQLite's (worker threads over the file): PostgreSQL's driver needs none.
  t = await createTestApp({ clock: createFakeClock(NOW).now, engine: 'sqlite' });
  const f = createCaseFactory(t.db);
  admin = await f.person({ role: 'district_admin' });
  const resident = await f.person({ role: 'resident', name: '王小明', phone: '13912345678' });
  const enforcer = await f.person({ role: 'enforcer', name: '李执法', street: '万松街道' });
  for (let i = 0; i < 12; i++) {
    const c = await f.case({
      reporterId: resident.id,
      street: i % 4 === 3 ? null : i % 2 ? '万松街道' : '北湖街道',
      department: i % 4 === 3 ? '市场监管' : null,
      itemCode: i % 5 === 4 ? null : 'SR-001',
      status: i % 3 ? 'closed' : 'accepted',
      text: `居民反映：青年路${i}号门口占道，电话 13912345678`,
      address: i % 2 ? `青年路${i}号` : null,
      lat: i % 2 ? 30.59 : null,
      lng: i % 2 ? 114.27 : null,
      urgent: i % 4 === 0,
      assigneeId: i % 3 === 0 ? enforcer.id : null,
      outcome: i % 3 ? '已督促整改完毕，当事人 13912345678 表示配合' : null,
      mode721: i % 3 ? 'management' : null,
      reworkCount: i % 2,
      reopenCount: i % 5 === 0 ? 1 : 0,
      createdAt: new Date(NOW.getTime() - (i + 2) * 20 * H),
      dueAt: i % 6 === 5 ? null : new Date(NOW.getTime() - i * 10 * H),
      resolvedAt: i % 3 ? new Date(NOW.getTime() - (i + 1) * 10 * H) : null,
    });
    numbers.push(c.number);
    if (i % 3 === 1) {
      await f.rating(c.id, resident.id, 'unsatisfied');
      await f.rating(c.id, resident.id, 'satisfied');
    }
  }
  pool = createReaderPool(t.url, 1);
});

afterAll(async () => {
  await pool?.close();
  await t.close();
});

describe('case export rows', () => {
  it('builds the same CSV bytes a slice at a time', async () => {
    const table = {
      sheet: 's',
      headers: ['编号', '内容'],
      rows: Array.from({ length: 12 }, (_, i) => [`JH-${i}`, i % 2 ? '=1+1, "引号"' : i]),
    };
    expect(await toCsvYielding(table, 5)).toEqual(toCsv(table));
  });

  it('are the rows the Prisma include gave, on the main connection and on the reader pool', async () => {
    const expected = await prismaRows(numbers);
    const shape = (rows: Array<Record<string, unknown>>) =>
      [...rows]
        .sort((a, b) => Number(a.id) - Number(b.id))
        .map((r) => {
          const { id, number, status, text, address, lat, lng, handling, post, urgent, channel, mode721, outcome } = r;
          const { returnCount, reworkCount, reopenCount, reporterId, streetId, departmentId, assigneeId } = r;
          const { createdAt, dueAt, resolvedAt, closedAt, street, department, item, assignee, reporter, ratings } = r;
          return {
            ...{ id, number, status, text, address, lat, lng, handling, post, urgent, channel, mode721, outcome },
            ...{ returnCount, reworkCount, reopenCount, reporterId, streetId, departmentId, assigneeId },
            ...{ createdAt, dueAt, resolvedAt, closedAt, street, department, item, assignee, reporter, ratings },
          };
        });
    // Two keyset pages of 7 and 5: the second continues where the first stopped.
    const pages = async () => {
      const first = await exportRowsAfter(t.db, admin.actor, listQuery(7), '', NOW);
      expect(first.nextCursor).not.toBeNull();
      const second = await exportRowsAfter(t.db, admin.actor, listQuery(7), first.nextCursor!, NOW);
      expect(second.nextCursor).toBeNull();
      return [...first.rows, ...second.rows];
    };
    const direct = await pages();
    expect(direct).toHaveLength(numbers.length);
    expect(shape(direct as unknown as Array<Record<string, unknown>>)).toEqual(
      shape(expected as unknown as Array<Record<string, unknown>>),
    );
    // In the list's order (its default: overdue first, then the newest).
    const list = await t.app.inject({ url: '/api/cases?pageSize=100', headers: admin.auth });
    expect(direct.map((r) => r.number)).toEqual(
      list.json<{ items: Array<{ number: string }> }>().items.map((i) => i.number),
    );
    attachReaderPool(t.db, pool);
    const pooled = await pages();
    expect(shape(pooled as unknown as Array<Record<string, unknown>>)).toEqual(
      shape(expected as unknown as Array<Record<string, unknown>>),
    );
  });

  it('exports the same CSV and XLSX through the pool and the XLSX worker', async () => {
    const csv = await t.app.inject({ url: '/exports/cases.csv', headers: admin.auth });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body.trim().split('\r\n');
    expect(lines).toHaveLength(numbers.length + 1);
    // The reporter's contact columns exist for the bureau; the latest rating is shown.
    expect(lines[0]).toContain('报告人电话');
    expect(csv.body).toContain('13912345678');
    expect(csv.body).toContain('满意');
    // In the board's order: the list's.
    const list = await t.app.inject({ url: '/api/cases?pageSize=100', headers: admin.auth });
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(
      list.json<{ items: Array<{ number: string }> }>().items.map((i) => i.number),
    );
    const xlsx = await t.app.inject({ url: '/exports/cases.xlsx', headers: admin.auth });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });
});
