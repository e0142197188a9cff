import { fileURLToPath } from 'node:url';
import {
  HolidayCalendarError,
  parseHolidayCalendarText,
  type HolidayCalendar,
} from '../core/deadlines/holiday-calendar.ts';
import { readTextFile, readTextFileSync } from './read-text-file.ts';

// Reading the holiday calendar from a file, here rather than in core/, which parses and validates
// but never touches the disk.

/** The bundled calendar (prisma/data/holidays.json), found from this module so any working directory works. */
export function defaultHolidayCalendarPath(): string {
  return fileURLToPath(new URL('../prisma/data/holidays.json', import.meta.url));
}

const cannotRead = (path: string) => (reason: string) =>
  new HolidayCalendarError(`无法读取节假日日历文件 ${path}`, [reason]);

/** Reads and validates a holiday calendar file (default: the bundled one). */
export async function loadHolidayCalendar(path: string = defaultHolidayCalendarPath()): Promise<HolidayCalendar> {
  return parseHolidayCalendarText(await readTextFile(path, cannotRead(path)), path);
}

/** Synchronous twin for CLIs and benchmarks. */
export function loadHolidayCalendarSync(path: string = defaultHolidayCalendarPath()): HolidayCalendar {
  return parseHolidayCalendarText(readTextFileSync(path, cannotRead(path)), path);
}
