import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { onTimeCounts, onTimeRate } from '../../core/stats/assessment-rules.ts';
import { parseBound } from '../../core/stats/period-fns.ts';
import { loadStatsView } from '../../server/pages/stats-view.ts';
import { createCaseFactory, type CaseInput, type TestPerson } from '../helpers/case-factory.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

/**
 * The assessment figures (按期结案率, 部门考核, 人员考核) of November 2026, worked out by hand.
 * The clock stands at 20 November 12:00 Beijing time, so some of November's deadlines are
 * still ahead. Every instant is 04:00Z = 12:00 Beijing time on the day named; "+Nh" adds hours.
 */
const d = (day: string, hours = 0) => new Date(Date.parse(`2026-${day}T04:00:00Z`) + hours * 3_600_000);
const NOW = d('11-20');
const W = '万松街道';
const B = '北湖街道';
const D = '市场监管';

let t: TestApp;
let app: FastifyInstance;
const P: Record<string, TestPerson> = {};

beforeAll(async () => {
  const clock = createFakeClock(NOW);
  t = await createTestApp({ clock: clock.now });
  app = t.app;
  const f = createCaseFactory(t.db);
  P.leadW = await f.person({ role: 'team_lead', street: W, name: '万松中队长' });
  P.enfW1 = await f.person({ role: 'enforcer', street: W, name: '万松一队员' });
  P.enfW2 = await f.person({ role: 'enforcer', street: W, name: '万松二队员' });
  P.enfW3 = await f.person({ role: 'enforcer', street: W, name: '万松三队员' });
  P.leadB = await f.person({ role: 'team_lead', street: B, name: '北湖中队长' });
  P.liaison = await f.person({ role: 'dept_liaison', department: D, name: '市场监管联络员' });
  P.inspW = await f.person({ role: 'inspector', street: W });
  P.admin = await f.person({ role: 'district_admin' });
  P.resident = await f.person({ role: 'resident' });
  const r = P.resident.id;
  const c = (o: Omit<CaseInput, 'reporterId'>) => f.case({ ...o, reporterId: r });
  const ev = (caseId: number, type: string, who: TestPerson, at: Date, data?: Record<string, unknown>) =>
    f.event(caseId, { type, actorId: who.id, actorRole: who.actor.role, createdAt: at, ...(data ? { data } : {}) });

  // 万松
  const w1 = await c({ street: W, status: 'closed', createdAt: d('11-02'), dueAt: d('11-06'), closedAt: d('11-05') });
  await ev(w1.id, 'resolved', P.enfW1, d('11-04'));
  const w2 = await c({ street: W, status: 'closed', createdAt: d('11-03'), dueAt: d('11-05'), closedAt: d('11-08') });
  await ev(w2.id, 'resolved', P.enfW1, d('11-07'));
  const w3 = await c({
    street: W,
    status: 'closed',
    createdAt: d('11-03'),
    dueAt: d('11-12'), // as moved by the approved 缓办
    postponed: true,
    closedAt: d('11-11'),
  });
  await ev(w3.id, 'resolved', P.enfW2, d('11-10'));
  const w4 = await c({ street: W, status: 'accepted', createdAt: d('11-15'), dueAt: d('11-25') });
  await ev(w4.id, 'assigned', P.leadW, d('11-15'), { assigneeId: P.enfW3.id });
  const w5 = await c({ street: W, status: 'dispatched', createdAt: d('11-01'), dueAt: d('11-10') });
  await ev(w5.id, 'returned', P.leadW, d('11-02')); // a street's return is no department's
  const w6 = await c({
    street: W,
    status: 'closed',
    createdAt: d('11-05'),
    dueAt: d('11-14'),
    closedAt: d('11-13'),
    reworkCount: 1,
  });
  await ev(w6.id, 'resolved', P.enfW2, d('11-08'));
  await ev(w6.id, 'rework', P.inspW, d('11-09'));
  await ev(w6.id, 'resolved', P.enfW2, d('11-12'));
  await c({ street: W, status: 'closed', createdAt: d('10-20'), dueAt: d('11-02'), closedAt: d('10-30') });
  const w8 = await c({ street: W, status: 'closed', createdAt: d('10-25'), dueAt: d('10-30'), closedAt: d('11-03') });
  await ev(w8.id, 'resolved', P.enfW1, d('10-29'));
  const w9 = await c({ street: W, status: 'resolved', createdAt: d('11-16'), dueAt: d('11-18') });
  await ev(w9.id, 'resolved', P.leadW, d('11-17'));
  await c({ street: W, status: 'merged', createdAt: d('11-04'), dueAt: d('11-09') });
  // 北湖
  const b1 = await c({ street: B, status: 'closed', createdAt: d('11-06'), dueAt: d('11-30'), closedAt: d('11-08') });
  await ev(b1.id, 'resolved', P.leadB, d('11-07'));
  await c({ street: B, status: 'accepted', createdAt: d('11-18'), dueAt: d('11-27') });
  await c({ street: B, status: 'rejected', createdAt: d('11-02'), dueAt: d('11-05'), closedAt: d('11-02') });
  const b4 = await c({ street: B, status: 'dispatched', createdAt: d('11-03'), dueAt: d('11-19'), reopenCount: 1 });
  await ev(b4.id, 'resolved', P.leadB, d('11-05'));
  await f.event(b4.id, { type: 'reopened', actorId: r, actorRole: 'reporter', createdAt: d('11-09') });
  // 市场监管 (referred by the bureau)
  const d1 = await c({
    street: B,
    department: D,
    status: 'closed',
    createdAt: d('11-08'),
    responseDueAt: d('11-10'),
    dueAt: d('11-19'),
    closedAt: d('11-13'),
  });
  await ev(d1.id, 'referred', P.admin, d('11-09'), { department: D });
  await ev(d1.id, 'accepted', P.liaison, d('11-09', 2));
  await ev(d1.id, 'resolved', P.liaison, d('11-12'));
  const d2 = await c({
    street: W,
    department: D,
    status: 'accepted',
    createdAt: d('11-10'),
    responseDueAt: d('11-12'),
    dueAt: d('11-19'),
  });
  await ev(d2.id, 'referred', P.admin, d('11-11'), { department: D });
  await ev(d2.id, 'accepted', P.liaison, d('11-13'));
  const d3 = await c({
    street: W,
    status: 'triage',
    createdAt: d('11-13'),
    responseDueAt: d('11-15'),
    dueAt: d('11-28'),
  });
  await ev(d3.id, 'referred', P.admin, d('11-14'), { department: D });
  await ev(d3.id, 'returned', P.liaison, d('11-14', 3));
  const d4 = await c({
    street: B,
    department: D,
    status: 'closed',
    createdAt: d('10-27'),
    responseDueAt: d('10-29'),
    dueAt: d('11-03'),
    closedAt: d('11-04'),
  });
  await ev(d4.id, 'referred', P.admin, d('10-28'), { department: D });
});
afterAll(async () => t?.close());

