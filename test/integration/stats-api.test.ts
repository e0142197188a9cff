import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createCaseFactory, type TestPerson } from '../helpers/case-factory.ts';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { resolvePeriod } from '../../core/stats/period-fns.ts';
import { statsFor, statsJson } from '../../server/routes/stats-routes.ts';

/**
 * A small dataset whose figures are worked out by hand below. Period: October 2026 (district
 * time). Every instant is 04:00Z = 12:00 Beijing time on the day named, and "+Nh" adds hours.
 */
let t: TestApp;
let app: FastifyInstance;
const P: Record<string, TestPerson> = {};
const d = (day: string, hours = 0) => new Date(Date.parse(`2026-${day}T04:00:00Z`) + hours * 3_600_000);
const W = '万松街道';
const B = '北湖街道';
// Figures are judged at a fixed moment after the period, whatever today is.
const NOW = new Date('2026-11-15T04:00:00Z');

// "Today" for the default period: 15 November 2026, 12:00 in Wuhan, whatever day the suite runs.
const clock = createFakeClock(NOW);

beforeAll(async () => {
  t = await createTestApp({ clock: clock.now });
  app = t.app;
  const f = createCaseFactory(t.db);
  P.admin = await f.person({ role: 'district_admin' });
  P.leadW = await f.person({ role: 'team_lead', street: W });
  P.enforcerW = await f.person({ role: 'enforcer', street: W });
  P.liaison = await f.person({ role: 'dept_liaison', department: '公安' });
  P.resident = await f.person({ role: 'resident' });
  P.inspW = await f.person({ role: 'inspector', street: W });
  P.inspB = await f.person({ role: 'inspector', street: B });
  const r = P.resident.id;

  // 万松: W1–W6 created in the period, W7 created before it, W8 after it.
  const w1 = await f.case({
    reporterId: r,
    street: W,
    post: '市容市政',
    status: 'closed',
    mode721: 'service',
    createdAt: d('10-02'),
    resolvedAt: d('10-02', 24),
    dueAt: d('10-04'),
    closedAt: d('10-05'),
  });
  const w2 = await f.case({
    reporterId: r,
    street: W,
    post: '市容市政',
    status: 'closed',
    mode721: 'enforcement',
    createdAt: d('10-03'),
    resolvedAt: d('10-03', 72),
    dueAt: d('10-05'),
    closedAt: d('10-07'),
    reworkCount: 1,
    reopenCount: 1,
  });
  const w3 = await f.case({
    reporterId: r,
    street: W,
    post: '环境卫生',
    status: 'closed',
    mode721: 'management',
    createdAt: d('10-05'),
    resolvedAt: d('10-05', 12),
    dueAt: d('10-08'),
    closedAt: d('10-06'),
    postponed: true,
  });
  await f.case({
    reporterId: r,
    street: W,
    post: '环境卫生',
    status: 'accepted',
    createdAt: d('10-10'),
    dueAt: d('10-12'),
  });
  await f.case({ reporterId: r, street: W, post: '市容市政', status: 'merged', createdAt: d('10-11') });
  await f.case({
    reporterId: r,
    street: W,
    post: '门前三包',
    status: 'resolved',
    mode721: 'service',
    createdAt: d('10-20'),
    resolvedAt: d('10-20', 24),
    dueAt: d('11-05'),
  });
  const w7 = await f.case({
    reporterId: r,
    street: W,
    post: '市容市政',
    status: 'closed',
    mode721: 'service',
    createdAt: d('09-20'),
    resolvedAt: d('10-01'),
    dueAt: d('10-10'),
    closedAt: d('10-02'),
  });
  await f.case({
    reporterId: r,
    street: W,
    post: '市容市政',
    status: 'dispatched',
    createdAt: d('11-02'),
    dueAt: d('11-03'),
  });
  // 北湖: B1, B2 in the period, B3 before it.
  const b1 = await f.case({
    reporterId: r,
    street: B,
    post: '交通运输',
    status: 'closed',
    mode721: 'service',
    createdAt: d('10-01'),
    resolvedAt: d('10-01', 24),
    dueAt: d('10-03'),
    closedAt: d('10-03'),
  });
  await f.case({ reporterId: r, street: B, post: null, status: 'rejected', createdAt: d('10-15'), dueAt: d('10-16') });
  await f.case({
    reporterId: r,
    street: B,
    post: '交通运输',
    status: 'dispatched',
    createdAt: d('09-25'),
    dueAt: d('10-09'),
  });
  // No street (unlocated report awaiting triage).
  await f.case({ reporterId: r, street: null, post: null, handling: null, status: 'triage', createdAt: d('10-08') });

  await f.rating(w1.id, r, 'satisfied', d('10-06'));
  await f.rating(w2.id, r, 'unsatisfied', d('10-08'));
  await f.rating(w3.id, r, 'basic', d('10-07'));
  await f.rating(b1.id, r, 'satisfied', d('10-04'));
  await f.rating(w7.id, r, 'satisfied', d('09-28')); // outside the period

  await f.finding({ inspectorId: P.inspW.id, outcome: 'settled', createdAt: d('10-09') });
  await f.finding({ inspectorId: P.inspW.id, outcome: 'settled', createdAt: d('10-10'), patrolStreet: W });
  await f.finding({ inspectorId: P.inspW.id, outcome: 'case', createdAt: d('10-10') });
  await f.finding({ inspectorId: P.inspW.id, outcome: 'settled', createdAt: d('09-10') });
  await f.finding({ inspectorId: P.inspB.id, outcome: 'settled', createdAt: d('10-11'), patrolStreet: B });
});
afterAll(async () => t?.close());

