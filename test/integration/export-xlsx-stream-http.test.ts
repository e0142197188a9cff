// The case XLSX answer starts before the export has been read to its end (issue 19: no request
// holds the event loop for more than 50 ms; the whole table read and mapped on the main thread,
// and the whole workbook handed back to it, sixteen exports at once, did). The main thread holds
// a chunk of cases at a time: with the download unread after its first bytes, later chunks are
// not yet fetched, so a change made then shows in the rest of the file.
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_CHUNK } from '../../server/pages/export-tables.ts';
import type { TestPerson } from '../helpers/case-factory.ts';
import { seedManyClosedCases } from '../helpers/export-fixture.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const NOW = new Date('2026-11-20T04:00:00Z');
/** Many chunks: the first is read before the answer starts, a few more may be read ahead. */
const CASES = 10 * CSV_CHUNK;
const CHANGED = '导出开始后才改的内容';
let t: TestApp;
let admin: TestPerson;

beforeAll(async () => {
  t = await createTestApp({ clock: createFakeClock(NOW).now });
  admin = await seedManyClosedCases(t, CASES, NOW);
});

afterAll(async () => t.close());

describe('streamed case XLSX over HTTP', () => {
  it('starts the answer before the later chunks of cases are read', async () => {
    const res = await t.app.inject({ url: '/exports/cases.xlsx', headers: admin.auth, payloadAsStream: true });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    // Nothing of the download has been taken yet: every case changes now.
    await t.db.case.updateMany({ data: { text: CHANGED } });
    const parts: Buffer[] = [];
    for await (const part of res.stream()) parts.push(part as Buffer);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.concat(parts) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('案件')!;
    expect(ws.rowCount).toBe(CASES + 1);
    const column = (ws.getRow(1).values as unknown[]).indexOf('报告内容');
    let changed = 0;
    ws.eachRow((row, n) => {
      if (n > 1 && row.getCell(column).value === CHANGED) changed += 1;
    });
    // The first chunk was read before the answer started; the last ones only as it was taken.
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThan(CASES);
  });
});
