import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Prisma } from '../../prisma/generated/client.ts';
import { rebuildCaseTally } from '../../db/case-tally.ts';
import { visibleCaseWhere } from '../../db/case-queries.ts';
import { sqlOf } from '../../db/prisma-client.ts';
import { createCaseFactory, type TestPerson } from '../helpers/case-factory.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

// The case list's totals and the public page's counts read "CaseTally" (db/case-tally.ts), a
// count per street, department, status, handling level and post kept by the case store, instead
// of counting every case (~100 ms a request at 1,000,000 cases). It must never drift.

let t: TestApp;
const P: Record<string, TestPerson> = {};

const post = (auth: string, url: string, payload: object = {}) =>
  t.app.inject({ method: 'POST', url, headers: { authorization: auth }, payload });

/** The tally as stored, and as a recount of the cases gives it (rows at 0 left out). */
async function tallies() {
  const stored = await t.db.$queryRawUnsafe<Array<Record<string, unknown>>>(
    `SELECT "streetId", "departmentId", "status", "handling", "post", "n" FROM "CaseTally" WHERE "n" <> 0`,
  );
  const recount = await t.db.$queryRawUnsafe<Array<Record<string, unknown>>>(
    `SELECT COALESCE("streetId", 0) AS "streetId", COALESCE("departmentId", 0) AS "departmentId", "status",
            COALESCE("handling", '') AS "handling", COALESCE("post", '') AS "post", COUNT(*) AS "n"
     FROM "Case" GROUP BY COALESCE("streetId", 0), COALESCE("departmentId", 0), "status", COALESCE("handling", ''), COALESCE("post", '')`,
  );
  const norm = (rows: Array<Record<string, unknown>>) =>
    rows
      .map(
        (r) =>
          `${Number(r.streetId)}|${Number(r.departmentId)}|${String(r.status)}|${String(r.handling)}|${String(r.post)}=${Number(r.n)}`,
      )
      .sort();
  return { stored: norm(stored), recount: norm(recount) };
}

beforeAll(async () => {
  t = await createTestApp();
  const f = createCaseFactory(t.db);
  P.admin = await f.person({ role: 'district_admin' });
  P.leadWs = await f.person({ role: 'team_lead', street: '万松街道' });
  P.inspectorBh = await f.person({ role: 'inspector', street: '北湖街道' });
  P.liaison = await f.person({ role: 'dept_liaison', department: '公安' });
  P.r1 = await f.person({ role: 'resident' });
  // Cases in several streets, states, posts and handling levels; the team lead reported one in
  // another street and follows another, the liaison's department holds one.
  const other = await f.case({ reporterId: P.leadWs.id, street: '北湖街道', status: 'accepted', itemCode: 'SR-001' });
  const followed = await f.case({ reporterId: P.r1.id, street: '唐家墩街道', status: 'closed' });
  await f.follow(followed.id, P.leadWs.id);
  await f.case({ reporterId: P.r1.id, street: '万松街道', status: 'dispatched', itemCode: 'SR-001' });
  await f.case({ reporterId: P.r1.id, street: '万松街道', status: 'closed' });
  await f.case({ reporterId: P.r1.id, department: '公安', status: 'accepted' });
  await f.case({ reporterId: P.r1.id, status: 'triage', handling: null });
  expect(other.streetId).not.toBeNull();
});
afterAll(async () => t.close());

describe('case tally', () => {
  it('follows every case the store writes: reports, acceptance, resolution, closure', async () => {
    const resident = await t.staff('resident');
    const lead = await t.staff('team_lead', { street: '花楼水塔街道' });
    const inspector = await t.staff('inspector', { street: '花楼水塔街道' });
    const made = await post(resident.auth, '/api/cases', {
      text: '江汉关这边人行道上有流动摊贩摆摊卖烤红薯，占了大半条路',
      address: '江汉区鄱阳路',
    });
    expect(made.statusCode).toBe(201);
    const n = (made.json() as { case: { number: string; status: string } }).case.number;
    expect((await tallies()).stored).toEqual((await tallies()).recount);
    if ((made.json() as { case: { status: string } }).case.status === 'triage')
      expect((await post(lead.auth, `/api/cases/${n}/actions/register`, { itemCode: 'SR-001' })).statusCode).toBe(200);
    expect((await post(lead.auth, `/api/cases/${n}/actions/accept`)).statusCode).toBe(200);
    let now = await tallies();
    expect(now.stored).toEqual(now.recount);
    expect(
      (await post(lead.auth, `/api/cases/${n}/actions/resolve`, { note: '已劝离', mode721: 'service' })).statusCode,
    ).toBe(200);
    expect((await post(inspector.auth, `/api/cases/${n}/actions/verify`)).statusCode).toBe(200);
    now = await tallies();
    expect(now.stored).toEqual(now.recount);
    expect(now.stored.some((r) => r.includes('|closed|'))).toBe(true);
  });

  it('is rebuilt from the cases for a database written around the store', async () => {
    await t.db.$executeRawUnsafe(`UPDATE "CaseTally" SET "n" = "n" + 7`);
    await sqlOf(t.db).transaction((tx) => rebuildCaseTally(tx));
    const now = await tallies();
    expect(now.stored).toEqual(now.recount);
  });

  it('gives each scope and filter the total a count of its cases gives', async () => {
    const wanted: Array<[string, Prisma.CaseWhereInput]> = [
      ['', {}],
      ['status=closed', { status: 'closed' }],
      ['status=accepted,dispatched', { status: { in: ['accepted', 'dispatched'] } }],
      [`street=${encodeURIComponent('万松街道')}`, { street: { name: '万松街道' } }],
      ['handling=department', { handling: 'department' }],
      [`post=${encodeURIComponent('市容市政')}`, { post: '市容市政' }],
      [
        `street=${encodeURIComponent('北湖街道')}&status=accepted`,
        { street: { name: '北湖街道' }, status: 'accepted' },
      ],
    ];
    for (const who of Object.values(P))
      for (const [qs, where] of wanted) {
        const res = await t.app.inject({ url: `/api/cases?${qs}`, headers: who.auth });
        expect(res.statusCode).toBe(200);
        const expected = await t.db.case.count({ where: { AND: [visibleCaseWhere(who.actor), where] } });
        expect((res.json() as { total: number }).total, `${who.actor.role} ${qs}`).toBe(expected);
      }
  });

  it('is what the list counts: its total is the tally, not a count over the cases', async () => {
    const before = (await t.app.inject({ url: '/api/cases', headers: P.admin!.auth })).json() as { total: number };
    await t.db.$executeRawUnsafe(
      `UPDATE "CaseTally" SET "n" = "n" + 1000 WHERE "status" = 'closed' AND "n" > 0 AND "streetId" = (SELECT MIN("streetId") FROM "CaseTally" WHERE "status" = 'closed' AND "n" > 0)`,
    );
    try {
      const after = (await t.app.inject({ url: '/api/cases', headers: P.admin!.auth })).json() as { total: number };
      expect(after.total - before.total).toBeGreaterThanOrEqual(1000);
    } finally {
      await sqlOf(t.db).transaction((tx) => rebuildCaseTally(tx));
    }
  });
});
