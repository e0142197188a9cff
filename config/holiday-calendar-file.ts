import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import {
  errorText,
  HolidayCalendarError,
  parseHolidayCalendarText,
  type HolidayCalendar,
} from '../core/deadlines/holiday-calendar.ts';

// Reading the holiday calendar from a file, here rather than in core/, which parses and validates
// but never touches the disk.

/** The bundled calendar (prisma/data/holidays.json), found from this module so any working directory works. */
export function defaultHolidayCalendarPath(): string {
  return fileURLToPath(new URL('../prisma/data/holidays.json', import.meta.url));
}

/** Reads and validates a holiday calendar file (default: the bundled one). */
export async function loadHolidayCalendar(path: string = defaultHolidayCalendarPath()): Promise<HolidayCalendar> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new HolidayCalendarError(`无法读取节假日日历文件 ${path}`, [errorText(err)]);
  }
  return parseHolidayCalendarText(text, path);
}

/** Synchronous twin for CLIs and benchmarks. */
export function loadHolidayCalendarSync(path: string = defaultHolidayCalendarPath()): HolidayCalendar {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new HolidayCalendarError(`无法读取节假日日历文件 ${path}`, [errorText(err)]);
  }
  return parseHolidayCalendarText(text, path);
}
