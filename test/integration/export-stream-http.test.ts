// The case CSV and XLSX answers start before the export has been read to its end (issue 19: no
// request holds the event loop for more than 50 ms; a whole export held in memory, or the whole
// table mapped and the whole workbook handed back on the main thread, sixteen exports at once,
// did). The main thread holds a chunk of cases at a time, read in the board's order, each chunk in
// one statement: a change made while a download is under way shows in a tail of its rows, never
// in its first chunk (read before the answer starts), never in a row before an unchanged one.
//
// How far the export reads ahead of the client differs. The CSV's own bytes hold it back: with the
// download unread, the stream buffers fill after a chunk or two and the later chunks wait, so a
// change made then shows in the rest. The XLSX's bytes come from ExcelJS on its worker, which may
// hold a sheet's XML until the sheet ends: an unread download has nothing to hold back, and the
// chunks are read as the worker takes them (xlsx-stream.ts), so a change made after the answer
// started may show in no row at all (it did when the update took longer than the worker, on
// PostgreSQL under load).
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
let t: TestApp;
let admin: TestPerson;

beforeAll(async () => {
  t = await createTestApp({ clock: createFakeClock(NOW).now });
  admin = await seedManyClosedCases(t, CASES, NOW);
});

afterAll(async () => t.close());

/** Each case's report text (报告内容) as the downloaded file gives it. */
async function reportTexts(bytes: Buffer, format: 'csv' | 'xlsx'): Promise<string[]> {
  if (format === 'csv') return bytes.toString('utf8').trim().split('\r\n').slice(1);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('案件')!;
  const column = (ws.getRow(1).values as unknown[]).indexOf('报告内容');
  const texts: string[] = [];
  ws.eachRow((row, n) => {
    if (n > 1) texts.push(String(row.getCell(column).value));
  });
  return texts;
}

const FORMATS = [
  { format: 'csv', contentType: 'text/csv; charset=utf-8', heldBackByClient: true },
  {
    format: 'xlsx',
    contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    heldBackByClient: false,
  },
] as const;

describe.each(FORMATS)('streamed case $format over HTTP', ({ format, contentType, heldBackByClient }) => {
  it('starts the answer after its first chunk; a change made meanwhile shows only in a tail of it', async () => {
    // Each format's own text: the cases keep what the format before set.
    const changedText = `导出开始后才改的内容（${format}）`;
    const res = await t.app.inject({ url: `/exports/cases.${format}`, headers: admin.auth, payloadAsStream: true });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe(contentType);
    // Nothing of the download has been taken yet: every case changes now.
    await t.db.case.updateMany({ data: { text: changedText } });
    const parts: Buffer[] = [];
    for await (const part of res.stream()) parts.push(part as Buffer);
    const texts = await reportTexts(Buffer.concat(parts), format);
    expect(texts).toHaveLength(CASES);
    const changed = texts.map((text) => text.includes(changedText));
    const firstChanged = changed.indexOf(true);
    const unchanged = firstChanged === -1 ? CASES : firstChanged;
    // The first chunk was read before the answer started; past the first changed row, all are.
    expect(unchanged).toBeGreaterThanOrEqual(CSV_CHUNK);
    expect(changed.slice(unchanged).every(Boolean)).toBe(true);
    // Held back by the unread download, the last chunks were read only as it was taken.
    if (heldBackByClient) expect(unchanged).toBeLessThan(CASES);
  });
});
