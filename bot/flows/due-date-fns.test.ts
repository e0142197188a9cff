import { describe, expect, it } from 'vitest';
import { parseDueDate } from './due-date-fns.ts';

// 10:00 in Wuhan on Tuesday 1 December 2026.
const NOW = new Date('2026-12-01T02:00:00Z');

describe('parseDueDate', () => {
  it('reads dates as people type them, in Wuhan time, at 17:30 when no time is given', () => {
    expect(parseDueDate('12月20日', NOW)?.toISOString()).toBe('2026-12-20T09:30:00.000Z');
    expect(parseDueDate('2026-12-20 16:00', NOW)?.toISOString()).toBe('2026-12-20T08:00:00.000Z');
    expect(parseDueDate('2026/12/20', NOW)?.toISOString()).toBe('2026-12-20T09:30:00.000Z');
    expect(parseDueDate('12月20日 9：30', NOW)?.toISOString()).toBe('2026-12-20T01:30:00.000Z');
  });

  it('a date without a year that has passed means next year', () => {
    expect(parseDueDate('1月5日', NOW)?.toISOString()).toBe('2027-01-05T09:30:00.000Z');
  });

  it('refuses what is not a date', () => {
    for (const t of ['下周吧', '2月30日', '13月1日', '12月20日 25:00', '']) expect(parseDueDate(t, NOW)).toBeNull();
  });
});
