// The case XLSX is written on its worker a chunk of cases at a time with ExcelJS's streaming
// writer (server/pages/xlsx-stream.ts, export-tables.ts casesXlsx) and streamed to the client:
// the whole table and the whole workbook, built on the main thread and held there, sixteen
// exports at once, held the event loop for over 50 ms (issue 19). The file must read back as
// the whole-table workbook did (toXlsx), for every viewer; a failure before the first byte is
// still an error answer and frees the gate slot.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toXlsx } from '../../server/pages/export-format.ts';
import { casesTable, casesXlsx } from '../../server/pages/export-tables.ts';
import { createExportGate, type ExportGate } from '../../server/routes/export-gate.ts';
import type { TestPerson } from '../helpers/case-factory.ts';
import { collectBytes as collect, EXPORT_NOW, seedExportBoard } from '../helpers/export-fixture.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const NOW = EXPORT_NOW;
let t: TestApp;
let gate: ExportGate;
const people: Record<string, TestPerson> = {};

/** What a reader of the file sees: sheets, cells, widths, the frozen bold header. */
async function readBack(file: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(file as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const rows: unknown[][] = [];
  ws.eachRow({ includeEmpty: true }, (row) => rows.push((row.values as unknown[]).slice(1)));
  return {
    sheets: wb.worksheets.map((w) => w.name),
    rows,
    widths: ws.columns.map((c) => c.width),
    frozen: ws.views.map((v) => [v.state, (v as { ySplit?: number }).ySplit]),
    bold: ws.getRow(1).getCell(1).font?.bold ?? false,
  };
}

beforeAll(async () => {
  gate = createExportGate(1, 0);
  t = await createTestApp({ clock: createFakeClock(NOW).now, exportGate: gate });
  Object.assign(people, await seedExportBoard(t));
});

afterAll(async () => t.close());

describe('streamed case XLSX', () => {
  it('reads back as the whole-table workbook for every viewer, over HTTP and a chunk at a time', async () => {
    for (const [who, p] of Object.entries(people)) {
      const whole = await readBack(await toXlsx([await casesTable(t.db, p.actor, {}, NOW)]));
      expect(whole.rows.length, who).toBeGreaterThan(1);
      const res = await t.app.inject({ url: '/exports/cases.xlsx', headers: p.auth });
      expect(res.statusCode, who).toBe(200);
      expect(res.headers['content-type'], who).toBe(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect(res.headers['content-disposition'], who).toBe('attachment; filename="cases-2026-11-20.xlsx"');
      expect(await readBack(res.rawPayload), who).toEqual(whole);
      // Chunks of 2 cases: rows held back for the contact columns' decision cross chunks.
      const streamed = await readBack(await collect(casesXlsx(t.db, p.actor, {}, NOW, { chunk: 2 })));
      expect(streamed, `${who} chunk 2`).toEqual(whole);
    }
    const admin = await readBack(await collect(casesXlsx(t.db, people.admin!.actor, {}, NOW, { chunk: 5 })));
    expect(admin.sheets).toEqual(['案件']);
    expect(admin.frozen).toEqual([['frozen', 1]]);
    expect(admin.bold).toBe(true);
    expect(admin.rows[0]!.slice(0, 3)).toEqual(['编号', '状态', '街道']);
    expect(admin.widths[8]).toBe(50);
    // A text that starts like a formula stays text in the file.
    expect(admin.rows.some((r) => r.includes('=已督促整改完毕，当事人 13912345678 表示配合'))).toBe(true);
    // The contact columns exist only where some row may show them.
    const header = async (who: string) =>
      (await readBack(await collect(casesXlsx(t.db, people[who]!.actor, {}, NOW, { chunk: 2 })))).rows[0]!;
    expect(await header('enforcer')).toContain('报告人电话');
    expect(await header('inspector')).not.toContain('报告人');
    // An export with no rows at all is the header alone.
    const none = await t.app.inject({ url: '/exports/cases.xlsx?q=没有这样的案件', headers: people.admin!.auth });
    expect(none.statusCode).toBe(200);
    expect((await readBack(none.rawPayload)).rows).toHaveLength(1);
    // The slot is free again once each download has closed.
    expect([gate.building, gate.waiting]).toEqual([0, 0]);
    // Each file starts a worker that loads ExcelJS: seconds on a loaded machine.
  }, 180_000);

  it('starts with the zip signature and can be abandoned after its first bytes', async () => {
    const chunks = casesXlsx(t.db, people.admin!.actor, {}, NOW, { chunk: 1 });
    const first = await chunks.next();
    expect(first.done).toBe(false);
    expect((first.value as Buffer).subarray(0, 2).toString()).toBe('PK');
    expect((await chunks.return(undefined)).done).toBe(true);
  });

  it('answers a failure before the first byte with an error page and frees the gate slot', async () => {
    // The export's rows read the latest rating; without its table the first chunk fails.
    await t.db.$executeRawUnsafe('DROP TABLE "Rating"');
    for (let i = 0; i < 2; i++) {
      // The gate has one slot and no queue: a slot kept by the first failure would make the second a 429.
      const res = await t.app.inject({ url: '/exports/cases.xlsx', headers: people.admin!.auth });
      expect(res.statusCode).toBe(500);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('服务器内部错误');
    }
    expect([gate.building, gate.waiting]).toEqual([0, 0]);
  });
});
