import { describe, expect, it } from 'vitest';
import { resolvePeriod } from './period-fns.ts';
import {
  computeDepartmentScorecards,
  computeFigures,
  computePersonFigures,
  computeStreetFigures,
  dailyTrend,
  rate,
} from './stats-fns.ts';
import type { CaseGroupRow, StatsRows } from './stats-types.ts';

const g = (over: Partial<CaseGroupRow>): CaseGroupRow => ({
  streetId: 1,
  status: 'closed',
  post: '市容市政',
  mode721: null,
  cases: 1,
  reworkSum: 0,
  reopened: 0,
  resolvedCount: 0,
  handlingHoursSum: 0,
  ...over,
});

describe('computeFigures', () => {
  // 10 cases: 4 closed (2 service, 1 management, 1 enforcement), 1 resolved (service),
  // 3 accepted, 1 merged, 1 rejected.
  const groups = [
    g({
      status: 'closed',
      mode721: 'service',
      cases: 2,
      resolvedCount: 2,
      handlingHoursSum: 10,
      reworkSum: 1,
      reopened: 1,
    }),
    g({ status: 'closed', mode721: 'management', cases: 1, resolvedCount: 1, handlingHoursSum: 20, post: '环境卫生' }),
    g({ status: 'closed', mode721: 'enforcement', cases: 1, resolvedCount: 1, handlingHoursSum: 30, reworkSum: 2 }),
    g({ status: 'resolved', mode721: 'service', cases: 1, resolvedCount: 1, handlingHoursSum: 4 }),
    g({ status: 'accepted', cases: 3 }),
    g({ status: 'merged', cases: 1, post: null }),
    g({ status: 'rejected', cases: 1, post: null }),
  ];
  const f = computeFigures(
    groups,
    [{ streetId: 1, departmentId: null, due: 6, postponed: 1, onTime: 3 }],
    [
      { streetId: 1, score: 'satisfied', n: 3 },
      { streetId: 1, score: 'basic', n: 1 },
      { streetId: 1, score: 'unsatisfied', n: 1 },
    ],
    [{ streetId: 1, n: 2 }],
  );

  it('counts by status and post', () => {
    expect(f.total).toBe(10);
    expect(f.byStatus).toMatchObject({ closed: 4, resolved: 1, accepted: 3, merged: 1, rejected: 1, triage: 0 });
    expect(f.byPost).toEqual({ 市容市政: 7, 环境卫生: 1, 未分类: 2 });
  });

  it('computes the assessment rates', () => {
    expect(f.closureRate).toBe(0.4444); // 4 / (10 − 1 merged)
    expect(f.onTimeRate).toBe(0.6); // 3 / (6 − 1 postponed)
    expect(f.avgHandlingHours).toBe(12.8); // (10 + 20 + 30 + 4) / 5
    expect(f.reworkCount).toBe(3);
    expect(f.reopenRate).toBe(0.25); // 1 reopened / 4 closed
    expect(f.ratings).toEqual({ satisfied: 3, basic: 1, unsatisfied: 1, total: 5 });
    expect(f.satisfactionRate).toBe(0.8);
  });

  it('counts 721 over resolved and closed cases plus settled patrol findings as service', () => {
    expect(f.mode721).toMatchObject({ service: 5, management: 1, enforcement: 1, patrolSettled: 2, total: 7 });
    expect(f.mode721.shares).toEqual({ service: 0.7143, management: 0.1429, enforcement: 0.1429 });
  });

  it('gives null rates, not NaN, when there is nothing to divide', () => {
    const empty = computeFigures([], [], [], []);
    expect(empty).toMatchObject({
      total: 0,
      closureRate: null,
      onTimeRate: null,
      avgHandlingHours: null,
      reopenRate: null,
      satisfactionRate: null,
    });
    expect(empty.mode721.shares).toBeNull();
    expect(rate(1, 0)).toBeNull();
  });
});

