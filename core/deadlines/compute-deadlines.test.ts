import { describe, expect, it } from 'vitest';
import { calendarCovers, calendarWarningsAhead, yearStatus } from './calendar-coverage-fns.ts';
import { at, show, testCalendar } from './deadline-test-helpers.ts';
import { loadHolidayCalendarSync } from '../../config/holiday-calendar-file.ts';
import { computeDeadlines, countsAsWorkingDays, isWorkingDay, type DeadlineInput } from './working-time-fns.ts';

const cal = loadHolidayCalendarSync();

function deadlines(input: Omit<DeadlineInput, 'createdAt'> & { createdAt: string }) {
  const result = computeDeadlines({ ...input, createdAt: at(input.createdAt) }, cal);
  return { response: show(result.responseDueAt), due: show(result.dueAt), warnings: result.warnings };
}

describe('computeDeadlines', () => {
  it('working basis: hours for the response, working days for a multiple of 24', () => {
    const d = deadlines({
      createdAt: '2025-03-10 09:00',
      responseHours: 2,
      handlingHours: 72,
      timeBasis: 'working',
      urgent: false,
    });
    expect(d).toEqual({ response: '2025-03-10 11:00', due: '2025-03-13 17:30', warnings: [] });
  });

  it('working basis, a non-multiple of 24 stays in working hours', () => {
    const d = deadlines({
      createdAt: '2025-03-14 16:00',
      responseHours: 4,
      handlingHours: 36,
      timeBasis: 'working',
      urgent: false,
    });
    // 36 working hours from Friday 16:00: 1.5 + 7 × 4 (Mon–Thu) = 29.5, then 6.5 h on Friday → 17:00.
    expect(d).toMatchObject({ response: '2025-03-17 11:00', due: '2025-03-21 17:00' });
  });

  it('urgent cases run on the clock, whatever the basis, holidays included', () => {
    const d = deadlines({
      createdAt: '2025-10-04 03:17',
      responseHours: 1,
      handlingHours: 4,
      timeBasis: 'working',
      urgent: true,
    });
    expect(d).toEqual({ response: '2025-10-04 04:17', due: '2025-10-04 07:17', warnings: [] });
  });

  it('clock basis adds exact hours; 48 h is two days, not two working days', () => {
    const d = deadlines({
      createdAt: '2025-09-30 16:00',
      responseHours: 2,
      handlingHours: 48,
      timeBasis: 'clock',
      urgent: false,
    });
    expect(d).toMatchObject({ response: '2025-09-30 18:00', due: '2025-10-02 16:00' });
  });

  it('across the National Day holiday', () => {
    const d = deadlines({
      createdAt: '2025-09-30 10:00',
      responseHours: 8,
      handlingHours: 120,
      timeBasis: 'working',
      urgent: false,
    });
    // Response: 9/30 10:00–17:30 is 5.5 h, then 2.5 h on 10/9 → 11:00. Handling: 10/9, 10/10, 10/11 (Sat, worked), 10/13, 10/14.
    expect(d).toMatchObject({ response: '2025-10-09 11:00', due: '2025-10-14 17:30' });
  });

  it('never puts the response deadline after the handling deadline', () => {
    const d = deadlines({
      createdAt: '2025-03-10 10:00',
      responseHours: 16,
      handlingHours: 24,
      timeBasis: 'working',
      urgent: false,
    });
    expect(d).toMatchObject({ response: '2025-03-11 17:30', due: '2025-03-11 17:30' });
  });

  it('documents the days rule', () => {
    expect([2, 8, 23, 24, 36, 48, 72, 240].map(countsAsWorkingDays)).toEqual([
      false,
      false,
      false,
      true,
      false,
      true,
      true,
      true,
    ]);
  });
});

describe('a year missing from the calendar', () => {
  it('falls back to plain Monday–Friday', () => {
    expect(calendarCovers(2027, cal)).toBe(false);
    expect(yearStatus(2027, cal)).toBe('missing');
    expect(isWorkingDay(at('2027-10-01 10:00'), cal)).toBe(true); // a Friday; its real status is unknown
    expect(isWorkingDay(at('2027-10-02 10:00'), cal)).toBe(false);
  });

  it('computes deadlines and says which year the administrator must add', () => {
    const d = deadlines({
      createdAt: '2026-12-30 10:00',
      responseHours: 4,
      handlingHours: 72,
      timeBasis: 'working',
      urgent: false,
    });
    expect(d.due).toBe('2027-01-04 17:30');
    expect(d.warnings).toEqual([
      { year: 2027, kind: 'missing', message: expect.stringContaining('prisma/data/holidays.json') },
    ]);
  });

  it('the scheduler hears about the next year about two months ahead', () => {
    expect(calendarWarningsAhead(at('2026-06-01 09:00'), cal)).toEqual([]);
    expect(calendarWarningsAhead(at('2026-11-15 09:00'), cal).map((w) => w.year)).toEqual([2027]);
  });

  it('provisional years are covered but still warned about', () => {
    const provisional = testCalendar({
      years: { '2025': { holidays: [], makeupWorkdays: [], provisional: true, note: '通知未发布' } },
    });
    expect(calendarCovers(2025, provisional)).toBe(true);
    const warnings = calendarWarningsAhead(at('2025-03-01 09:00'), provisional);
    expect(warnings).toEqual([{ year: 2025, kind: 'provisional', message: expect.stringContaining('通知未发布') }]);
  });
});
