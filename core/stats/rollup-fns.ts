import { closedByDeadline, NEVER_DUE_STATUSES } from './assessment-rules.ts';
import { districtDay } from './period-fns.ts';
import { COUNTED_721 } from './stats-fns.ts';

/**
 * Statistics rollups: what the figures read of each case, summed per district day, so a
 * period's figures are a sum over its days instead of a scan of its cases. A case adds its
 * contributions below; a change to a case subtracts the old ones and adds the new ones, in the
 * case's own transaction (db/stats-rollup.ts). The kinds follow the populations of
 * db/stats-queries.ts:
 * - cases created that day, by street, in three marginals (the figures read no combination of
 *   them, and a street × status × post × mode key made a period's sum group thousands of rows):
 *   createdByStatus (counts, rework, reopened, resolved, handling time), createdByPost (counts),
 *   createdByMode (counts of the resolved and closed, by 721 mode);
 * - opened: cases created that day, by street (the daily trend);
 * - closed: cases closed that day, by street (the trend);
 * - due: the day the case is assessed (core/stats/assessment-rules.ts isDueInPeriod): its
 *   closedAt when closed by the deadline, otherwise its dueAt; by street and handling
 *   department (what one street's figures read), and again by street alone (dueByStreet) and
 *   by department alone (dueByDepartment), what the district's read: 30 days at 1M cases were
 *   923 rows by both for 84 and 70 by either. Only whole days before today are read from here
 *   (dueAt must have passed);
 * - rating: ratings given that day, by the case's street and the score.
 * Absent keys are 0 or '' rather than NULL: a unique key treats NULLs as distinct.
 */
export type RollupKind =
  | 'createdByStatus'
  | 'createdByPost'
  | 'createdByMode'
  | 'opened'
  | 'closed'
  | 'due'
  | 'dueByStreet'
  | 'dueByDepartment'
  | 'rating';

export interface RollupKey {
  kind: RollupKind;
  day: string;
  streetId: number;
  departmentId: number;
  status: string;
  post: string;
  mode721: string;
  score: string;
}

export interface RollupMeasures {
  n: number;
  reworkSum: number;
  reopened: number;
  resolvedCount: number;
  /** Closed by the scheduler after the 核查 deadline (Case.autoVerified). */
  autoVerified: number;
  handlingMs: number;
  postponed: number;
  onTime: number;
}

export type RollupDelta = RollupKey & RollupMeasures;

/** The columns of a case the rollups read. */
export interface RollupCase {
  streetId: number | null;
  departmentId: number | null;
  status: string;
  post: string | null;
  mode721: string | null;
  reworkCount: number;
  reopenCount: number;
  autoVerified: boolean;
  postponed: boolean;
  createdAt: Date;
  resolvedAt: Date | null;
  closedAt: Date | null;
  dueAt: Date | null;
  /** Read by the department figures (accepted in time), not by these rollups. */
  responseDueAt?: Date | null;
}

const ZERO: RollupMeasures = {
  n: 0,
  reworkSum: 0,
  reopened: 0,
  resolvedCount: 0,
  autoVerified: 0,
  handlingMs: 0,
  postponed: 0,
  onTime: 0,
};
const NO_KEY = { streetId: 0, departmentId: 0, status: '', post: '', mode721: '', score: '' };
export const MEASURES = Object.keys(ZERO) as Array<keyof RollupMeasures>;
export const KEY_COLUMNS = ['kind', 'day', 'streetId', 'departmentId', 'status', 'post', 'mode721', 'score'] as const;

/** What one case adds to the rollups (sign -1: what removing it takes away). */
export function caseRollup(c: RollupCase, sign: 1 | -1 = 1): RollupDelta[] {
  const street = c.streetId ?? 0;
  const day = districtDay(c.createdAt);
  const out: RollupDelta[] = [
    {
      ...NO_KEY,
      ...ZERO,
      kind: 'createdByStatus',
      day,
      streetId: street,
      status: c.status,
      n: sign,
      reworkSum: sign * c.reworkCount,
      reopened: c.reopenCount > 0 ? sign : 0,
      resolvedCount: c.resolvedAt ? sign : 0,
      autoVerified: c.autoVerified ? sign : 0,
      handlingMs: c.resolvedAt ? sign * (c.resolvedAt.getTime() - c.createdAt.getTime()) : 0,
    },
    { ...NO_KEY, ...ZERO, kind: 'createdByPost', day, streetId: street, post: c.post ?? '', n: sign },
    { ...NO_KEY, ...ZERO, kind: 'opened', day, streetId: street, n: sign },
  ];
  if (c.mode721 && COUNTED_721.has(c.status))
    out.push({ ...NO_KEY, ...ZERO, kind: 'createdByMode', day, streetId: street, mode721: c.mode721, n: sign });
  if (c.closedAt)
    out.push({ ...NO_KEY, ...ZERO, kind: 'closed', day: districtDay(c.closedAt), streetId: street, n: sign });
  if (c.dueAt !== null && !NEVER_DUE_STATUSES.includes(c.status)) {
    const byDeadline = closedByDeadline(c);
    const due = {
      ...NO_KEY,
      ...ZERO,
      day: districtDay(byDeadline ? c.closedAt! : c.dueAt),
      n: sign,
      postponed: c.postponed ? sign : 0,
      onTime: byDeadline && !c.postponed ? sign : 0,
    };
    // By street and department (a street's figures per department), and its two marginals (the district's).
    out.push(
      { ...due, kind: 'due', streetId: street, departmentId: c.departmentId ?? 0 },
      { ...due, kind: 'dueByStreet', streetId: street },
      { ...due, kind: 'dueByDepartment', departmentId: c.departmentId ?? 0 },
    );
  }
  return out;
}

/** What one rating adds, attributed to its case's street (as the figures attribute it). */
export function ratingRollup(r: { streetId: number | null; score: string; at: Date }, sign: 1 | -1 = 1): RollupDelta {
  return {
    ...NO_KEY,
    ...ZERO,
    kind: 'rating',
    day: districtDay(r.at),
    streetId: r.streetId ?? 0,
    score: r.score,
    n: sign,
  };
}

export const rollupKeyOf = (d: RollupKey): string => KEY_COLUMNS.map((k) => d[k]).join('\u0001');

/** Sums deltas with the same key and drops those that cancel out (an update that changed nothing the figures read). */
export function netDeltas(deltas: readonly RollupDelta[]): RollupDelta[] {
  const byKey = new Map<string, RollupDelta>();
  for (const d of deltas) {
    const key = rollupKeyOf(d);
    const acc = byKey.get(key);
    if (!acc) byKey.set(key, { ...d });
    else for (const m of MEASURES) acc[m] += d[m];
  }
  return [...byKey.values()].filter((d) => MEASURES.some((m) => d[m] !== 0));
}
