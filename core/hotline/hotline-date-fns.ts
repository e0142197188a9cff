import { SHANGHAI_OFFSET_MS } from '../deadlines/shanghai-day-fns.ts';

/**
 * Dates as hotline exports write them. All are wall-clock times in Wuhan (UTC+8, no DST):
 * text in one of the mapping's formats, an Excel serial number (days since 1899-12-30), a
 * Date that exceljs read from a date cell (it reads the wall time as if it were UTC), or an
 * ISO 8601 string with an explicit offset (what a pushing system sends).
 */
export type CellValue = string | number | Date | boolean | null | undefined;

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
// 1960 … 2120: a number outside is not a date someone meant.
const SERIAL_MIN = 21_916;
const SERIAL_MAX = 80_000;

function wallTime(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): Date | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const utc = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(utc);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null; // 2026-02-30
  return new Date(utc - SHANGHAI_OFFSET_MS);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** 'YYYY/MM/DD HH:mm' → a regex with named groups; MM and DD also take one digit (2026/1/5). */
function formatRegex(format: string): RegExp {
  const tokens: Record<string, string> = {
    YYYY: '(?<y>\\d{4})',
    MM: '(?<mo>\\d{1,2})',
    M: '(?<mo>\\d{1,2})',
    DD: '(?<d>\\d{1,2})',
    D: '(?<d>\\d{1,2})',
    HH: '(?<h>\\d{1,2})',
    mm: '(?<mi>\\d{2})',
    ss: '(?<s>\\d{2})',
  };
  const body = format
    .split(/(YYYY|MM|M|DD|D|HH|mm|ss)/)
    .map((part) => tokens[part] ?? escape(part))
    .join('');
  return new RegExp(`^${body.replace(/ /g, '\\s+')}$`);
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;

export function excelSerialToDate(serial: number): Date | null {
  if (!Number.isFinite(serial) || serial < SERIAL_MIN || serial > SERIAL_MAX) return null;
  // Rounded to the second: Excel stores times as fractions of a day and loses the last digits.
  const wallMs = Math.round((EXCEL_EPOCH_MS + serial * 86_400_000) / 1000) * 1000;
  return new Date(wallMs - SHANGHAI_OFFSET_MS);
}

/** The instant a cell names, or null when it is empty or not a date in any accepted form. */
export function parseHotlineDate(value: CellValue, formats: readonly string[]): Date | null {
  if (value === null || value === undefined || typeof value === 'boolean') return null;
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? null : new Date(value.getTime() - SHANGHAI_OFFSET_MS);
  }
  if (typeof value === 'number') return excelSerialToDate(value);
  const text = value.trim().replace(/\s+/g, ' ');
  if (!text) return null;
  if (/^\d{5}(\.\d+)?$/.test(text)) return excelSerialToDate(Number(text));
  if (ISO_WITH_OFFSET.test(text)) {
    const d = new Date(text);
    return Number.isNaN(d.getTime()) ? null : d;
  }
  for (const f of formats) {
    const g = formatRegex(f).exec(text)?.groups;
    if (!g) continue;
    return wallTime(Number(g.y), Number(g.mo), Number(g.d), Number(g.h ?? 0), Number(g.mi ?? 0), Number(g.s ?? 0));
  }
  return null;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** An instant written in Wuhan wall time with a mapping's format (for the export back). */
export function formatHotlineDate(at: Date, format: string): string {
  const w = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  const parts: Record<string, string> = {
    YYYY: String(w.getUTCFullYear()),
    MM: pad(w.getUTCMonth() + 1),
    M: String(w.getUTCMonth() + 1),
    DD: pad(w.getUTCDate()),
    D: String(w.getUTCDate()),
    HH: pad(w.getUTCHours()),
    mm: pad(w.getUTCMinutes()),
    ss: pad(w.getUTCSeconds()),
  };
  return format
    .split(/(YYYY|MM|M|DD|D|HH|mm|ss)/)
    .map((p) => parts[p] ?? p)
    .join('');
}