const OCT = '?from=2026-10-01&to=2026-10-31';
type Figures = Record<string, unknown> & { byStatus: Record<string, number>; mode721: Record<string, unknown> };
interface StatsBody {
  scope: string;
  period: { from: string; to: string };
  totals: Figures;
  streets: Array<Figures & { street: string }>;
  trend: Array<{ day: string; created: number; closed: number }>;
}
const get = async (who: TestPerson, q = OCT) => {
  const res = await app.inject({ url: `/api/stats${q}`, headers: who.auth });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as StatsBody;
};

// 万松 worked out by hand:
// cases W1–W6 = 6; closed W1 W2 W3 = 3; merged W5 → closure 3 / 5 = 0.6
// due (core/stats/assessment-rules.ts): W3 and W7 closed by their deadlines in Oct, W1 W2
//   closed after their October deadlines, W4 open past its deadline = 5, postponed W3 = 1;
//   on time (closed ≤ deadline, not postponed): W7 = 1 → 1 / (5 − 1) = 0.25
//   (W1 was resolved in time but closed a day after its deadline)
// handling hours over W1 24, W2 72, W3 12, W6 24 → 132 / 4 = 33
// rework 1 (W2); reopened 1 (W2) / closed 3 = 0.3333
// ratings in Oct: satisfied, unsatisfied, basic → (1 + 1) / 3 = 0.6667
// 721: W1 service, W2 enforcement, W3 management, W6 service (resolved) + 2 settled findings
//   → service 4, management 1, enforcement 1 of 6
const WANSONG = {
  street: W,
  total: 6,
  byStatus: { triage: 0, dispatched: 0, accepted: 1, resolved: 1, closed: 3, rejected: 0, merged: 1 },
  byPost: { 市容市政: 3, 环境卫生: 2, 门前三包: 1 },
  closed: 3,
  // None of them closed by the scheduler: all three verified by a person.
  autoVerified: 0,
  verifiedByPerson: 3,
  closureRate: 0.6,
  due: 5,
  postponed: 1,
  closedOnTime: 1,
  onTimeRate: 0.25,
  avgHandlingHours: 33,
  reworkCount: 1,
  reopened: 1,
  reopenRate: 0.3333,
  ratings: { satisfied: 1, basic: 1, unsatisfied: 1, total: 3 },
  satisfactionRate: 0.6667,
  mode721: {
    service: 4,
    management: 1,
    enforcement: 1,
    patrolSettled: 2,
    total: 6,
    shares: { service: 0.6667, management: 0.1667, enforcement: 0.1667 },
  },
};

