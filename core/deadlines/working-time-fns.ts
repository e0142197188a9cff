import { ValidationError } from '../errors.ts';
import { calendarWarnings, type CalendarWarning } from './calendar-coverage-fns.ts';
import type { HolidayCalendar } from './holiday-calendar.ts';
import { HOUR_MS, MINUTE_MS, dayStartMs, isWeekend, shanghaiDay } from './shanghai-day-fns.ts';

/**
 * Deadline arithmetic in working time (工作时间) over the holiday calendar. Pure: no I/O, no clock.
 *
 * - A working day is Monday–Friday unless listed as a holiday, plus the weekend days listed as
 *   make-up working days (调休上班). Years missing from the calendar fall back to Monday–Friday.
 * - Working time is the calendar's periods on working days (default 08:30–12:00, 14:00–17:30).
 * - All loops step a day at a time (never a minute at a time): statistics call these on 100k cases.
 */

/** Same union as the power list's; kept local so this file depends on nothing but the calendar. */
export type TimeBasis = 'working' | 'clock';

// A guard against a calendar with no working days at all, not a limit anyone should reach.
const MAX_DAYS = 3660;

function isWorkingDayNumber(day: number, cal: HolidayCalendar): boolean {
  if (cal.makeupWorkdays.has(day)) return true;
  return !isWeekend(day) && !cal.holidays.has(day);
}

