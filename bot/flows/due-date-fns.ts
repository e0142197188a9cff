import { SHANGHAI_OFFSET_MS } from '../../core/deadlines/shanghai-day-fns.ts';

/**
 * A date a person typed for a new deadline (缓办), in Wuhan time: "2026-12-20", "2026/12/20 16:00",
 * "12月20日", "12月20日 16:00", "12-20". Without a time it means the end of that working day
 * (17:30); without a year, the next such date from `now`. Null when it cannot be read.
 */
export function parseDueDate(text: string, now: Date): Date | null {
  const t = text.trim().replace(/[：]/g, ':').replace(/\s+/g, ' ');
  const m =
    /^(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?(?:\s*(\d{1,2}):(\d{2}))?$/.exec(t) ?? null;
  if (!m) return null;
  const [, y, mo, d, hh, mm] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = hh === undefined ? 17 : Number(hh);
  const minute = mm === undefined ? 30 : Number(mm);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  const local = new Date(now.getTime() + SHANGHAI_OFFSET_MS);
  const at = (year: number) => {
    const ms = Date.UTC(year, month - 1, day, hour, minute) - SHANGHAI_OFFSET_MS;
    const back = new Date(ms + SHANGHAI_OFFSET_MS);
    // 2月30日 and the like roll over in Date.UTC: refuse them instead.
    return back.getUTCMonth() === month - 1 && back.getUTCDate() === day ? new Date(ms) : null;
  };
  if (y) return at(Number(y));
  const thisYear = at(local.getUTCFullYear());
  if (thisYear && thisYear.getTime() > now.getTime()) return thisYear;
  return at(local.getUTCFullYear() + 1);
}
