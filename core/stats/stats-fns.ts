import { STATUSES, type CaseStatus, type Mode721 } from '../case/case-types.ts';
import { onTimeRate, rate } from './assessment-rules.ts';
import type { Period } from './period-fns.ts';
import { periodDays } from './period-fns.ts';
import type {
  CaseGroupRow,
  DepartmentScorecard,
  DueRow,
  PersonFigures,
  RatingRow,
  SettledFindingRow,
  StatsFigures,
  StatsRows,
  StreetFigures,
  TrendPoint,
} from './stats-types.ts';

/** Unclassified cases (triage without a matter) are counted under this post name. */
export const NO_POST = '未分类';

export { rate };

/** The statuses whose 721 mode is counted (the rollups keep the mode of these only). */
export const COUNTED_721: ReadonlySet<string> = new Set(['resolved', 'closed']);

/**
 * What the figures are made of: counts and sums, which add up part by part (a shared part's sums
 * are folded once, a request's own few rows added to them), then turned into figures and rates
 * by figuresFromSums(). computeFigures() is the two in one.
 */
export interface FigureSums {
  total: number;
  byStatus: Record<CaseStatus, number>;
  byPost: Record<string, number>;
  modes: Record<Mode721, number>;
  rework: number;
  reopened: number;
  resolvedCount: number;
  autoVerified: number;
  hours: number;
  patrolSettled: number;
  due: number;
  postponed: number;
  onTime: number;
  score: { satisfied: number; basic: number; unsatisfied: number };
}

export function emptyFigureSums(): FigureSums {
  return {
    total: 0,
    byStatus: Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<CaseStatus, number>,
    byPost: {},
    modes: { service: 0, management: 0, enforcement: 0 },
    rework: 0,
    reopened: 0,
    resolvedCount: 0,
    autoVerified: 0,
    hours: 0,
    patrolSettled: 0,
    due: 0,
    postponed: 0,
    onTime: 0,
    score: { satisfied: 0, basic: 0, unsatisfied: 0 },
  };
}

/** Adds already-filtered rows (one street, or the whole district) to `into` (a fresh one by default). */
export function foldFigureSums(
  groups: readonly CaseGroupRow[],
  due: readonly DueRow[],
  ratings: readonly RatingRow[],
  settled: readonly SettledFindingRow[],
  into: FigureSums = emptyFigureSums(),
): FigureSums {
  const s = into;
  for (const g of groups) {
    // A marginal row (g.part) adds only its own figures: together the three kinds of a rollup
    // add what the rows of every dimension would.
    const whole = g.part === undefined;
    if (whole || g.part === 'status') {
      s.total += g.cases;
      if (g.status in s.byStatus) s.byStatus[g.status as CaseStatus] += g.cases;
      s.rework += g.reworkSum;
      s.reopened += g.reopened;
      s.resolvedCount += g.resolvedCount;
      if (g.status === 'closed') s.autoVerified += g.autoVerified ?? 0;
      s.hours += g.handlingHoursSum;
    }
    if (whole || g.part === 'post') {
      const post = g.post ?? NO_POST;
      s.byPost[post] = (s.byPost[post] ?? 0) + g.cases;
    }
    if ((g.part === 'mode' || (whole && COUNTED_721.has(g.status))) && g.mode721 && g.mode721 in s.modes)
      s.modes[g.mode721 as Mode721] += g.cases;
  }
  for (const r of settled) s.patrolSettled += r.n;
  for (const r of due) {
    if (r.part === 'department') continue;
    s.due += r.due;
    s.postponed += r.postponed;
    s.onTime += r.onTime;
  }
  for (const r of ratings) if (r.score in s.score) s.score[r.score as keyof typeof s.score] += r.n;
  return s;
}

