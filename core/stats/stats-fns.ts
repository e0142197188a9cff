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

const COUNTED_721 = new Set(['resolved', 'closed']);

/** Folds already-filtered rows (one street, or the whole district) into the figures. */
export function computeFigures(
  groups: readonly CaseGroupRow[],
  due: readonly DueRow[],
  ratings: readonly RatingRow[],
  settled: readonly SettledFindingRow[],
): StatsFigures {
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<CaseStatus, number>;
  const byPost: Record<string, number> = {};
  const modes: Record<Mode721, number> = { service: 0, management: 0, enforcement: 0 };
  let total = 0;
  let rework = 0;
  let reopened = 0;
  let resolvedCount = 0;
  let autoVerified = 0;
  let hours = 0;
  for (const g of groups) {
    total += g.cases;
    if (g.status in byStatus) byStatus[g.status as CaseStatus] += g.cases;
    const post = g.post ?? NO_POST;
    byPost[post] = (byPost[post] ?? 0) + g.cases;
    rework += g.reworkSum;
    reopened += g.reopened;
    resolvedCount += g.resolvedCount;
    if (g.status === 'closed') autoVerified += g.autoVerified ?? 0;
    hours += g.handlingHoursSum;
    if (COUNTED_721.has(g.status) && g.mode721 && g.mode721 in modes) modes[g.mode721 as Mode721] += g.cases;
  }
  const patrolSettled = settled.reduce((n, r) => n + r.n, 0);
  modes.service += patrolSettled;
  const modeTotal = modes.service + modes.management + modes.enforcement;

  const dueN = due.reduce((n, r) => n + r.due, 0);
  const postponed = due.reduce((n, r) => n + r.postponed, 0);
  const onTime = due.reduce((n, r) => n + r.onTime, 0);

  const score = { satisfied: 0, basic: 0, unsatisfied: 0 };
  for (const r of ratings) if (r.score in score) score[r.score as keyof typeof score] += r.n;
  const ratingTotal = score.satisfied + score.basic + score.unsatisfied;

  const closed = byStatus.closed;
  return {
    total,
    byStatus,
    byPost,
    closed,
    autoVerified,
    verifiedByPerson: closed - autoVerified,
    closureRate: rate(closed, total - byStatus.merged),
    due: dueN,
    postponed,
    closedOnTime: onTime,
    onTimeRate: onTimeRate({ due: dueN, postponed, closedOnTime: onTime }),
    avgHandlingHours: resolvedCount > 0 ? Math.round((hours / resolvedCount) * 10) / 10 : null,
    reworkCount: rework,
    reopened,
    reopenRate: rate(reopened, closed),
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

export function computeStreetFigures(
  rows: StatsRows,
  streets: ReadonlyArray<{ id: number; name: string }>,
): StreetFigures[] {
  const [groups, due, ratings, settled] = [
    byStreet(rows.groups),
    byStreet(rows.due),
    byStreet(rows.ratings),
    byStreet(rows.settled),
  ];
  return streets.map((s) => ({
    street: s.name,
    ...computeFigures(groups.get(s.id) ?? [], due.get(s.id) ?? [], ratings.get(s.id) ?? [], settled.get(s.id) ?? []),
  }));
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
    const due = rows.due.filter((r) => r.departmentId === d.id);
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