function assertDuration(value: number, what: string): void {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${what} must be a finite number ≥ 0, got ${value}`);
}

/** Whether the Shanghai calendar day of `date` is a working day. */
export function isWorkingDay(date: Date, cal: HolidayCalendar): boolean {
  return isWorkingDayNumber(shanghaiDay(date), cal);
}

/**
 * The instant when `hours` of working time have passed since `start`. Time outside working
 * periods does not count; a deadline that lands exactly on the end of a period stays there
 * (Friday 16:00 + 1.5 h is Friday 17:30, not Monday 08:30).
 */
export function addWorkingHours(start: Date, hours: number, cal: HolidayCalendar): Date {
  assertDuration(hours, 'hours');
  const t0 = start.getTime();
  let remaining = Math.round(hours * HOUR_MS);
  if (remaining === 0) return new Date(t0);
  let day = shanghaiDay(t0);
  for (let i = 0; i < MAX_DAYS; i++, day++) {
    if (!isWorkingDayNumber(day, cal)) continue;
    const base = dayStartMs(day);
    for (const [s, e] of cal.periods) {
      const from = Math.max(base + s * MINUTE_MS, t0);
      const to = base + e * MINUTE_MS;
      if (to <= from) continue;
      if (remaining <= to - from) return new Date(from + remaining);
      remaining -= to - from;
    }
  }
  throw new RangeError(`no working time found within ${MAX_DAYS} days of ${start.toISOString()}`);
}

/** The end of the working day (end of its last period) of a day number. */
function endOfWorkingDay(day: number, cal: HolidayCalendar): Date {
  const last = cal.periods[cal.periods.length - 1];
  return new Date(dayStartMs(day) + (last ? last[1] : 24 * 60) * MINUTE_MS);
}

/**
 * The end of the `days`-th working day after `start`. As in 民法典 第二百零一条 (a period
 * counted in days starts on the next day), the day of `start` never counts, whatever the
 * hour: a report on Monday at 10:00 with 1 working day is due Tuesday 17:30.
 */
export function addWorkingDays(start: Date, days: number, cal: HolidayCalendar): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`days must be an integer ≥ 0, got ${days}`);
  if (days === 0) return new Date(start.getTime());
  let day = shanghaiDay(start);
  let counted = 0;
  for (let i = 0; i < MAX_DAYS; i++) {
    day++;
    if (isWorkingDayNumber(day, cal) && ++counted === days) return endOfWorkingDay(day, cal);
  }
  throw new RangeError(`no ${days} working days found within ${MAX_DAYS} days of ${start.toISOString()}`);
}

/** Working hours between two instants (negative when b is before a). For statistics. */
export function workingHoursBetween(a: Date, b: Date, cal: HolidayCalendar): number {
  const from = a.getTime();
  const to = b.getTime();
  if (to < from) return -workingHoursBetween(b, a, cal);
  const first = shanghaiDay(from);
  const last = shanghaiDay(to);
  let fullDay = 0;
  for (const [s, e] of cal.periods) fullDay += (e - s) * MINUTE_MS;
  let total = 0;
  for (let day = first; day <= last; day++) {
    if (!isWorkingDayNumber(day, cal)) continue;
    // Days strictly inside the interval count whole; only the first and last need clipping.
    if (day !== first && day !== last) {
      total += fullDay;
      continue;
    }
    const base = dayStartMs(day);
    for (const [s, e] of cal.periods) {
      const overlap = Math.min(to, base + e * MINUTE_MS) - Math.max(from, base + s * MINUTE_MS);
      if (overlap > 0) total += overlap;
    }
  }
  return total / HOUR_MS;
}

/**
 * The days-versus-hours rule. A working-basis duration that is a whole multiple of 24 hours
 * (24, 48, 72 …) means working DAYS (24 h = 1 working day, due at the end of that working
 * day): power lists write "3个工作日" as 72 hours, and 72 working hours would be over ten
 * working days. Any other value (2, 4, 8, 36 …) is counted in working hours.
 */
export function countsAsWorkingDays(hours: number): boolean {
  return hours >= 24 && hours % 24 === 0;
}

export interface DeadlineInput {
  createdAt: Date;
  responseHours: number;
  handlingHours: number;
  timeBasis: TimeBasis;
  urgent: boolean;
}

export interface Deadlines {
  responseDueAt: Date;
  dueAt: Date;
  /** Years the computation crossed that the calendar lacks or only guesses; log them. */
  warnings: CalendarWarning[];
}

function durationEnd(start: Date, hours: number, cal: HolidayCalendar): Date {
  return countsAsWorkingDays(hours) ? addWorkingDays(start, hours / 24, cal) : addWorkingHours(start, hours, cal);
}

/**
 * A case's response and handling deadlines. Urgent cases and 'clock' items add exact hours.
 * 'working' items use working time, with the days rule above applied to both durations.
 * The response deadline never falls after the handling deadline (16 working hours would
 * otherwise outlast "1 working day").
 */
export function computeDeadlines(input: DeadlineInput, cal: HolidayCalendar): Deadlines {
  const { createdAt, responseHours, handlingHours } = input;
  assertDuration(responseHours, 'responseHours');
  assertDuration(handlingHours, 'handlingHours');
  if (input.urgent || input.timeBasis === 'clock') {
    const t0 = createdAt.getTime();
    return {
      responseDueAt: new Date(t0 + Math.round(responseHours * HOUR_MS)),
      dueAt: new Date(t0 + Math.round(handlingHours * HOUR_MS)),
      warnings: [],
    };
  }
  const dueAt = durationEnd(createdAt, handlingHours, cal);
  const response = durationEnd(createdAt, responseHours, cal);
  const responseDueAt = response.getTime() > dueAt.getTime() ? new Date(dueAt.getTime()) : response;
  return { responseDueAt, dueAt, warnings: calendarWarnings(createdAt, dueAt, cal) };
}

/** 缓办 (postponement) as approved: a new date, or a number of working days added to the current deadline. */
export type Extension = { until: Date } | { workingDays: number };

/** The deadline after an approved postponement; it must be later than the current one. */
export function extendDeadline(currentDueAt: Date, extension: Extension, cal: HolidayCalendar): Date {
  const next =
    'until' in extension
      ? new Date(extension.until.getTime())
      : addWorkingDays(currentDueAt, extension.workingDays, cal);
  if (Number.isNaN(next.getTime()) || next.getTime() <= currentDueAt.getTime()) {
    throw new ValidationError('缓办后的期限应晚于原期限');
  }
  return next;
}