/** a + b, a new object (b's posts after a's, as if b's rows came after a's). */
export function addFigureSums(a: FigureSums, b: FigureSums): FigureSums {
  const s: FigureSums = {
    ...a,
    byStatus: { ...a.byStatus },
    byPost: { ...a.byPost },
    modes: { ...a.modes },
    score: { ...a.score },
  };
  for (const k of [
    'total',
    'rework',
    'reopened',
    'resolvedCount',
    'autoVerified',
    'hours',
    'patrolSettled',
    'due',
    'postponed',
    'onTime',
  ] as const)
    s[k] += b[k];
  for (const st of STATUSES) s.byStatus[st] += b.byStatus[st];
  for (const [post, n] of Object.entries(b.byPost)) s.byPost[post] = (s.byPost[post] ?? 0) + n;
  for (const m of Object.keys(s.modes) as Mode721[]) s.modes[m] += b.modes[m];
  for (const k of Object.keys(s.score) as Array<keyof FigureSums['score']>) s.score[k] += b.score[k];
  return s;
}

export function figuresFromSums(sums: FigureSums): StatsFigures {
  const { total, byStatus, patrolSettled } = sums;
  const modes = { ...sums.modes, service: sums.modes.service + patrolSettled };
  const modeTotal = modes.service + modes.management + modes.enforcement;
  const { due: dueN, postponed, onTime, autoVerified } = sums;
  const score = { ...sums.score };
  const ratingTotal = score.satisfied + score.basic + score.unsatisfied;
  const closed = byStatus.closed;
  return {
    total,
    byStatus: { ...byStatus },
    byPost: { ...sums.byPost },
    closed,
    autoVerified,
    verifiedByPerson: closed - autoVerified,
    closureRate: rate(closed, total - byStatus.merged),
    due: dueN,
    postponed,
    closedOnTime: onTime,
    onTimeRate: onTimeRate({ due: dueN, postponed, closedOnTime: onTime }),
    avgHandlingHours: sums.resolvedCount > 0 ? Math.round((sums.hours / sums.resolvedCount) * 10) / 10 : null,
    reworkCount: sums.rework,
    reopened: sums.reopened,
    reopenRate: rate(sums.reopened, closed),
    ratings: { ...score, total: ratingTotal },
    satisfactionRate: rate(score.satisfied + score.basic, ratingTotal),
    mode721: {
      ...modes,
      patrolSettled,
      total: modeTotal,
      shares:
        modeTotal > 0
          ? {
              service: rate(modes.service, modeTotal)!,
              management: rate(modes.management, modeTotal)!,
              enforcement: rate(modes.enforcement, modeTotal)!,
            }
          : null,
    },
  };
}

/** Folds already-filtered rows (one street, or the whole district) into the figures. */
export function computeFigures(
  groups: readonly CaseGroupRow[],
  due: readonly DueRow[],
  ratings: readonly RatingRow[],
  settled: readonly SettledFindingRow[],
): StatsFigures {
  return figuresFromSums(foldFigureSums(groups, due, ratings, settled));
}

/** Every row set split by street once (a year's rows filtered once per street would be streets × rows). */
function byStreet<T extends { streetId: number | null }>(rows: readonly T[]): Map<number | null, T[]> {
  const m = new Map<number | null, T[]>();
  for (const r of rows) {
    const xs = m.get(r.streetId);
    if (xs) xs.push(r);
    else m.set(r.streetId, [r]);
  }
  return m;
}

/** The sums of rows per street (a row with no street is kept under null). */
export function streetFigureSums(
  rows: Pick<StatsRows, 'groups' | 'due' | 'ratings' | 'settled'>,
): Map<number | null, FigureSums> {
  const sums = new Map<number | null, FigureSums>();
  const of = (id: number | null) => {
    let s = sums.get(id);
    if (!s) sums.set(id, (s = emptyFigureSums()));
    return s;
  };
  // Folded in the rows' order, kind by kind, as computeFigures folds one street's rows.
  for (const [id, xs] of byStreet(rows.groups)) foldFigureSums(xs, [], [], [], of(id));
  for (const [id, xs] of byStreet(rows.due)) foldFigureSums([], xs, [], [], of(id));
  for (const [id, xs] of byStreet(rows.ratings)) foldFigureSums([], [], xs, [], of(id));
  for (const [id, xs] of byStreet(rows.settled)) foldFigureSums([], [], [], xs, of(id));
  return sums;
}

