import type { HolidayCalendar } from './holiday-calendar.ts';
import { DAY_MS, shanghaiDay, yearOfDay } from './shanghai-day-fns.ts';

/**
 * Which years the holiday calendar knows. A year missing from prisma/data/holidays.json is
 * still computed (plain Monday–Friday), but its holidays and make-up days are wrong, so the
 * caller must tell the administrator to add the State Council's notice for it.
 */
export type YearStatus = 'official' | 'provisional' | 'missing';

export interface CalendarWarning {
  year: number;
  kind: 'provisional' | 'missing';
  /** For the administrator (logs, dashboard), in Chinese. */
  message: string;
}

export function yearStatus(year: number, cal: HolidayCalendar): YearStatus {
  const entry = cal.years.get(year);
  if (!entry) return 'missing';
  return entry.provisional ? 'provisional' : 'official';
}

/** True when the file has an entry for the year (official or provisional). */
export function calendarCovers(year: number, cal: HolidayCalendar): boolean {
  return cal.years.has(year);
}

/** Warnings for every Shanghai calendar year touched by [from, to] that is not officially covered. */
export function calendarWarnings(from: Date, to: Date, cal: HolidayCalendar): CalendarWarning[] {
  const first = yearOfDay(shanghaiDay(Math.min(from.getTime(), to.getTime())));
  const last = yearOfDay(shanghaiDay(Math.max(from.getTime(), to.getTime())));
  const warnings: CalendarWarning[] = [];
  for (let year = first; year <= last; year++) {
    const status = yearStatus(year, cal);
    if (status === 'missing') {
      warnings.push({
        year,
        kind: 'missing',
        message: `节假日日历缺少 ${year} 年，暂按周一至周五计算工作日；请管理员按国务院办公厅通知在 prisma/data/holidays.json 中补充 ${year} 年`,
      });
    } else if (status === 'provisional') {
      const note = cal.years.get(year)?.note;
      warnings.push({
        year,
        kind: 'provisional',
        message: `节假日日历 ${year} 年为暂定数据${note ? `（${note}）` : ''}；请管理员按正式通知更新 prisma/data/holidays.json`,
      });
    }
  }
  return warnings;
}

/**
 * For the scheduler's daily check: the years a deadline computed now could reach. The notice
 * for the next year usually appears in November, so a 60-day horizon starts warning about a
 * missing next year in early November, when the administrator can act on it.
 */
export function calendarWarningsAhead(now: Date, cal: HolidayCalendar, horizonDays = 60): CalendarWarning[] {
  return calendarWarnings(now, new Date(now.getTime() + horizonDays * DAY_MS), cal);
}