// ---- November 2026 by hand ----------------------------------------------------------------
// 万松 due: W1 (closed 11-05 ≤ 11-06), W2 (deadline 11-05 passed, closed late), W3 (closed by
//   its 缓办 deadline, postponed), W5 (deadline 11-10 passed, open), W6 (closed 11-13 ≤ 11-14),
//   W9 (deadline 11-18 passed, awaiting verification), D2 (deadline 11-19 passed, open) = 7.
//   Not due: W4 and D3 (deadlines 11-25, 11-28 still ahead), W7 (closed by its deadline in
//   October), W8 (deadline in October), W10 (merged).
//   postponed 1 (W3); on time W1, W6 = 2 → 2 / (7 − 1) = 0.3333
// 北湖 due: B1 (closed 11-08, deadline 11-30 ahead but closed), B4 (reopened, deadline 11-19
//   passed), D1 (closed 11-13 ≤ 11-19), D4 (deadline 11-03, closed late) = 4; B2 (deadline
//   ahead) and B3 (rejected) are not due. On time B1, D1 = 2 → 2 / 4 = 0.5
// District: due 11, postponed 1, on time 4 → 4 / 10 = 0.4
const TABLE = {
  district: { due: 11, postponed: 1, closedOnTime: 4, onTimeRate: 0.4 },
  [W]: { due: 7, postponed: 1, closedOnTime: 2, onTimeRate: 0.3333 },
  [B]: { due: 4, postponed: 0, closedOnTime: 2, onTimeRate: 0.5 },
};
// 市场监管: referred D1 11-09, D2 11-11, D3 11-14 = 3 (D4 was referred in October);
//   accepted in time D1 (11-09 14:00 ≤ 11-10); D2 accepted 11-13 > 11-12; D3 returned = 1.
//   Its cases due: D1 (on time), D2, D4 = 3 → 1 / 3.
const SCJG = {
  department: D,
  referralsReceived: 3,
  acceptedInTime: 1,
  acceptedInTimeRate: 0.3333,
  returned: 1,
  due: 3,
  postponed: 0,
  closedOnTime: 1,
  onTimeRate: 0.3333,
};
const EMPTY_DEPT = {
  referralsReceived: 0,
  acceptedInTime: 0,
  acceptedInTimeRate: null,
  returned: 0,
  due: 0,
  postponed: 0,
  closedOnTime: 0,
  onTimeRate: null,
};
// People (resolved in November, each case once): 一队员 W1 (on time), W2 (late);
//   二队员 W3 (postponed: not on time), W6 (on time; 核查不通过 after the resolution → rework);
//   三队员 only assigned W4; 万松中队长 W9 (not closed yet); 北湖中队长 B1 (on time),
//   B4 (reopened after the resolution → rework). W8's resolution was in October. The liaison
//   is no team lead or enforcer. Order: street, then most handled.
const PEOPLE = [
  { person: '万松一队员', role: 'enforcer', street: W, handled: 2, onTime: 1, rework: 0 },
  { person: '万松二队员', role: 'enforcer', street: W, handled: 2, onTime: 1, rework: 1 },
  { person: '万松中队长', role: 'team_lead', street: W, handled: 1, onTime: 0, rework: 0 },
  { person: '万松三队员', role: 'enforcer', street: W, handled: 0, onTime: 0, rework: 0 },
  { person: '北湖中队长', role: 'team_lead', street: B, handled: 2, onTime: 1, rework: 1 },
];
// The public page's default, the last 30 days (22 October – 20 November): November's 11, plus
//   W7 (closed 10-30 by its deadline, on time) and W8 (deadline 10-30, closed late) → due 13,
//   postponed 1, on time 5 → 5 / 12 = 41.7 %; 市场监管 also received D4 (10-28): 4 referrals.
const LAST_30 = { due: 13, postponed: 1, closedOnTime: 5, onTimeRate: 0.4167 };

