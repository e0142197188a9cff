import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { calendarJson } from './deadline-test-helpers.ts';
import { HolidayCalendarError, parseHolidayCalendar } from './holiday-calendar.ts';
import {
  defaultHolidayCalendarPath,
  loadHolidayCalendar,
  loadHolidayCalendarSync,
} from '../../config/holiday-calendar-file.ts';
import { isWeekend, parseYmd } from './shanghai-day-fns.ts';

function issuesOf(json: unknown): string[] {
  try {
    parseHolidayCalendar(json);
  } catch (err) {
    if (err instanceof HolidayCalendarError) return err.issues;
    throw err;
  }
  return [];
}

describe('bundled prisma/data/holidays.json', () => {
  const cal = loadHolidayCalendarSync();

  it('is found from the module, whatever the working directory', () => {
    expect(defaultHolidayCalendarPath().endsWith(path.join('prisma', 'data', 'holidays.json'))).toBe(true);
    expect(existsSync(defaultHolidayCalendarPath())).toBe(true);
  });

  it('covers 2025 and 2026 with the official notices, with the default working hours', () => {
    expect(cal.years.get(2025)?.provisional).toBe(false);
    expect(cal.years.get(2026)?.provisional).toBe(false);
    expect(cal.periods).toEqual([
      [510, 720],
      [840, 1050],
    ]);
  });

  function countYear(year: number) {
    let weekdayHolidays = 0;
    let makeups = 0;
    let working = 0;
    for (let day = parseYmd(`${year}-01-01`) as number; day <= (parseYmd(`${year}-12-31`) as number); day++) {
      if (cal.holidays.has(day) && !isWeekend(day)) weekdayHolidays++;
      if (cal.makeupWorkdays.has(day)) makeups++;
      if (cal.makeupWorkdays.has(day) || (!isWeekend(day) && !cal.holidays.has(day))) working++;
    }
    return { netDaysOff: weekdayHolidays - makeups, working };
  }

  // Since the 2024 revision of 全国年节及纪念日放假办法 there are 13 statutory days off a year; with
  // 调休 the weekday holidays minus the make-up days come back to exactly 13. Every official year
  // an administrator adds is checked, so a typo in the file shows up here.
  const official = [...cal.years].filter(([, y]) => !y.provisional).map(([year]) => year);
  it.each(official)('%i has 13 net statutory days off', (year) => {
    expect(countYear(year).netDaysOff).toBe(13);
  });

  it.each([
    [2025, 248],
    [2026, 248],
  ])('%i has %i working days', (year, workingDays) => {
    expect(countYear(year).working).toBe(workingDays);
  });
});

describe('parseHolidayCalendar', () => {
  it('accepts a minimal calendar', () => {
    const cal = parseHolidayCalendar(calendarJson());
    expect(cal.holidays.has(parseYmd('2025-10-01') as number)).toBe(true);
    expect(cal.makeupWorkdays.has(parseYmd('2025-10-11') as number)).toBe(true);
  });

  it('names impossible and malformed dates with their place in the file', () => {
    const issues = issuesOf(
      calendarJson({ years: { '2025': { holidays: ['2025-02-30', '2025-1-1'], makeupWorkdays: [] } } }),
    );
    expect(issues).toHaveLength(2);
    expect(issues[0]).toMatch(/^years\.2025\.holidays\.0: .*YYYY-MM-DD/);
    expect(issues[1]).toMatch(/^years\.2025\.holidays\.1: /);
  });

  it('refuses a date listed both as a holiday and as a make-up working day', () => {
    const issues = issuesOf(
      calendarJson({ years: { '2025': { holidays: ['2025-10-11'], makeupWorkdays: ['2025-10-11'] } } }),
    );
    expect(issues).toEqual([expect.stringMatching(/2025-10-11 同时出现在放假日 \(holidays\) 与调休上班日/)]);
  });

  it('finds the overlap across year entries too', () => {
    const years = {
      '2025': { holidays: [], makeupWorkdays: ['2025-12-27'] },
      '2026': { holidays: ['2025-12-27'], makeupWorkdays: [] },
    };
    expect(issuesOf(calendarJson({ years }))).toEqual([
      expect.stringMatching(/^years\.2026\.holidays\.0: 2025-12-27 同时出现/),
    ]);
  });

  it('refuses duplicates, weekday make-up days and dates far from their year', () => {
    const years = { '2025': { holidays: ['2025-10-01', '2025-10-01', '2023-05-01'], makeupWorkdays: ['2025-10-10'] } };
    const issues = issuesOf(calendarJson({ years }));
    expect(issues).toEqual([
      expect.stringMatching(/holidays\.1: 2025-10-01 重复出现/),
      expect.stringMatching(/holidays\.2: 2023-05-01 不属于 2025 年/),
      expect.stringMatching(/makeupWorkdays\.0: 2025-10-10 不是周六或周日/),
    ]);
  });

  it('checks working hours: format, order and overlap', () => {
    expect(issuesOf(calendarJson({ workingHours: [['8:30', '12:00']] }))[0]).toMatch(
      /workingHours\.0\.0: 时间格式应为 HH:MM/,
    );
    expect(issuesOf(calendarJson({ workingHours: [['12:00', '08:30']] }))[0]).toMatch(/结束时间应晚于开始时间/);
    expect(
      issuesOf(
        calendarJson({
          workingHours: [
            ['08:30', '12:00'],
            ['11:00', '17:30'],
          ],
        }),
      )[0],
    ).toMatch(/不重叠/);
    expect(issuesOf(calendarJson({ workingHours: [] }))[0]).toMatch(/至少需要一个工作时段/);
  });

  it('refuses another time zone, unknown fields and bad year keys', () => {
    expect(issuesOf(calendarJson({ timezone: 'UTC' }))[0]).toMatch(/^timezone: 仅支持 Asia\/Shanghai/);
    expect(issuesOf(calendarJson({ extra: 1 }))).toHaveLength(1);
    expect(issuesOf(calendarJson({ years: { '25': { holidays: [], makeupWorkdays: [] } } }))[0]).toMatch(/四位数字/);
  });
});

describe('loadHolidayCalendar', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'gridline-holidays-'));

  it('loads a file an administrator wrote', async () => {
    const file = path.join(dir, 'ok.json');
    writeFileSync(file, JSON.stringify(calendarJson()));
    expect((await loadHolidayCalendar(file)).years.has(2025)).toBe(true);
  });

  it('loads the bundled file by default', async () => {
    expect((await loadHolidayCalendar()).years.has(2026)).toBe(true);
  });

  it('explains a missing file and broken JSON', async () => {
    await expect(loadHolidayCalendar(path.join(dir, 'nope.json'))).rejects.toThrow(/无法读取节假日日历文件/);
    const file = path.join(dir, 'broken.json');
    writeFileSync(file, '{ "timezone": ');
    expect(() => loadHolidayCalendarSync(file)).toThrow(/不是合法 JSON/);
  });
});
