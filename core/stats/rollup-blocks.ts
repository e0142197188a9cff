/**
 * Coarser rollup keys: besides its district day ('YYYY-MM-DD'), every summed rollup row is also
 * kept under the aligned blocks of 4, 16 and 64 days that contain that day ('b4:5179': the
 * 5179th block of 4 days since 1970-01-01). A period of whole days is then the sum of a few keys
 * (coverKeys: at most 3 days and 3 blocks of each size at either end), not of one key per day:
 * 30 days are about 7 keys instead of 30, a year about 12 instead of 365, so the rows a cold
 * statistic sums shrink by 4 to 30 times. A change to a case writes its day and its 3 blocks.
 *
 * Block keys start with 'b', which sorts after every 'YYYY-MM-DD': a range of days on "day"
 * never picks up a block row.
 */
export const BLOCK_SIZES = [4, 16, 64] as const;

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a district day 'YYYY-MM-DD' (the day's own calendar date, not an instant). */
export const epochDay = (day: string): number => Date.parse(`${day}T00:00:00Z`) / DAY_MS;

const dayOfEpoch = (n: number): string => new Date(n * DAY_MS).toISOString().slice(0, 10);

export const blockKey = (size: number, index: number): string => `b${size}:${index}`;

/** The block keys a day's rows are also summed under, one per size. */
export function blockKeysOf(day: string): string[] {
  const e = epochDay(day);
  return BLOCK_SIZES.map((s) => blockKey(s, Math.floor(e / s)));
}

/**
 * The fewest keys (days and aligned blocks) whose rows add up to the days [fromDay, toDay):
 * from the start, each step takes the largest block that starts there and ends by toDay.
 */
export function coverKeys(fromDay: string, toDay: string): string[] {
  const end = epochDay(toDay);
  const keys: string[] = [];
  for (let at = epochDay(fromDay); at < end;) {
    let size = 1;
    for (const s of BLOCK_SIZES) if (at % s === 0 && at + s <= end) size = s;
    keys.push(size === 1 ? dayOfEpoch(at) : blockKey(size, at / size));
    at += size;
  }
  return keys;
}

/** Each day-keyed row again under each of its day's blocks (what a rollup change writes). */
export function withBlocks<T extends { day: string }>(rows: readonly T[]): T[] {
  return rows.flatMap((r) => [r, ...blockKeysOf(r.day).map((day) => ({ ...r, day }))]);
}

/**
 * The street of the rows that sum every street (the district's own rows). Kinds the district reads
 * as one sum over its streets (the daily trend's 'opened' and 'closed', the department events
 * 'referred' and 'returned') keep them beside the rows per street, which only a street's figures
 * then read: 30 days of the district's trend were 744 rows for 62, its department events 839 for
 * 10. Rows without a street keep streetId 0; -1 names no street.
 */
export const DISTRICT_ROWS = -1;

/** Each row of `kinds` again as the district's (what a rollup change writes). */
export function withDistrictRows<T extends { kind: string; streetId: number }>(
  rows: readonly T[],
  kinds: readonly string[],
): T[] {
  return rows.flatMap((r) => (kinds.includes(r.kind) ? [r, { ...r, streetId: DISTRICT_ROWS }] : [r]));
}