const NOV = 'from=2026-11-01&to=2026-11-30';
const pick = (figures: object) => {
  const f = figures as Record<string, unknown>;
  return { due: f.due, postponed: f.postponed, closedOnTime: f.closedOnTime, onTimeRate: f.onTimeRate };
};
interface Body {
  totals: Record<string, unknown>;
  streets: Array<Record<string, unknown> & { street: string }>;
  departments: Array<Record<string, unknown> & { department: string }>;
  people: Array<Record<string, unknown>>;
  notes: string[][];
}
const api = async (url: string, who?: TestPerson) => {
  const res = await app.inject({ url, headers: who?.auth ?? {} });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Body;
};

describe('assessment figures of a seeded month', () => {
  it('GET /api/stats equals the table worked out by hand', async () => {
    const s = await api(`/api/stats?${NOV}`, P.admin);
    expect(pick(s.totals)).toEqual(TABLE.district);
    expect(pick(s.streets.find((x) => x.street === W)!)).toEqual(TABLE[W]);
    expect(pick(s.streets.find((x) => x.street === B)!)).toEqual(TABLE[B]);
    expect(s.departments).toHaveLength(10);
    expect(s.departments.find((x) => x.department === D)).toEqual(SCJG);
    for (const x of s.departments.filter((y) => y.department !== D)) expect(x).toMatchObject(EMPTY_DEPT);
    expect(s.people).toEqual(PEOPLE);
    expect(s.notes.map((n) => n[0])).toContain('按期结案率');
  });

  it('a team lead sees the street figures and the street people only', async () => {
    const s = await api(`/api/stats?${NOV}`, P.leadW);
    expect(pick(s.totals)).toEqual(TABLE[W]);
    expect(s.people).toEqual(PEOPLE.filter((p) => p.street === W));
    // The department's cases of this street: D2 due, not on time.
    expect(s.departments.find((x) => x.department === D)).toMatchObject({
      referralsReceived: 2,
      acceptedInTime: 0,
      returned: 1,
      due: 1,
      closedOnTime: 0,
    });
  });

  it('per-person figures are for team leads and the bureau, not for colleagues', async () => {
    const s = await api(`/api/stats?${NOV}`, P.enfW1);
    expect(pick(s.totals)).toEqual(TABLE[W]);
    expect(s.people).toEqual([]);
    const page = await app.inject({ url: `/street?${NOV}`, headers: P.inspW!.auth });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('人员考核');
    expect(page.body).not.toContain('万松二队员');
  });

  it('the SQL follows the rules in core/stats/assessment-rules.ts', async () => {
    const period = { from: parseBound('2026-11-01', 'from'), to: parseBound('2026-11-30', 'to') };
    const cases = await t.db.case.findMany({ include: { street: { select: { name: true } } } });
    for (const [scope, rows] of [
      ['district', cases],
      [W, cases.filter((x) => x.street?.name === W)],
      [B, cases.filter((x) => x.street?.name === B)],
    ] as const) {
      const counts = onTimeCounts(rows, period, NOW);
      expect({ ...counts, onTimeRate: onTimeRate(counts) }, scope).toEqual(TABLE[scope]);
    }
  });

  it('the dashboard shows the same figures, with the definitions', async () => {
    const v = await loadStatsView(t.db, { from: '2026-11-01', to: '2026-11-30' }, null, NOW, 'district_admin');
    expect(pick(v.totals)).toEqual(TABLE.district);
    expect(pick(v.streets.find((x) => x.street === W)!)).toEqual(TABLE[W]);
    expect(v.departments.find((x) => x.department === D)).toEqual(SCJG);
    expect(v.people).toEqual(PEOPLE);

    const district = await app.inject({ url: `/district?${NOV}`, headers: P.admin!.auth });
    expect(district.statusCode).toBe(200);
    expect(district.body).toContain('40.0%'); // 按期结案率
    expect(district.body).toContain('按期 4 / 应结 10');
    expect(district.body).toMatch(
      /<th scope="row">市场监管<\/th><td>3<\/td><td>1<\/td><td>33.3%<\/td><td>1<\/td><td>3<\/td><td>1<\/td><td>33.3%<\/td>/,
    );
    expect(district.body).toContain('口径说明');
    const street = await app.inject({ url: `/street?${NOV}`, headers: P.leadW!.auth });
    expect(street.statusCode).toBe(200);
    expect(street.body).toMatch(/<th scope="row">万松二队员<\/th><td>执法队员<\/td><td>2<\/td><td>1<\/td><td>1<\/td>/);
    expect(street.body).not.toContain('北湖中队长');
  });

  it('the exports carry the same rows', async () => {
    const csv = await app.inject({ url: `/exports/stats.csv?${NOV}`, headers: P.admin!.auth });
    expect(csv.statusCode).toBe(200);
    const lines = csv.body
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const header = lines[0]!.split(',');
    const col = (row: string, name: string) => row.split(',')[header.indexOf(name)];
    const row = (scope: string) => lines.find((l) => l.startsWith(scope))!;
    for (const [scope, want] of [
      [W, TABLE[W]],
      [B, TABLE[B]],
      ['江汉区', TABLE.district],
    ] as const) {
      expect([col(row(scope), '应结案数'), col(row(scope), '缓办数'), col(row(scope), '按期结案数')], scope).toEqual([
        String(want.due),
        String(want.postponed),
        String(want.closedOnTime),
      ]);
      expect(Number(col(row(scope), '按期结案率(%)')), scope).toBeCloseTo(want.onTimeRate * 100, 1);
    }

    const res = await app.inject({ url: `/exports/stats.xlsx?${NOV}`, headers: P.admin!.auth });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = (name: string) => {
      const ws = wb.getWorksheet(name)!;
      const rows = (ws.getSheetValues() as unknown[][]).filter(Boolean).map((r) => r.slice(1));
      const [head, ...body] = rows;
      return body.map((r) => Object.fromEntries((head as string[]).map((h, i) => [h, r[i] ?? null])));
    };
    expect(sheet('部门考核').find((r) => r['部门'] === D)).toEqual({
      部门: D,
      收到移送: 3,
      按时受理: 1,
      '按时受理率(%)': 33.3,
      退回: 1,
      应结案数: 3,
      缓办数: 0,
      按期结案数: 1,
      '按期结案率(%)': 33.3,
    });
    expect(sheet('人员考核')).toEqual(
      PEOPLE.map((p) => ({
        街道: p.street,
        姓名: p.person,
        角色: p.role === 'enforcer' ? '执法队员' : '执法队长',
        办结案件: p.handled,
        按期: p.onTime,
        返工: p.rework,
      })),
    );
    expect(sheet('口径说明').map((r) => r['指标'])).toContain('按期结案率');
  });

  it('the public figures are the same, without per-person figures', async () => {
    const s = await api('/api/public/stats?month=2026-11');
    expect(pick(s.totals)).toEqual(TABLE.district);
    expect(s.departments.find((x) => x.department === D)).toEqual(SCJG);
    expect(s).not.toHaveProperty('people');
    expect(JSON.stringify(s)).not.toContain('队员');

    // The public page shows the last 30 days.
    const page = await app.inject({ url: '/public' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`按期 ${LAST_30.closedOnTime} / 应结 ${LAST_30.due - LAST_30.postponed}`);
    expect(page.body).toContain('41.7%');
    expect(page.body).toMatch(/<th scope="row">市场监管<\/th><td>4<\/td><td>1<\/td>/);
    expect(page.body).toContain('口径说明');
    expect(page.body).not.toContain('队员');
  });
});