describe('per street and trend', () => {
  const rows: StatsRows = {
    groups: [
      g({ streetId: 1, cases: 2 }),
      g({ streetId: 2, cases: 5, status: 'accepted' }),
      g({ streetId: null, cases: 1 }),
    ],
    due: [{ streetId: 2, departmentId: null, due: 5, postponed: 0, onTime: 0 }],
    departmentEvents: [],
    people: [],
    ratings: [],
    settled: [{ streetId: 1, n: 4 }],
    createdPerDay: [{ day: '2026-11-29', n: 3 }],
    closedPerDay: [{ day: '2026-11-30', n: 2 }],
  };

  it('splits the rows by street and keeps streets without cases', () => {
    const s = computeStreetFigures(rows, [
      { id: 1, name: '万松街道' },
      { id: 2, name: '北湖街道' },
      { id: 3, name: '常青街道' },
    ]);
    expect(s.map((x) => [x.street, x.total, x.closed, x.due, x.mode721.service])).toEqual([
      ['万松街道', 2, 2, 0, 4],
      ['北湖街道', 5, 0, 5, 0],
      ['常青街道', 0, 0, 0, 0],
    ]);
  });

  it('fills every day of the period', () => {
    const p = resolvePeriod({ from: '2026-11-28', to: '2026-11-30' }, new Date());
    expect(dailyTrend(rows, p)).toEqual([
      { day: '2026-11-28', created: 0, closed: 0 },
      { day: '2026-11-29', created: 3, closed: 0 },
      { day: '2026-11-30', created: 0, closed: 2 },
    ]);
  });
});

describe('department and per-person figures', () => {
  it('sums a department over streets and event kinds; zeros for a department without any', () => {
    const cards = computeDepartmentScorecards(
      {
        due: [
          { streetId: 1, departmentId: 7, due: 2, postponed: 0, onTime: 1 },
          { streetId: 2, departmentId: 7, due: 3, postponed: 1, onTime: 2 },
          { streetId: 2, departmentId: null, due: 9, postponed: 0, onTime: 9 },
        ],
        departmentEvents: [
          { departmentId: 7, referred: 4, acceptedInTime: 3, returned: 0 },
          { departmentId: 7, referred: 0, acceptedInTime: 0, returned: 2 },
        ],
      },
      [
        { id: 7, name: '市场监管' },
        { id: 8, name: '水务' },
      ],
    );
    expect(cards).toEqual([
      {
        department: '市场监管',
        referralsReceived: 4,
        acceptedInTime: 3,
        acceptedInTimeRate: 0.75,
        returned: 2,
        due: 5,
        postponed: 1,
        closedOnTime: 3,
        onTimeRate: 0.75,
      },
      {
        department: '水务',
        referralsReceived: 0,
        acceptedInTime: 0,
        acceptedInTimeRate: null,
        returned: 0,
        due: 0,
        postponed: 0,
        closedOnTime: 0,
        onTimeRate: null,
      },
    ]);
  });

  it('counts the marginals of the cases due once: by street in the totals and streets, by department in the scorecards', () => {
    // The same cases as above, as the rollups' two marginals give them, beside a whole row (today's part).
    const due: StatsRows['due'] = [
      { streetId: 1, departmentId: null, due: 2, postponed: 0, onTime: 1, part: 'street' },
      { streetId: 2, departmentId: null, due: 12, postponed: 1, onTime: 11, part: 'street' },
      { streetId: null, departmentId: 7, due: 5, postponed: 1, onTime: 3, part: 'department' },
      { streetId: 2, departmentId: 7, due: -1, postponed: 0, onTime: 0 },
    ];
    const rows: StatsRows = {
      groups: [],
      due,
      departmentEvents: [],
      people: [],
      ratings: [],
      settled: [],
      createdPerDay: [],
      closedPerDay: [],
    };
    expect(computeFigures(rows.groups, due, [], [])).toMatchObject({ due: 13, postponed: 1, closedOnTime: 12 });
    expect(computeStreetFigures(rows, [{ id: 2, name: '北湖街道' }])[0]).toMatchObject({ due: 11, closedOnTime: 11 });
    const [card] = computeDepartmentScorecards({ due, departmentEvents: [] }, [{ id: 7, name: '市场监管' }]);
    expect(card).toMatchObject({ due: 4, postponed: 1, closedOnTime: 3 });
  });

  it('orders people by street, then most handled', () => {
    const person = (personId: number, streetId: number | null, handled: number) => ({
      personId,
      name: `p${personId}`,
      role: 'enforcer',
      streetId,
      handled,
      onTime: 0,
      rework: 0,
    });
    const people = computePersonFigures(
      { people: [person(1, 2, 5), person(2, 1, 1), person(3, 1, 4), person(4, null, 9)] },
      [
        { id: 1, name: '万松街道' },
        { id: 2, name: '北湖街道' },
      ],
    );
    expect(people.map((p) => [p.person, p.street, p.handled])).toEqual([
      ['p3', '万松街道', 4],
      ['p2', '万松街道', 1],
      ['p1', '北湖街道', 5],
      ['p4', null, 9],
    ]);
  });
});
