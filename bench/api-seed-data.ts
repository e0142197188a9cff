// The API benchmark's cases, as values: one generator both seeders draw from (SQLite through
// better-sqlite3 in api-bench.ts, PostgreSQL in api-seed-postgres.ts), so the two engines are
// measured on the same rows, not merely the same distribution. The random draws happen in one
// fixed order (persons, case times, cases, ratings, patrol findings), which is what makes the
// rows equal for equal `now` and size.
import { sqlDate } from '../db/sql-values.ts';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Deterministic, so two runs measure the same data. */
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

/** The seed both seeders start from. */
export const SEED = 20261129;

export const PLACES = [
  '万松园路',
  '青年路',
  '新华路',
  '唐家墩路',
  '常青路',
  '建设大道',
  '解放大道',
  '中山大道',
  '江汉路',
  '前进一路',
  '民意四路',
  '北湖西路',
  '汉兴街',
  '花楼街',
];
const OPENERS = ['居民反映：', '巡查发现：', '群众来电称', '市民拍照举报，', ''];
const TAILS = [
  '，影响通行，请尽快处理。',
  '，已持续多日，附近居民意见很大。',
  '，晚上尤其严重。',
  '。',
  '，希望城管部门尽快到现场查看处理，谢谢！',
];

export function statusFor(ageDays: number, r: number): string {
  if (ageDays > 30)
    return r < 0.85 ? 'closed' : r < 0.9 ? 'rejected' : r < 0.94 ? 'merged' : r < 0.97 ? 'resolved' : 'accepted';
  return r < 0.05
    ? 'triage'
    : r < 0.25
      ? 'dispatched'
      : r < 0.55
        ? 'accepted'
        : r < 0.7
          ? 'resolved'
          : r < 0.95
            ? 'closed'
            : r < 0.98
              ? 'rejected'
              : 'merged';
}

/** An active power-list item as the seeders read it (`urgent` 0/1 on SQLite, a boolean on PostgreSQL). */
export interface SeedItem {
  id: number;
  name: string;
  level: string;
  post: string | null;
  department: string | null;
  handlingHours: number;
  mode721: string;
  urgent: number | boolean;
}

export interface SeedRefs {
  streets: Array<{ id: number; name: string }>;
  items: SeedItem[];
  departments: Map<string, number>;
  /** The 5,000 residents' ids, in the order they were created. */
  residents: number[];
}

/** The resident persons both seeders create first: display name and phone. */
export const residentRows = (): Array<[string, string]> =>
  Array.from({ length: 5000 }, (_, i) => [`居民${i}`, `139${String(i).padStart(8, '0')}`]);

/** The columns of every row `caseRows` yields, in order. */
export const CASE_COLUMNS = [
  'number',
  'text',
  'lat',
  'lng',
  'address',
  'streetId',
  'itemId',
  'handling',
  'post',
  'departmentId',
  'status',
  'urgent',
  'confidence',
  'routingReasons',
  'mode721',
  'outcome',
  'channel',
  'reporterId',
  'reworkCount',
  'reopenCount',
  'postponed',
  'dueAt',
  'createdAt',
  'updatedAt',
  'resolvedAt',
  'closedAt',
  'overdueNotifiedAt',
  'overdueEscalatedAt',
  'remindedAt',
  'verifiedAt',
  'autoVerified',
] as const;

/**
 * The deadline watch's defaults (config REMINDER… OVERDUE_ESCALATE_HOURS): a case of the seeded
 * year that fell due was told 督办 then, and escalated this much later, as a deployment running
 * all year would have done. Without these flags the watch found ~93,000 cases never notified and
 * worked through them for hours, 100 cases per step a minute, on the process taking the
 * benchmark's reports (its CPU counted as intake's).
 */
const ESCALATE_AFTER_HOURS = 24;
/**
 * Likewise REMINDER_BEFORE_HOURS and AUTO_VERIFY_DAYS: a waiting case was reminded this long
 * before it fell due, and a case 办结 longer ago than the verification window was closed by the
 * system then (autoVerified, as statistics count it). Without them every run found ~41,000 cases
 * to auto-verify and thousands to remind, and spent its idle seconds (~200 PostgreSQL
 * transactions a second) on them.
 */
const REMIND_BEFORE_HOURS = 4;
const AUTO_VERIFY_AFTER_DAYS = 3;
const AWAITING_HANDLING = ['triage', 'dispatched', 'accepted'];

export type SeedValue = string | number | boolean | null;

