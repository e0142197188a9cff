// Test helpers: write and read instants as Shanghai wall-clock text, so expectations read like the calendar.
import { parseHolidayCalendar, type HolidayCalendar } from './holiday-calendar.ts';

/** '2025-09-30 16:00' (Shanghai) → Date. */
export function at(text: string): Date {
  return new Date(`${text.replace(' ', 'T')}:00+08:00`);
}

/** Date → '2025-09-30 16:00' (Shanghai). */
export function show(date: Date): string {
  return new Date(date.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** A small valid calendar for tests that need their own data; override any field. */
export function calendarJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    timezone: 'Asia/Shanghai',
    workingHours: [
      ['08:30', '12:00'],
      ['14:00', '17:30'],
    ],
    source: 'test',
    years: { '2025': { holidays: ['2025-10-01'], makeupWorkdays: ['2025-10-11'] } },
    ...overrides,
  };
}

export function testCalendar(overrides: Record<string, unknown> = {}): HolidayCalendar {
  return parseHolidayCalendar(calendarJson(overrides));
}
