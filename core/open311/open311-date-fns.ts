import { SHANGHAI_OFFSET_MS } from '../deadlines/shanghai-day-fns.ts';
import { ValidationError } from '../errors.ts';

/**
 * GeoReport v2 wants W3C date-times with the offset. Jianghan's people read Beijing time, so
 * we answer with +08:00 (China keeps one offset all year: see shanghai-day-fns.ts).
 */
export function w3cDateTime(at: Date): string {
  const local = new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19);
  return `${local}+08:00`;
}

/** Accepts a W3C date-time (with Z or an offset) or a bare date (taken as Beijing midnight). */
export function parseW3cDate(raw: string, field: string): Date {
  // An unencoded '+' in a query string arrives as a space: 2026-03-02T09:00:00 08:00.
  const text = raw.trim().replace(/ (\d{2}:?\d{2})$/, '+$1');
  const full = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(text);
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(text);
  const at = full ? new Date(text) : dateOnly ? new Date(`${text}T00:00:00+08:00`) : null;
  if (!at || Number.isNaN(at.getTime()))
    throw new ValidationError(`${field} 须为带时区的 W3C 日期时间，例如 2026-03-02T09:00:00+08:00`);
  return at;
}
