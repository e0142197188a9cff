// The case CSV is streamed a chunk of cases at a time (server/pages/export-tables.ts casesCsv):
// holding a whole export in memory (20,000 row objects, the table, the joined text) sixteen
// times over made garbage collection hold the event loop for hundreds of milliseconds. The
// bytes are those of the whole-table CSV; a chunk is read only when the one before is taken;
// a failure before the first byte is still an error answer (the pages' error page) and frees the gate slot.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../core/case/case-types.ts';
import { toCsv } from '../../server/pages/export-format.ts';
import { casesCsv, casesTable } from '../../server/pages/export-tables.ts';
import { createExportGate, type ExportGate } from '../../server/routes/export-gate.ts';
import type { TestPerson } from '../helpers/case-factory.ts';
import { collectBytes as collect, EXPORT_NOW, seedExportBoard } from '../helpers/export-fixture.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const NOW = EXPORT_NOW;
let t: TestApp;
let gate: ExportGate;
const people: Record<string, TestPerson> = {};

beforeAll(async () => {
  gate = createExportGate(1, 0);
  t = await createTestApp({ clock: createFakeClock(NOW).now, exportGate: gate });
  Object.assign(people, await seedExportBoard(t));
});

afterAll(async () => t.close());

describe('streamed case CSV', () => {
  it('reads the next chunk of cases only when the one before has been taken', async () => {
    const admin = people.admin!.actor as Actor;
    const chunks = casesCsv(t.db, admin, {}, NOW, { chunk: 5 });
    const first = await chunks.next();
    expect(first.done).toBe(false);
    const head = (first.value as Buffer).toString('utf8');
    expect(head.startsWith('\uFEFF编号,')).toBe(true);
    expect(head).toContain('报告人电话');
    const numbersSoFar = head.match(/JH-\d{8}-\d+/g) ?? [];
    expect(numbersSoFar).toHaveLength(5);
    // A case further down the board changes after the first bytes are out: the rest of the
    // stream shows the change, so it was not read before the answer started.
    const later = await t.db.case.findFirstOrThrow({
      where: { number: { notIn: numbersSoFar } },
      orderBy: { id: 'asc' },
    });
    await t.db.case.update({ where: { id: later.id }, data: { text: '导出开始后才改的内容' } });
    const rest = (await collect({ [Symbol.asyncIterator]: () => chunks })).toString('utf8');
    expect(rest).toContain('导出开始后才改的内容');
    expect((rest.match(/JH-\d{8}-\d+/g) ?? []).length).toBe(7);
  });

  it('gives the bytes of the whole-table CSV for every viewer, over HTTP and a chunk at a time', async () => {
    for (const [who, p] of Object.entries(people)) {
      const whole = toCsv(await casesTable(t.db, p.actor, {}, NOW));
      const res = await t.app.inject({ url: '/exports/cases.csv', headers: p.auth });
      expect(res.statusCode, who).toBe(200);
      expect(res.headers['content-type'], who).toBe('text/csv; charset=utf-8');
      expect(res.headers['content-disposition'], who).toBe('attachment; filename="cases-2026-11-20.csv"');
      expect(res.rawPayload.equals(whole), who).toBe(true);
      for (const chunk of [1, 2, 5]) {
        const streamed = await collect(casesCsv(t.db, p.actor, {}, NOW, { chunk }));
        expect(streamed.equals(whole), `${who} chunk ${chunk}`).toBe(true);
      }
    }
    // The contact columns exist only where some row may show them.
    const header = (csv: Buffer) => csv.toString('utf8').split('\r\n')[0]!;
    expect(header(await collect(casesCsv(t.db, people.enforcer!.actor, {}, NOW, { chunk: 2 })))).toContain(
      '报告人电话',
    );
    expect(header(await collect(casesCsv(t.db, people.inspector!.actor, {}, NOW, { chunk: 2 })))).not.toContain(
      '报告人',
    );
    // An export with no rows at all is the header alone.
    const none = await t.app.inject({ url: '/exports/cases.csv?q=没有这样的案件', headers: people.admin!.auth });
    expect(none.statusCode).toBe(200);
    expect(none.body.split('\r\n').filter(Boolean)).toHaveLength(1);
    // The slot is free again once each download has closed.
    expect([gate.building, gate.waiting]).toEqual([0, 0]);
  });

  it('answers a failure before the first byte with an error page and frees the gate slot', async () => {
    // The export's rows read the latest rating; without its table the first chunk fails.
    await t.db.$executeRawUnsafe('DROP TABLE "Rating"');
    for (let i = 0; i < 2; i++) {
      // The gate has one slot and no queue: a slot kept by the first failure would make the second a 429.
      const res = await t.app.inject({ url: '/exports/cases.csv', headers: people.admin!.auth });
      expect(res.statusCode).toBe(500);
      // The export routes answer errors as the pages do: an error page with a Chinese message.
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('服务器内部错误');
    }
    expect([gate.building, gate.waiting]).toEqual([0, 0]);
  });
});
