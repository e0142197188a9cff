// A case's photos are read on every staff card at intake (reportPhotos) and when a case is
// published (resolutionPhotos). Both used to scan the whole Attachment table (no index on
// "eventId"): at the 1M-case benchmark's 2,000 photos 3.4 ms a card on the event loop, and growing
// with every photo kept. Checked on the plan, never on timing, and on the rows they return.
import { beforeAll, expect, it } from 'vitest';
import { createCaseStore, REPORT_PHOTOS_SQL, RESOLUTION_PHOTOS_SQL } from '../../db/case-store.ts';
import { seedReferenceData } from '../../db/seed.ts';
import { createCaseFactory } from '../helpers/case-factory.ts';
import { forEachEngine } from '../contract/engines.ts';

forEachEngine((t) => {
  let caseId = 0;
  const expected = { report: [] as number[], resolution: [] as number[] };

  beforeAll(async () => {
    const { db } = t();
    await seedReferenceData(db);
    const f = createCaseFactory(db);
    const resident = await f.person({ role: 'resident' });
    const lead = await f.person({ role: 'team_lead', street: '万松街道' });
    const other = await f.case({ reporterId: resident.id, street: '万松街道' });
    const c = await f.case({ reporterId: resident.id, street: '万松街道' });
    caseId = c.id;
    const submitted = await f.event(c.id, { type: 'submitted', actorId: resident.id, actorRole: 'resident' });
    const resolved1 = await f.event(c.id, { type: 'resolved', actorId: lead.id, actorRole: 'team_lead' });
    const resolved2 = await f.event(c.id, { type: 'resolved', actorId: lead.id, actorRole: 'team_lead' });
    const otherEvent = await f.event(other.id, { type: 'submitted', actorId: resident.id, actorRole: 'resident' });
    // Many photos of other cases, so a scan of Attachment would show in SQLite's plan.
    for (let i = 0; i < 30; i++) await f.attachment({ caseId: other.id, eventId: otherEvent.id, path: `o${i}.jpg` });
    for (let i = 0; i < 4; i++)
      expected.report.push((await f.attachment({ caseId: c.id, eventId: submitted.id, path: `s${i}.jpg` })).id);
    await f.attachment({ caseId: c.id, eventId: submitted.id, path: 'v.ogg', mime: 'audio/ogg' });
    await f.attachment({ caseId: c.id, eventId: resolved1.id, path: 'r1.jpg' });
    for (let i = 0; i < 2; i++)
      expected.resolution.push((await f.attachment({ caseId: c.id, eventId: resolved2.id, path: `r2${i}.jpg` })).id);
  });

  it('reportPhotos and resolutionPhotos read the case through its index, never a scan of Attachment', async () => {
    const { db, engine } = t();
    if (engine !== 'sqlite') return; // PostgreSQL plans a few dozen rows by cost; the rows are checked below
    for (const [sql, args] of [
      [REPORT_PHOTOS_SQL, [caseId, caseId, 3]],
      [RESOLUTION_PHOTOS_SQL, [caseId, caseId]],
    ] as const) {
      const plan = await db.$queryRawUnsafe<Array<{ detail: string }>>(`EXPLAIN QUERY PLAN ${sql}`, ...args);
      const text = plan.map((p) => p.detail).join('\n');
      expect(text).toMatch(/SEARCH a USING INDEX Attachment_caseId_idx/);
      expect(text).not.toMatch(/SCAN a\b/);
    }
  });

  it("return the case's first submitted images, and the last resolution's photos", async () => {
    const store = createCaseStore(t().db, async () => {});
    expect(await store.transaction((tx) => tx.reportPhotos(caseId, 3))).toEqual(expected.report.slice(0, 3));
    expect(await store.transaction((tx) => tx.resolutionPhotos(caseId))).toEqual(expected.resolution);
  });
});
