import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { districtDay, parseBound, periodDays, resolvePeriod, resolvePublicPeriod } from './period-fns.ts';

describe('period bounds in district time (UTC+8)', () => {
  it('a day starts at 00:00 Beijing time; "to" includes the whole named day', () => {
    expect(parseBound('2026-11-01', 'from').toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(parseBound('2026-11-30', 'to').toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(parseBound('2026-11-01T08:00:00+08:00', 'from').toISOString()).toBe('2026-11-01T00:00:00.000Z');
  });

  it('refuses impossible dates with a Chinese message', () => {
    expect(() => parseBound('2026-02-30', 'from')).toThrow(ValidationError);
    expect(() => parseBound('yesterday', 'to')).toThrow(/日期格式不正确/);
  });

  it('names the district day of an instant', () => {
    expect(districtDay(new Date('2026-11-30T15:59:59Z'))).toBe('2026-11-30');
    expect(districtDay(new Date('2026-11-30T16:00:00Z'))).toBe('2026-12-01');
  });

  it('defaults to the last 30 days including today, and checks the order and length', () => {
    const p = resolvePeriod({}, new Date('2026-11-30T10:00:00Z'));
    expect(p.to.toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(p.from.toISOString()).toBe('2026-10-31T16:00:00.000Z');
    expect(() => resolvePeriod({ from: '2026-12-01', to: '2026-11-01' }, new Date())).toThrow(/早于/);
    expect(() => resolvePeriod({ from: '2020-01-01', to: '2026-11-01' }, new Date())).toThrow(/最长/);
  });

  it('lists every day the period touches', () => {
    expect(periodDays(resolvePeriod({ from: '2026-11-29', to: '2026-12-01' }, new Date()))).toEqual([
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
    ]);
  });
});

describe('resolvePublicPeriod', () => {
  const now = new Date('2026-12-06T04:00:00Z'); // 12:00 on 6 December in Wuhan
  const iso = (p: { from: Date; to: Date }) => [p.from.toISOString(), p.to.toISOString()];

  it('gives the last 30 days by default and a whole calendar month on request', () => {
    expect(iso(resolvePublicPeriod({}, now))).toEqual(iso(resolvePeriod({}, now)));
    expect(iso(resolvePublicPeriod({ month: '2026-11' }, now))).toEqual([
      '2026-10-31T16:00:00.000Z',
      '2026-11-30T16:00:00.000Z',
    ]);
    expect(iso(resolvePublicPeriod({ from: '2026-02-01', to: '2026-02-28' }, now))).toEqual(
      iso(resolvePublicPeriod({ month: '2026-02' }, now)),
    );
    expect(iso(resolvePublicPeriod({ month: '2026-12' }, now))[1]).toBe('2026-12-31T16:00:00.000Z');
  });

  it('refuses long, unaligned, future and old periods with a Chinese explanation', () => {
    for (const q of [
      { from: '2024-12-06', to: '2026-12-06' },
      { from: '2026-11-02', to: '2026-11-30' },
      { from: '2026-11-01', to: '2026-12-31' },
      { from: '2026-11-01T00:00:00Z', to: '2026-11-30' },
      { from: '2026-11-01' },
      { month: '2027-01' },
      { month: '2024-12' },
      { month: '2026-13' },
      { month: 'x' },
    ])
      expect(() => resolvePublicPeriod(q, now), JSON.stringify(q)).toThrow(/公开统计|月份|未来|最近 24 个月/);
    expect(() => resolvePublicPeriod({ month: '2025-01' }, now)).not.toThrow();
  });
});
