import { z } from 'zod';
import { errorMessage } from '../errors.ts';
import { isWeekend, parseHhmm, parseYmd, yearOfDay } from './shanghai-day-fns.ts';

/** What the State Council's notice says about one year. */
export interface CalendarYear {
  /** True while the year's data is a guess or incomplete; the scheduler keeps warning. */
  provisional: boolean;
  note?: string;
  source?: string;
}

/** The parsed calendar the deadline functions read: day numbers in sets, minutes in periods. */
export interface HolidayCalendar {
  timezone: 'Asia/Shanghai';
  /** Working periods as [start, end) minutes after local midnight, ascending and disjoint. */
  periods: ReadonlyArray<readonly [number, number]>;
  /** Shanghai day numbers (see shanghai-day-fns.ts) that are days off although Mon–Fri. */
  holidays: ReadonlySet<number>;
  /** Shanghai day numbers of weekend days that are working days (调休上班). */
  makeupWorkdays: ReadonlySet<number>;
  years: ReadonlyMap<number, CalendarYear>;
  source: string;
}

/** Thrown when the calendar file does not validate; `issues` carries one line per problem. */
export class HolidayCalendarError extends Error {
  readonly issues: string[];
  constructor(message: string, issues: string[]) {
    super(issues.length > 0 ? `${message}:\n  ${issues.join('\n  ')}` : message);
    this.name = 'HolidayCalendarError';
    this.issues = issues;
  }
}

const ymd = z.string().refine((s) => parseYmd(s) !== null, '日期应为真实存在的日期，格式 YYYY-MM-DD');
const hhmm = z.string().refine((s) => parseHhmm(s) !== null, '时间格式应为 HH:MM');

const yearSchema = z.strictObject({
  holidays: z.array(ymd),
  makeupWorkdays: z.array(ymd),
  provisional: z.boolean().optional(),
  note: z.string().optional(),
  source: z.string().optional(),
});

export const holidayCalendarSchema = z
  .strictObject({
    timezone: z.literal('Asia/Shanghai', '仅支持 Asia/Shanghai（按固定 UTC+8 计算）'),
    workingHours: z.array(z.tuple([hhmm, hhmm])).min(1, '至少需要一个工作时段'),
    years: z.record(z.string(), yearSchema),
    source: z.string().min(1),
    note: z.string().optional(),
  })
  .superRefine((cal, ctx) => {
    let previousEnd = -1;
    cal.workingHours.forEach(([from, to], i) => {
      const start = parseHhmm(from);
      const end = parseHhmm(to);
      if (start === null || end === null) return; // already reported by the field schema
      if (start >= end)
        ctx.addIssue({
          code: 'custom',
          path: ['workingHours', i],
          message: `时段 ${from}–${to} 的结束时间应晚于开始时间`,
        });
      if (start < previousEnd)
        ctx.addIssue({
          code: 'custom',
          path: ['workingHours', i],
          message: `时段 ${from}–${to} 应按时间顺序排列且不重叠`,
        });
      previousEnd = end;
    });

    // A date may sit in a neighbouring year's entry (a notice can move a late-December Saturday),
    // so duplicates and conflicts are checked across the whole file, not per year.
    const seen = new Map<number, string>();
    for (const [yearKey, year] of Object.entries(cal.years)) {
      // Checked here rather than as the record's key schema: zod reports a bad key only as "Invalid key in record".
      if (!/^\d{4}$/.test(yearKey)) {
        ctx.addIssue({ code: 'custom', path: ['years', yearKey], message: `年份 "${yearKey}" 应为四位数字` });
        continue;
      }
      const y = Number(yearKey);
      for (const list of ['holidays', 'makeupWorkdays'] as const) {
        year[list].forEach((text, i) => {
          const day = parseYmd(text);
          if (day === null) return;
          const path = ['years', yearKey, list, i];
          if (Math.abs(yearOfDay(day) - y) > 1)
            ctx.addIssue({ code: 'custom', path, message: `${text} 不属于 ${yearKey} 年（或相邻年份）` });
          if (list === 'makeupWorkdays' && !isWeekend(day))
            ctx.addIssue({ code: 'custom', path, message: `${text} 不是周六或周日，不能作为调休上班日` });
          const where = `${yearKey}.${list}`;
          const first = seen.get(day);
          if (first === undefined) seen.set(day, where);
          else if (first.endsWith(list))
            ctx.addIssue({ code: 'custom', path, message: `${text} 重复出现（已在 ${first} 中）` });
          else
            ctx.addIssue({
              code: 'custom',
              path,
              message: `${text} 同时出现在放假日 (holidays) 与调休上班日 (makeupWorkdays) 中`,
            });
        });
      }
    }
  });

type CalendarJson = z.infer<typeof holidayCalendarSchema>;

function toCalendar(json: CalendarJson): HolidayCalendar {
  const holidays = new Set<number>();
  const makeupWorkdays = new Set<number>();
  const years = new Map<number, CalendarYear>();
  for (const [yearKey, year] of Object.entries(json.years)) {
    for (const text of year.holidays) holidays.add(parseYmd(text) as number);
    for (const text of year.makeupWorkdays) makeupWorkdays.add(parseYmd(text) as number);
    years.set(Number(yearKey), { provisional: year.provisional ?? false, note: year.note, source: year.source });
  }
  const periods = json.workingHours.map(([from, to]) => [parseHhmm(from) as number, parseHhmm(to) as number] as const);
  return { timezone: json.timezone, periods, holidays, makeupWorkdays, years, source: json.source };
}

/** Validates parsed JSON as a holiday calendar. Pure: no I/O. */
export function parseHolidayCalendar(json: unknown): HolidayCalendar {
  const result = holidayCalendarSchema.safeParse(json);
  if (result.success) return toCalendar(result.data);
  const issues = result.error.issues.map((issue) => `${issue.path.map(String).join('.') || '(根)'}: ${issue.message}`);
  throw new HolidayCalendarError('节假日日历格式不正确', issues);
}

/** Parses a calendar file's text; `path` names the file in the error. Pure: the caller read it. */
export function parseHolidayCalendarText(text: string, path: string): HolidayCalendar {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new HolidayCalendarError(`节假日日历文件 ${path} 不是合法 JSON`, [errorMessage(err)]);
  }
  return parseHolidayCalendar(json);
}
