import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { districtDay, parseBound, periodDays, resolvePeriod } from './period-fns.ts';

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
