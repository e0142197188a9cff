// The board both streamed-export tests (CSV and XLSX) read: four staff viewers and twelve cases
// of one resident whose phone number runs through the text, so the contact columns and the
// redaction rules show. Newest first on the board, the lead's street and the enforcer's own
// case come late, so the rows before them wait for the header's decision.
import { createCaseFactory, type TestPerson } from './case-factory.ts';
import type { TestApp } from './test-app.ts';

export const EXPORT_NOW = new Date('2026-11-20T04:00:00Z');
const H = 3_600_000;

export type ExportViewers = Record<'admin' | 'lead' | 'enforcer' | 'inspector', TestPerson>;

export async function seedExportBoard(t: TestApp): Promise<ExportViewers> {
  const f = createCaseFactory(t.db);
  const people: ExportViewers = {
    admin: await f.person({ role: 'district_admin' }),
    lead: await f.person({ role: 'team_lead', street: '北湖街道' }),
    enforcer: await f.person({ role: 'enforcer', street: '万松街道' }),
    inspector: await f.person({ role: 'inspector', street: '万松街道' }),
  };
  const resident = await f.person({ role: 'resident', name: '王小明', phone: '13912345678' });
  for (let i = 0; i < 12; i++) {
    await f.case({
      reporterId: resident.id,
      street: i < 9 ? '万松街道' : '北湖街道',
      status: i % 3 ? 'closed' : 'accepted',
      text: `居民反映：青年路${i}号门口占道，"电话" 13912345678${i === 4 ? '\r\n第二行' : ''}`,
      address: i % 2 ? `青年路${i}号` : null,
      lat: i % 2 ? 30.59 : null,
      lng: i % 2 ? 114.27 : null,
      assigneeId: i === 1 ? people.enforcer.id : null,
      outcome: i % 3 ? '=已督促整改完毕，当事人 13912345678 表示配合' : null,
      createdAt: new Date(EXPORT_NOW.getTime() - (12 - i) * 20 * H),
      dueAt: new Date(EXPORT_NOW.getTime() - i * 10 * H),
    });
  }
  return people;
}

/** A streamed export's bytes, whole. */
export async function collectBytes(chunks: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of chunks) parts.push(c);
  return Buffer.concat(parts);
}

/**
 * `count` closed cases of one street, one a minute back from `now`, inserted at once: enough for
 * many export chunks, for the tests that a download's later chunks are read only as it is taken.
 */
export async function seedManyClosedCases(t: TestApp, count: number, now: Date): Promise<TestPerson> {
  const f = createCaseFactory(t.db);
  const admin = await f.person({ role: 'district_admin' });
  const resident = await f.person({ role: 'resident', name: '王小明', phone: '13912345678' });
  const street = await t.db.street.findUniqueOrThrow({ where: { name: '万松街道' } });
  await t.db.case.createMany({
    data: Array.from({ length: count }, (_, i) => ({
      number: `JH-20261119-${String(i + 1).padStart(4, '0')}`,
      text: `青年路${i}号门口占道经营，影响通行，请尽快处理。`,
      address: `青年路${i}号`,
      streetId: street.id,
      handling: 'street',
      status: 'closed',
      channel: 'telegram',
      reporterId: resident.id,
      outcome: '已督促整改完毕',
      createdAt: new Date(now.getTime() - (i + 1) * 60_000),
      closedAt: new Date(now.getTime() - i * 60_000),
    })),
  });
  return admin;
}
