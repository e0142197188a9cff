import { describe, expect, it } from 'vitest';
import {
  isClosedOnTime,
  isDueInPeriod,
  isHandledOnTime,
  onTimeCounts,
  onTimeRate,
  type AssessedCase,
} from './assessment-rules.ts';

// November 2026 judged on 20 November; instants at 04:00Z on the day named.
const d = (day: string) => new Date(`2026-${day}T04:00:00Z`);
const NOV = { from: new Date('2026-10-31T16:00:00Z'), to: new Date('2026-11-30T16:00:00Z') };
const NOW = d('11-20');
const k = (o: Partial<AssessedCase>): AssessedCase => ({
  status: 'accepted',
  dueAt: null,
  closedAt: null,
  postponed: false,
  ...o,
});

const CASES: Record<string, AssessedCase> = {
  closedEarly: k({ status: 'closed', dueAt: d('11-10'), closedAt: d('11-08') }),
  closedAtDeadline: k({ status: 'closed', dueAt: d('11-10'), closedAt: d('11-10') }),
  closedLate: k({ status: 'closed', dueAt: d('11-10'), closedAt: d('11-12') }),
  openOverdue: k({ status: 'accepted', dueAt: d('11-15') }),
  openNotYetDue: k({ status: 'accepted', dueAt: d('11-25') }),
  closedBeforeFutureDeadline: k({ status: 'closed', dueAt: d('11-28'), closedAt: d('11-18') }),
  postponedClosed: k({ status: 'closed', dueAt: d('11-16'), closedAt: d('11-14'), postponed: true }),
  closedInOctoberDueInNovember: k({ status: 'closed', dueAt: d('11-02'), closedAt: d('10-30') }),
  dueInOctoberClosedInNovember: k({ status: 'closed', dueAt: d('10-30'), closedAt: d('11-03') }),
  merged: k({ status: 'merged', dueAt: d('11-05') }),
  rejected: k({ status: 'rejected', dueAt: d('11-05'), closedAt: d('11-02') }),
  noDeadline: k({ status: 'triage' }),
};

describe('assessment rules', () => {
  it('decides case by case as worked out by hand', () => {
    const due = Object.entries(CASES)
      .filter(([, c]) => isDueInPeriod(c, NOV, NOW))
      .map(([name]) => name);
    expect(due).toEqual([
      'closedEarly',
      'closedAtDeadline',
      'closedLate',
      'openOverdue',
      'closedBeforeFutureDeadline',
      'postponedClosed',
    ]);
    const onTime = Object.entries(CASES)
      .filter(([, c]) => isClosedOnTime(c, NOV, NOW))
      .map(([name]) => name);
    expect(onTime).toEqual(['closedEarly', 'closedAtDeadline', 'closedBeforeFutureDeadline']);
  });

  it('folds into 按期结案率 = 按期 / (应结 − 缓办): 3 / (6 − 1)', () => {
    const counts = onTimeCounts(Object.values(CASES), NOV, NOW);
    expect(counts).toEqual({ due: 6, postponed: 1, closedOnTime: 3 });
    expect(onTimeRate(counts)).toBe(0.6);
  });

  it('counts an open case once its deadline has passed, not before', () => {
    const c = CASES.openNotYetDue!;
    expect(isDueInPeriod(c, NOV, d('11-25'))).toBe(false); // the deadline instant itself
    expect(isDueInPeriod(c, NOV, new Date(d('11-25').getTime() + 1))).toBe(true);
  });

  it('a past period keeps its figures when a late case is closed later', () => {
    const OCT = { from: new Date('2026-09-30T16:00:00Z'), to: NOV.from };
    expect(isDueInPeriod(CASES.dueInOctoberClosedInNovember!, OCT, NOW)).toBe(true);
    expect(isDueInPeriod(CASES.dueInOctoberClosedInNovember!, NOV, NOW)).toBe(false);
    expect(isDueInPeriod(CASES.closedInOctoberDueInNovember!, OCT, NOW)).toBe(true);
  });

  it('a handled case is on time when closed by its deadline and not postponed', () => {
    expect(isHandledOnTime(CASES.closedEarly!)).toBe(true);
    expect(isHandledOnTime(CASES.closedLate!)).toBe(false);
    expect(isHandledOnTime(CASES.postponedClosed!)).toBe(false);
    expect(isHandledOnTime(CASES.openOverdue!)).toBe(false);
  });
});
