import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors.ts';
import { at, show, testCalendar } from './deadline-test-helpers.ts';
import { loadHolidayCalendarSync } from '../../config/holiday-calendar-file.ts';
import {
  addWorkingDays,
  addWorkingHours,
  extendDeadline,
  isWorkingDay,
  workingHoursBetween,
} from './working-time-fns.ts';

const cal = loadHolidayCalendarSync();
const plus = (start: string, hours: number) => show(addWorkingHours(at(start), hours, cal));

describe('addWorkingHours', () => {
  it('Friday 16:00 + 4 h: 1.5 h on Friday, 2.5 h from Monday 08:30 → Monday 11:00', () => {
    expect(plus('2025-03-14 16:00', 4)).toBe('2025-03-17 11:00');
  });

  it('a deadline on the end of a period stays there', () => {
    expect(plus('2025-03-14 16:00', 1.5)).toBe('2025-03-14 17:30');
    expect(plus('2025-03-12 10:00', 2)).toBe('2025-03-12 12:00');
  });

  it('a report at night or before work starts counts from 08:30', () => {
    expect(plus('2025-03-11 20:00', 2)).toBe('2025-03-12 10:30');
    expect(plus('2025-03-12 06:00', 2)).toBe('2025-03-12 10:30');
  });

  it('a report at lunch counts from 14:00; the lunch break is skipped', () => {
    expect(plus('2025-03-12 12:30', 2)).toBe('2025-03-12 16:00');
    expect(plus('2025-03-12 11:00', 2)).toBe('2025-03-12 15:00');
  });

  it('a report on a weekend counts from Monday 08:30', () => {
    expect(plus('2025-03-15 10:00', 2)).toBe('2025-03-17 10:30');
  });

  it('on the eve of National Day skips 10/1–10/8', () => {
    expect(plus('2025-09-30 16:00', 4)).toBe('2025-10-09 11:00');
  });

  it('counts make-up working days: Sunday 2025-09-28, Saturday 2025-10-11 and 2026-02-28', () => {
    expect(plus('2025-09-26 16:00', 4)).toBe('2025-09-28 11:00');
    expect(plus('2025-10-10 16:00', 4)).toBe('2025-10-11 11:00');
    expect(plus('2026-02-27 16:00', 4)).toBe('2026-02-28 11:00');
  });

  it('handles fractions and zero, and refuses negative hours', () => {
    expect(plus('2025-03-12 08:30', 0.25)).toBe('2025-03-12 08:45');
    expect(plus('2025-03-15 10:00', 0)).toBe('2025-03-15 10:00');
    expect(() => addWorkingHours(at('2025-03-12 08:30'), -1, cal)).toThrow(RangeError);
  });

  it('uses the configured working hours', () => {
    const nineToFive = testCalendar({ workingHours: [['09:00', '17:00']] });
    expect(show(addWorkingHours(at('2025-03-14 16:00'), 4, nineToFive))).toBe('2025-03-17 12:00');
    expect(show(addWorkingDays(at('2025-03-14 16:00'), 1, nineToFive))).toBe('2025-03-17 17:00');
  });
});

describe('isWorkingDay', () => {
  it.each([
    ['2025-09-27 10:00', false], // Saturday
    ['2025-09-28 10:00', true], // Sunday, 调休上班
    ['2025-10-08 10:00', false], // Wednesday inside the National Day holiday
    ['2025-10-09 10:00', true],
    ['2025-10-11 10:00', true], // Saturday, 调休上班
    ['2026-02-14 10:00', true], // Saturday before Spring Festival, 调休上班
    ['2026-02-23 10:00', false], // Monday, 正月初七
  ])('%s → %s', (when, expected) => {
    expect(isWorkingDay(at(when), cal)).toBe(expected);
  });

  it('decides by the Shanghai date, not the UTC one', () => {
    // 2025-03-14T23:30Z is Friday in UTC but Saturday 07:30 in Wuhan.
    expect(isWorkingDay(new Date('2025-03-14T23:30:00Z'), cal)).toBe(false);
    // 2025-03-16T17:00Z is Sunday in UTC but Monday 01:00 in Wuhan.
    expect(isWorkingDay(new Date('2025-03-16T17:00:00Z'), cal)).toBe(true);
  });
});