describe('GET /api/stats', () => {
  it('gives the bureau every street and the district totals', async () => {
    const s = await get(P.admin!);
    expect(s.scope).toBe('江汉区');
    expect(s.period).toEqual({ from: '2026-09-30T16:00:00.000Z', to: '2026-10-31T16:00:00.000Z' });
    expect(s.streets).toHaveLength(12);
    expect(s.streets.find((x) => x.street === W)).toEqual(WANSONG);
    // 北湖: B1 closed, B2 rejected → closure 1 / 2; due B1 (on time) and B3 (open) → 1 / 2;
    // B1 24 h; one satisfied rating; 721 service B1 + 1 settled finding.
    expect(s.streets.find((x) => x.street === B)).toMatchObject({
      total: 2,
      closed: 1,
      closureRate: 0.5,
      due: 2,
      closedOnTime: 1,
      onTimeRate: 0.5,
      avgHandlingHours: 24,
      byPost: { 交通运输: 1, 未分类: 1 },
      satisfactionRate: 1,
      mode721: { service: 2, patrolSettled: 1, total: 2 },
    });
    expect(s.streets.find((x) => x.street === '汉兴街道')).toMatchObject({
      total: 0,
      closureRate: null,
      onTimeRate: null,
      satisfactionRate: null,
    });
    // District: 9 cases (the unlocated one included), closed 4, merged 1 → 4 / 8;
    // due 7, postponed 1, on time 2 (W7, B1) → 2 / 6; hours (132 + 24) / 5; ratings 3 of 4 satisfied or basic.
    expect(s.totals).toMatchObject({
      total: 9,
      closed: 4,
      closureRate: 0.5,
      due: 7,
      postponed: 1,
      closedOnTime: 2,
      onTimeRate: 0.3333,
      avgHandlingHours: 31.2,
      reworkCount: 1,
      reopenRate: 0.25,
      ratings: { satisfied: 2, basic: 1, unsatisfied: 1, total: 4 },
      satisfactionRate: 0.75,
      mode721: { service: 6, management: 1, enforcement: 1, patrolSettled: 3, total: 8 },
    });
    expect(s.totals.byStatus).toMatchObject({ triage: 1, closed: 4, rejected: 1 });
  });

  it('draws a daily trend of created and closed cases with every day present', async () => {
    const s = await get(P.admin!);
    expect(s.trend).toHaveLength(31);
    const day = (x: string) => s.trend.find((p) => p.day === `2026-${x}`);
    expect(day('10-01')).toEqual({ day: '2026-10-01', created: 1, closed: 0 });
    expect(day('10-02')).toEqual({ day: '2026-10-02', created: 1, closed: 1 }); // W1 created, W7 closed
    expect(day('10-03')).toEqual({ day: '2026-10-03', created: 1, closed: 1 });
    expect(day('10-31')).toEqual({ day: '2026-10-31', created: 0, closed: 0 });
    expect(s.trend.reduce((n, p) => n + p.created, 0)).toBe(9);
    expect(s.trend.reduce((n, p) => n + p.closed, 0)).toBe(5);
  });

  it('the bureau can ask for one street', async () => {
    const s = await get(P.admin!, `${OCT}&street=${encodeURIComponent(W)}`);
    expect(s.scope).toBe(W);
    expect(s.streets).toHaveLength(1);
    const { street: _street, ...figures } = WANSONG;
    expect(s.totals).toEqual(figures);
  });

  it('street staff see their own street only', async () => {
    for (const who of [P.leadW!, P.enforcerW!, P.inspW!]) {
      const s = await get(who);
      expect(s.scope).toBe(W);
      expect(s.streets.map((x) => x.street)).toEqual([W]);
      expect(s.totals.total).toBe(6);
    }
    const other = await app.inject({ url: `/api/stats${OCT}&street=${encodeURIComponent(B)}`, headers: P.leadW!.auth });
    expect(other.statusCode).toBe(403);
    expect(other.json()).toMatchObject({ error: { code: 'forbidden' } });
    const own = await app.inject({ url: `/api/stats${OCT}&street=${encodeURIComponent(W)}`, headers: P.leadW!.auth });
    expect(own.statusCode).toBe(200);
    expect(own.headers['content-type']).toMatch(/^application\/json/);
  });

  it('names an unknown street in a 400, for the bureau and for street staff alike', async () => {
    for (const who of [P.admin!, P.leadW!]) {
      const res = await app.inject({
        url: `/api/stats${OCT}&street=${encodeURIComponent('无此街道')}`,
        headers: who.auth,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json<{ error: { message: string } }>().error.message).toContain('没有这个街道：无此街道');
    }
  });

  it('refuses residents and liaisons (403) and anonymous callers (401)', async () => {
    expect((await app.inject({ url: '/api/stats', headers: P.resident!.auth })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/stats', headers: P.liaison!.auth })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/stats' })).statusCode).toBe(401);
  });

  it('validates the period', async () => {
    for (const q of ['?from=2026-11-01&to=2026-10-01', '?from=2026-13-01', '?from=2020-01-01&to=2026-01-01']) {
      const res = await app.inject({ url: `/api/stats${q}`, headers: P.admin!.auth });
      expect(res.statusCode, q).toBe(400);
    }
  });

  // The answer was kept as a string: sending it cost Buffer.byteLength's UTF-8 pass for the
  // Content-Length and another for the socket, about 100 KB of garbage per request at 1M cases
  // (a never-asked period's figures, 15,600 characters). Kept as UTF-8 bytes, a cached answer is
  // written as it is and a new one is encoded once.
  it('keeps the figures as the UTF-8 bytes of their JSON, encoded once per figures and audience, and answers with them', async () => {
    const figures = await statsFor(t.db, resolvePeriod({ from: '2026-10-01', to: '2026-10-31' }, NOW), null, NOW);
    const all = statsJson(figures, true);
    expect(Buffer.isBuffer(all)).toBe(true);
    expect(all.equals(Buffer.from(JSON.stringify(figures)))).toBe(true);
    expect(statsJson(figures, true)).toBe(all);
    const noPeople = statsJson(figures, false);
    expect(noPeople.equals(Buffer.from(JSON.stringify({ ...figures, people: [] })))).toBe(true);
    expect(statsJson(figures, false)).toBe(noPeople);

    const res = await app.inject({ url: `/api/stats${OCT}`, headers: P.admin!.auth });
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
    expect(res.json<{ scope: string }>().scope).toBe('江汉区');
  });

  it('defaults to the last 30 days', async () => {
    const s = await get(P.admin!, '');
    expect(s.trend).toHaveLength(30);
    // Up to the end of today in Wuhan (16 November 00:00 Beijing time), 30 days back.
    expect(s.period).toEqual({ from: '2026-10-16T16:00:00.000Z', to: '2026-11-15T16:00:00.000Z' });
  });
});
