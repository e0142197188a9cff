import { ValidationError } from '../errors.ts';

/**
 * Periods are half-open [from, to) instants. People name days in district time (Asia/Shanghai,
 * a constant UTC+8 since 1991), so 'YYYY-MM-DD' means that local day: `from=2026-11-01`
 * starts at 00:00 Beijing time and `to=2026-11-30` includes the whole of 30 November.
 */
export const DISTRICT_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export interface Period {
  from: Date;
  to: Date;
}

const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;

function localDayStart(text: string): Date | null {
  const m = YMD.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = Date.UTC(y, mo - 1, d);
  const check = new Date(utc);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return new Date(utc - DISTRICT_OFFSET_MS);
}

/** A 'from' or 'to' bound: a local day (to is inclusive of that day) or an ISO date-time. */
export function parseBound(text: string, kind: 'from' | 'to'): Date {
  const day = localDayStart(text);
  if (day) return kind === 'to' ? new Date(day.getTime() + DAY_MS) : day;
  if (/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    const at = new Date(text);
    if (!Number.isNaN(at.getTime())) return at;
  }
  throw new ValidationError(`日期格式不正确：${text}（应为 2026-11-30 或 ISO 时间）`);
}

/** The district day an instant falls on, 'YYYY-MM-DD'. */
export function districtDay(at: Date): string {
  return new Date(at.getTime() + DISTRICT_OFFSET_MS).toISOString().slice(0, 10);
}

export function startOfDistrictDay(at: Date): Date {
  return localDayStart(districtDay(at))!;
}

/**
 * The statistics period: explicit bounds, or by default the last `defaultDays` days including
 * today. Capped so one request cannot ask for a decade of daily trend.
 */
export function resolvePeriod(
  input: { from?: string | undefined; to?: string | undefined },
  now: Date,
  defaultDays = 30,
  maxDays = 731,
): Period {
  const to = input.to ? parseBound(input.to, 'to') : new Date(startOfDistrictDay(now).getTime() + DAY_MS);
  const from = input.from ? parseBound(input.from, 'from') : new Date(to.getTime() - defaultDays * DAY_MS);
  if (from.getTime() >= to.getTime()) throw new ValidationError('开始日期须早于结束日期');
  if (to.getTime() - from.getTime() > maxDays * DAY_MS) throw new ValidationError(`统计区间最长 ${maxDays} 天`);
  return { from, to };
}

// The days of the last few periods: every "last 30 days" asked a moment later has the same ones,
// and a year's 365 date strings cost each cold statistics request a visible slice of the loop.
const recentDays = new Map<string, readonly string[]>();

/** Every district day the period touches, in order (for a gap-free daily trend). Do not modify the answer. */
export function periodDays(p: Period): readonly string[] {
  const start = startOfDistrictDay(p.from).getTime();
  const key = `${start}|${p.to.getTime()}`;
  const known = recentDays.get(key);
  if (known) return known;
  const days: string[] = [];
  for (let t = start; t < p.to.getTime(); t += DAY_MS) days.push(districtDay(new Date(t)));
  recentDays.set(key, days);
  if (recentDays.size > 16) recentDays.delete(recentDays.keys().next().value!);
  return days;
}

/** How far back the public statistics go, in whole calendar months (the current one included). */
export const PUBLIC_STATS_MONTHS = 24;
const YM = /^(\d{4})-(\d{2})$/;

function monthStart(y: number, m: number): Date {
  // m may run past 12 or below 1: Date.UTC carries it into the year.
  return new Date(Date.UTC(y, m - 1, 1) - DISTRICT_OFFSET_MS);
}

/**
 * The period an anonymous caller may ask for: the last 30 days (the default), or one calendar
 * month (`month=2026-11`, or from/to naming exactly its first and last day) within the last
 * PUBLIC_STATS_MONTHS months. So there are at most 25 different public periods, each at most a
 * month of cases, and every one of them is shared through the cache; anything else needs a
 * staff token (GET /api/stats).
 */
export function resolvePublicPeriod(
  input: { from?: string | undefined; to?: string | undefined; month?: string | undefined },
  now: Date,
): Period {
  const refuse = (why: string): never => {
    throw new ValidationError(
      `${why}。公开统计提供最近 30 天或最近 ${PUBLIC_STATS_MONTHS} 个月内的单个自然月（如 month=2026-11）；其他区间请使用工作人员令牌调用 /api/stats`,
    );
  };
  let month = input.month;
  if (month === undefined && (input.from !== undefined || input.to !== undefined)) {
    const from = input.from !== undefined ? YMD.exec(input.from) : null;
    const to = input.to !== undefined ? YMD.exec(input.to) : null;
    if (!from || !to) return refuse('公开统计的起止须同时给出，且为日期（如 2026-11-01）');
    const [fy, fm, fd] = [Number(from[1]), Number(from[2]), Number(from[3])];
    const lastDay = new Date(Date.UTC(fy, fm, 0)).getUTCDate();
    if (fd !== 1 || Number(to[1]) !== fy || Number(to[2]) !== fm || Number(to[3]) !== lastDay)
      return refuse('公开统计的区间须为一个完整的自然月');
    month = `${from[1]}-${from[2]}`;
  }
  if (month === undefined) return resolvePeriod({}, now);
  const m = YM.exec(month);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return refuse(`月份格式不正确：${month}`);
  const [y, mo] = [Number(m[1]), Number(m[2])];
  const today = districtDay(now);
  const [ty, tm] = [Number(today.slice(0, 4)), Number(today.slice(5, 7))];
  const monthsBack = (ty - y) * 12 + (tm - mo);
  if (monthsBack < 0) return refuse('不能查询未来的月份');
  if (monthsBack >= PUBLIC_STATS_MONTHS) return refuse(`只能查询最近 ${PUBLIC_STATS_MONTHS} 个月`);
  return { from: monthStart(y, mo), to: monthStart(y, mo + 1) };
}