/**
 * `total` cases over the year before `now`, oldest first (so ids follow time as in production):
 * the rows (CASE_COLUMNS; dates as Prisma's SQLite text, which PostgreSQL reads as UTC), and
 * per district day the last number used (the CaseCounter rows), complete once the rows are drawn.
 */
export function caseRows(
  total: number,
  now: number,
  refs: SeedRefs,
  rand: () => number,
): { rows: Generator<SeedValue[]>; perDay: Map<string, number> } {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const perDay = new Map<string, number>();
  const created = Array.from({ length: total }, () => now - Math.pow(rand(), 1.3) * 365 * DAY).sort((a, b) => a - b);
  function* rows(): Generator<SeedValue[]> {
    for (const t of created) {
      const item = pick(refs.items);
      const street = pick(refs.streets);
      const ageDays = (now - t) / DAY;
      const drawn = statusFor(ageDays, rand());
      const day = new Date(t + 8 * HOUR).toISOString().slice(0, 10).replace(/-/g, '');
      const seq = (perDay.get(day) ?? 0) + 1;
      perDay.set(day, seq);
      const due = t + item.handlingHours * HOUR * (1 + rand());
      const done = drawn === 'resolved' || drawn === 'closed';
      const resolved = done ? Math.min(now - HOUR, t + item.handlingHours * HOUR * (0.2 + rand() * 1.6)) : null;
      const autoVerified = drawn === 'resolved' && resolved! + AUTO_VERIFY_AFTER_DAYS * DAY <= now;
      const status = autoVerified ? 'closed' : drawn;
      const closed = autoVerified
        ? resolved! + AUTO_VERIFY_AFTER_DAYS * DAY
        : status === 'closed'
          ? Math.min(now, resolved! + rand() * 72 * HOUR)
          : null;
      const reminded = Math.max(t, due - REMIND_BEFORE_HOURS * HOUR);
      const handling = item.level === 'department' ? 'department' : item.level === 'district' ? 'district' : 'street';
      const waiting = AWAITING_HANDLING.includes(status);
      const escalated = due + ESCALATE_AFTER_HOURS * HOUR;
      yield [
        `JH-${day}-${String(seq).padStart(4, '0')}`,
        `${pick(OPENERS)}${pick(PLACES)}${Math.floor(rand() * 300)}号附近${item.name}${pick(TAILS)}`,
        30.58 + rand() * 0.04,
        114.24 + rand() * 0.06,
        `${pick(PLACES)}${Math.floor(rand() * 300)}号`,
        street.id,
        item.id,
        handling,
        item.post,
        item.department ? (refs.departments.get(item.department) ?? null) : null,
        status,
        typeof item.urgent === 'boolean' ? Number(item.urgent) : item.urgent,
        0.6 + rand() * 0.4,
        '[]',
        done ? item.mode721 : null,
        done ? '经现场核查，已督促当事人整改完毕。' : null,
        pick(['telegram', 'wechat', 'web']),
        pick(refs.residents),
        rand() < 0.05 ? 1 : 0,
        rand() < 0.02 ? 1 : 0,
        rand() < 0.02 ? 1 : 0,
        sqlDate(new Date(due)),
        sqlDate(new Date(t)),
        sqlDate(new Date(t)),
        resolved === null ? null : sqlDate(new Date(resolved)),
        closed === null ? null : sqlDate(new Date(closed)),
        waiting && due <= now ? sqlDate(new Date(due)) : null,
        waiting && handling !== 'district' && escalated <= now ? sqlDate(new Date(escalated)) : null,
        waiting && reminded <= now ? sqlDate(new Date(reminded)) : null,
        autoVerified ? sqlDate(new Date(closed!)) : null,
        Number(autoVerified),
      ];
    }
  }
  return { rows: rows(), perDay };
}

/** A closed case's rating, drawn in id order: 40 % of them are rated. */
export const ratingScore = (rand: () => number): string | null =>
  rand() < 0.4 ? (rand() < 0.7 ? 'satisfied' : rand() < 0.7 ? 'basic' : 'unsatisfied') : null;

/** 20,000 patrol findings over the year (inspector, text, outcome, createdAt), one in three settled on the spot. */
export function findingRows(inspectors: readonly number[], now: number, rand: () => number) {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  return Array.from(
    { length: 20_000 },
    () =>
      [
        pick(inspectors),
        '巡查发现占道经营',
        rand() < 0.33 ? 'settled' : 'case',
        sqlDate(new Date(now - rand() * 365 * DAY)),
      ] as const,
  );
}
