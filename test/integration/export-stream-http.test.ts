// The case CSV answer starts before the export has been read to its end (issue 19: no request
// holds the event loop for more than 50 ms; a whole export held in memory, 16 at a time, made
// garbage collection do so). With the download unread after its first bytes, later chunks of
// cases are not yet fetched: a change made then shows in the rest of the download.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSV_CHUNK } from '../../server/pages/export-tables.ts';
import type { TestPerson } from '../helpers/case-factory.ts';
import { seedManyClosedCases } from '../helpers/export-fixture.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

const NOW = new Date('2026-11-20T04:00:00Z');
/** More than two chunks: the first is read before the answer starts, one more may be read ahead. */
const CASES = 5 * CSV_CHUNK;
let t: TestApp;
let admin: TestPerson;

beforeAll(async () => {
  t = await createTestApp({ clock: createFakeClock(NOW).now });
  admin = await seedManyClosedCases(t, CASES, NOW);
});

afterAll(async () => t.close());

describe('streamed case CSV over HTTP', () => {
  it('starts the answer before the later chunks of cases are read', async () => {
    const res = await t.app.inject({ url: '/exports/cases.csv', headers: admin.auth, payloadAsStream: true });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    // Nothing of the download has been taken yet: every case changes now.
    await t.db.case.updateMany({ data: { text: '导出开始后才改的内容' } });
    const parts: Buffer[] = [];
    for await (const part of res.stream()) parts.push(part as Buffer);
    const lines = Buffer.concat(parts).toString('utf8').trim().split('\r\n');
    expect(lines).toHaveLength(CASES + 1);
    const changed = lines.filter((l) => l.includes('导出开始后才改的内容')).length;
    // The first chunk was read before the answer started; the last ones only as it was taken.
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThan(CASES);
  });
});
