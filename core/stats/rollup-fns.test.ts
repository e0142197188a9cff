import { describe, expect, it } from 'vitest';
import { caseRollup, netDeltas, ratingRollup, type RollupCase } from './rollup-fns.ts';

const base: RollupCase = {
  streetId: 3,
  departmentId: null,
  status: 'accepted',
  post: '市容市政',
  mode721: null,
  reworkCount: 0,
  reopenCount: 0,
  autoVerified: false,
  postponed: false,
  createdAt: new Date('2026-11-09T15:59:59.999Z'), // 23:59:59.999 on 9 November in Shanghai
  resolvedAt: null,
  closedAt: null,
  dueAt: new Date('2026-11-12T02:00:00Z'),
};

describe('caseRollup', () => {
  it('files a case under its district day, and its due day under the deadline while open', () => {
    const ds = caseRollup(base);
    expect(ds.find((d) => d.kind === 'createdByStatus')).toMatchObject({
      day: '2026-11-09',
      streetId: 3,
      status: 'accepted',
      post: '',
      n: 1,
    });
    expect(ds.find((d) => d.kind === 'createdByPost')).toMatchObject({ day: '2026-11-09', status: '', n: 1 });
    expect(ds.find((d) => d.kind === 'opened')).toMatchObject({ day: '2026-11-09', streetId: 3, n: 1 });
    // The 721 mode is counted for resolved and closed cases only.
    expect(ds.some((d) => d.kind === 'createdByMode')).toBe(false);
    expect(ds.find((d) => d.kind === 'due')).toMatchObject({ day: '2026-11-12', n: 1, onTime: 0 });
    expect(ds.some((d) => d.kind === 'closed')).toBe(false);
    expect(caseRollup({ ...base, createdAt: new Date('2026-11-09T16:00:00Z') })[0]!.day).toBe('2026-11-10');
  });

  it('moves the due day to the closing day when closed by the deadline, and counts it on time unless postponed', () => {
    const closed = {
      ...base,
      status: 'closed',
      resolvedAt: new Date('2026-11-10T02:00:00Z'),
      closedAt: new Date('2026-11-10T20:00:00Z'), // 11 November in Shanghai
    };
    const due = caseRollup(closed).find((d) => d.kind === 'due')!;
    expect(due).toMatchObject({ day: '2026-11-11', n: 1, onTime: 1, postponed: 0 });
    expect(caseRollup({ ...closed, postponed: true }).find((d) => d.kind === 'due')).toMatchObject({
      onTime: 0,
      postponed: 1,
    });
    expect(caseRollup({ ...closed, mode721: 'service' }).find((d) => d.kind === 'createdByMode')).toMatchObject({
      mode721: 'service',
      status: '',
      n: 1,
    });
    expect(caseRollup(closed).find((d) => d.kind === 'createdByStatus')!.handlingMs).toBe(
      closed.resolvedAt.getTime() - closed.createdAt.getTime(),
    );
  });

  it('never counts merged or rejected cases as due', () => {
    for (const status of ['merged', 'rejected'])
      expect(caseRollup({ ...base, status }).some((d) => d.kind === 'due')).toBe(false);
  });
});

describe('netDeltas', () => {
  it('cancels what an update did not change and keeps what it moved', () => {
    const before = { ...base };
    const after = { ...base, status: 'resolved', resolvedAt: new Date('2026-11-10T02:00:00Z') };
    const net = netDeltas([...caseRollup(before, -1), ...caseRollup(after, 1)]);
    expect(net.map((d) => [d.kind, d.status, d.n, d.resolvedCount])).toEqual([
      ['createdByStatus', 'accepted', -1, 0],
      ['createdByStatus', 'resolved', 1, 1],
    ]);
    expect(netDeltas([...caseRollup(before, -1), ...caseRollup(before, 1)])).toEqual([]);
  });

  it('moves a rating with its case', () => {
    const at = new Date('2026-11-10T02:00:00Z');
    const net = netDeltas([
      ratingRollup({ streetId: 3, score: 'basic', at }, -1),
      ratingRollup({ streetId: 4, score: 'basic', at }),
    ]);
    expect(net.map((d) => [d.streetId, d.n])).toEqual([
      [3, -1],
      [4, 1],
    ]);
  });
});
