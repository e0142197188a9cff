/**
 * Calendar days in Asia/Shanghai as plain integers ("day numbers": days since 1970-01-01 local).
 *
 * Why a fixed +08:00 offset instead of Intl time-zone lookups: China has used UTC+8 all year
 * round since it dropped daylight saving time in 1991, so for every date this system handles
 * the offset is constant. A fixed offset keeps the deadline loops free of Intl calls (fast
 * enough for statistics over 100k cases) and independent of the host's ICU time-zone data.
 * The server clock stays UTC; only these helpers know about the offset.
 */

export const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;

/** The Shanghai calendar day an instant falls on. */
export function shanghaiDay(instant: Date | number): number {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  return Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS);
}

/** The UTC instant of 00:00 Shanghai time on a day. */
export function dayStartMs(day: number): number {
  return day * DAY_MS - SHANGHAI_OFFSET_MS;
}

/** 0 = Sunday … 6 = Saturday, like Date#getDay (1970-01-01 was a Thursday). */
export function weekdayOf(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

export function isWeekend(day: number): boolean {
  const w = weekdayOf(day);
  return w === 0 || w === 6;
}

/** 'YYYY-MM-DD' → day number, or null when the text is not a real calendar date. */
export function parseYmd(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  // Date.UTC rolls 2025-02-30 over to March; a round trip catches that.
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / DAY_MS;
}

/** Day number → 'YYYY-MM-DD'. */
export function formatYmd(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The Gregorian year of a day number. */
export function yearOfDay(day: number): number {
  return new Date(day * DAY_MS).getUTCFullYear();
}

/** 'HH:MM' (00:00–24:00) → minutes after midnight, or null. */
export function parseHhmm(text: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return Number(m[2]) < 60 && minutes <= 24 * 60 ? minutes : null;
}