/** The figures of each street from its sums (zeros for a street without any). */
export function streetFiguresFromSums(
  sums: ReadonlyMap<number | null, FigureSums>,
  streets: ReadonlyArray<{ id: number; name: string }>,
): StreetFigures[] {
  return streets.map((s) => ({ street: s.name, ...figuresFromSums(sums.get(s.id) ?? emptyFigureSums()) }));
}

export function computeStreetFigures(
  rows: StatsRows,
  streets: ReadonlyArray<{ id: number; name: string }>,
): StreetFigures[] {
  return streetFiguresFromSums(streetFigureSums(rows), streets);
}

/** Cases created and closed per district day, every day of the period present (zeros included). */
export function dailyTrend(rows: Pick<StatsRows, 'createdPerDay' | 'closedPerDay'>, period: Period): TrendPoint[] {
  // Summed, not keyed: a day may come in parts (rollups and the cases of its last hours).
  const sum = (xs: readonly { day: string; n: number }[]) => {
    const m = new Map<string, number>();
    for (const r of xs) m.set(r.day, (m.get(r.day) ?? 0) + r.n);
    return m;
  };
  const created = sum(rows.createdPerDay);
  const closed = sum(rows.closedPerDay);
  return periodDays(period).map((day) => ({ day, created: created.get(day) ?? 0, closed: closed.get(day) ?? 0 }));
}

/** One scorecard per department (in the given order), zeros included. */
export function computeDepartmentScorecards(
  rows: Pick<StatsRows, 'due' | 'departmentEvents'>,
  departments: ReadonlyArray<{ id: number; name: string }>,
): DepartmentScorecard[] {
  return departments.map((d) => {
    const ev = rows.departmentEvents.filter((r) => r.departmentId === d.id);
    const due = rows.due.filter((r) => r.departmentId === d.id && r.part !== 'street');
    const sum = <T>(xs: readonly T[], pick: (x: T) => number) => xs.reduce((n, x) => n + pick(x), 0);
    const counts = {
      due: sum(due, (r) => r.due),
      postponed: sum(due, (r) => r.postponed),
      closedOnTime: sum(due, (r) => r.onTime),
    };
    const referralsReceived = sum(ev, (r) => r.referred);
    const acceptedInTime = sum(ev, (r) => r.acceptedInTime);
    return {
      department: d.name,
      referralsReceived,
      acceptedInTime,
      acceptedInTimeRate: rate(acceptedInTime, referralsReceived),
      returned: sum(ev, (r) => r.returned),
      ...counts,
      onTimeRate: onTimeRate(counts),
    };
  });
}

/** Per-person figures, by street then most cases handled, names for display. */
export function computePersonFigures(
  rows: Pick<StatsRows, 'people'>,
  streets: ReadonlyArray<{ id: number; name: string }>,
): PersonFigures[] {
  const order = new Map(streets.map((s, i) => [s.id, i]));
  const name = new Map(streets.map((s) => [s.id, s.name]));
  return [...rows.people]
    .sort(
      (a, b) =>
        (order.get(a.streetId ?? -1) ?? 1e9) - (order.get(b.streetId ?? -1) ?? 1e9) ||
        b.handled - a.handled ||
        a.personId - b.personId,
    )
    .map((p) => ({
      person: p.name,
      role: p.role,
      street: p.streetId === null ? null : (name.get(p.streetId) ?? null),
      handled: p.handled,
      onTime: p.onTime,
      rework: p.rework,
    }));
}
