// The case CSV and XLSX answers start before the export has been read to its end (issue 19: no
// request holds the event loop for more than 50 ms; a whole export held in memory, or the whole
// table mapped and the whole workbook handed back on the main thread, sixteen exports at once,
// did). The main thread holds a chunk of cases at a time: with the download unread after its
// first bytes, later chunks are not yet fetched, so a change made then shows in the rest of it.
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
  { format: 'csv', contentType: 'text/csv; charset=utf-8' },
  { format: 'xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
] as const;

describe.each(FORMATS)('streamed case $format over HTTP', ({ format, contentType }) => {
  it('starts the answer before the later chunks of cases are read', async () => {
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
    const changed = texts.filter((text) => text.includes(changedText)).length;
    // The first chunk was read before the answer started; the last ones only as it was taken.
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThan(CASES);
  });
});