describe('addWorkingDays', () => {
  it('does not count the day of the report and ends at the end of the working day', () => {
    expect(show(addWorkingDays(at('2025-03-10 10:00'), 1, cal))).toBe('2025-03-11 17:30');
    expect(show(addWorkingDays(at('2025-03-10 07:00'), 1, cal))).toBe('2025-03-11 17:30');
    expect(show(addWorkingDays(at('2025-03-14 20:00'), 1, cal))).toBe('2025-03-17 17:30');
  });

  it('crosses Spring Festival 2025 (1/28–2/4 off, Saturday 2/8 worked)', () => {
    expect(show(addWorkingDays(at('2025-01-27 10:00'), 3, cal))).toBe('2025-02-07 17:30');
    expect(show(addWorkingDays(at('2025-01-27 10:00'), 4, cal))).toBe('2025-02-08 17:30');
    expect(show(addWorkingDays(at('2025-01-27 10:00'), 5, cal))).toBe('2025-02-10 17:30');
  });

  it('crosses Spring Festival 2026 (Saturday 2/14 worked, 2/15–2/23 off)', () => {
    expect(show(addWorkingDays(at('2026-02-13 15:00'), 1, cal))).toBe('2026-02-14 17:30');
    expect(show(addWorkingDays(at('2026-02-13 15:00'), 2, cal))).toBe('2026-02-24 17:30');
  });

  it('returns the start for 0 days and refuses fractions', () => {
    expect(show(addWorkingDays(at('2025-03-10 10:00'), 0, cal))).toBe('2025-03-10 10:00');
    expect(() => addWorkingDays(at('2025-03-10 10:00'), 1.5, cal)).toThrow(RangeError);
  });
});

describe('workingHoursBetween', () => {
  it('counts only working time', () => {
    expect(workingHoursBetween(at('2025-03-14 16:00'), at('2025-03-17 11:00'), cal)).toBe(4);
    expect(workingHoursBetween(at('2025-03-12 00:00'), at('2025-03-13 00:00'), cal)).toBe(7);
    expect(workingHoursBetween(at('2025-03-12 10:00'), at('2025-03-12 15:00'), cal)).toBe(3);
    expect(workingHoursBetween(at('2025-09-30 08:30'), at('2025-10-09 17:30'), cal)).toBe(14);
    expect(workingHoursBetween(at('2025-03-15 09:00'), at('2025-03-16 18:00'), cal)).toBe(0);
    expect(workingHoursBetween(at('2025-03-17 11:00'), at('2025-03-14 16:00'), cal)).toBe(-4);
  });

  // A deterministic spread of starts (every hour of the day, weekends, holidays, make-up days)
  // and durations, from a linear congruential generator so failures reproduce.
  const samples: Array<[Date, number]> = [];
  let seed = 20250930;
  const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < 500; i++) {
    const start = new Date(at('2025-01-20 00:00').getTime() + Math.floor(next() * 400 * 24 * 60) * 60_000);
    samples.push([start, Math.round(next() * 200 * 4) / 4]);
  }

  it('is the inverse of addWorkingHours', () => {
    for (const [start, hours] of samples) {
      expect(workingHoursBetween(start, addWorkingHours(start, hours, cal), cal)).toBeCloseTo(hours, 9);
    }
  });

  it('addWorkingHours(a, workingHoursBetween(a, b)) gives b back when b is in working time', () => {
    for (const [a, hours] of samples) {
      const b = addWorkingHours(a, hours + 0.5, cal); // + 0.5 h keeps b off a period's start
      expect(addWorkingHours(a, workingHoursBetween(a, b, cal), cal).getTime()).toBe(b.getTime());
    }
  });

  it('is fast enough for statistics over 100k cases', () => {
    const t0 = performance.now();
    let sum = 0;
    for (let i = 0; i < 100_000; i++) {
      const a = new Date(at('2025-01-01 09:00').getTime() + (i % 300) * 86_400_000 + i * 1_000);
      sum += workingHoursBetween(a, new Date(a.getTime() + 30 * 86_400_000), cal);
    }
    expect(sum).toBeGreaterThan(0);
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});

describe('extendDeadline (缓办)', () => {
  it('adds working days to the current deadline', () => {
    const due = at('2025-09-30 17:30');
    expect(show(extendDeadline(due, { workingDays: 5 }, cal))).toBe('2025-10-14 17:30');
  });

  it('takes an approved date as it is, if it is later', () => {
    expect(show(extendDeadline(at('2025-09-30 17:30'), { until: at('2025-10-20 17:30') }, cal))).toBe(
      '2025-10-20 17:30',
    );
    expect(() => extendDeadline(at('2025-09-30 17:30'), { until: at('2025-09-29 17:30') }, cal)).toThrow(
      ValidationError,
    );
    expect(() => extendDeadline(at('2025-09-30 17:30'), { workingDays: 0 }, cal)).toThrow(ValidationError);
  });
});
