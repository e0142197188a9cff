import { foldFigureSums, streetFigureSums, type FigureSums } from '../core/stats/stats-fns.ts';
import type { CaseGroupRow, DueRow, RatingRow, SettledFindingRow, TrendRow } from '../core/stats/stats-types.ts';
import type { EventSum } from './stats-event-queries.ts';
import type { WholeDayRows } from './stats-queries.ts';

/**
 * The shared parts of a period (its whole days, today, the whole hours of a bound inside a past
 * day: each cached on its own, db/stats-queries.ts loadStatsRows) summed into one, once. Every
 * cold request of a "last 30 days" asks for the same parts; concatenating and folding their
 * rows again for each was most of its event-loop time. The sum keeps each key's first place in
 * the parts' order, so the figures (and the order of their keys) are those of the parts
 * concatenated: each row kind is summed over exactly the keys its figures group by.
 */

function sumBy<T>(rows: Iterable<T>, key: (r: T) => string, add: (acc: T, r: T) => void): T[] {
  const byKey = new Map<string, T>();
  for (const r of rows) {
    const k = key(r);
    const acc = byKey.get(k);
    if (acc) add(acc, r);
    else byKey.set(k, { ...r });
  }
  return [...byKey.values()];
}

const each = <T>(parts: readonly WholeDayRows[], pick: (p: WholeDayRows) => readonly T[]): T[] => parts.flatMap(pick);

export function mergeParts(parts: readonly WholeDayRows[]): WholeDayRows {
  const groups = sumBy<CaseGroupRow>(
    each(parts, (p) => p.cases.groups),
    (r) => `${r.part ?? ''}\u0001${r.streetId}\u0001${r.status}\u0001${r.post}\u0001${r.mode721}`,
    (a, r) => {
      a.cases += r.cases;
      a.reworkSum += r.reworkSum;
      a.reopened += r.reopened;
      a.resolvedCount += r.resolvedCount;
      a.autoVerified = (a.autoVerified ?? 0) + (r.autoVerified ?? 0);
      a.handlingHoursSum += r.handlingHoursSum;
    },
  );
  const due = sumBy<DueRow>(
    each(parts, (p) => p.cases.due),
    (r) => `${r.part ?? ''}\u0001${r.streetId}\u0001${r.departmentId}`,
    (a, r) => {
      a.due += r.due;
      a.postponed += r.postponed;
      a.onTime += r.onTime;
    },
  );
  const ratings = sumBy<RatingRow>(
    each(parts, (p) => p.cases.ratings),
    (r) => `${r.streetId}\u0001${r.score}`,
    (a, r) => {
      a.n += r.n;
    },
  );
  const perDay = (pick: (p: WholeDayRows) => readonly TrendRow[]) =>
    sumBy<TrendRow>(
      each(parts, pick),
      (r) => r.day,
      (a, r) => {
        a.n += r.n;
      },
    );
  const events = sumBy<EventSum>(
    each(parts, (p) => p.events),
    (r) => `${r.kind}\u0001${r.ownerId}`,
    (a, r) => {
      a.n += r.n;
      a.onTime += r.onTime;
      a.rework += r.rework;
      a.acceptedInTime += r.acceptedInTime;
    },
  );
  const settled = sumBy<SettledFindingRow>(
    each(parts, (p) => p.settled),
    (r) => String(r.streetId),
    (a, r) => {
      a.n += r.n;
    },
  );
  return {
    cases: {
      groups,
      due,
      ratings,
      createdPerDay: perDay((p) => p.cases.createdPerDay),
      closedPerDay: perDay((p) => p.cases.closedPerDay),
    },
    events,
    settled,
  };
}

// The sums of parts already merged, by the parts themselves: a sum lives as long as its first
// part (a cached part expires and is collected, and its sums with it), and is used only for the
// very same part objects, so it is never staler than the parts' cache.
const merged = new WeakMap<WholeDayRows, Array<{ rest: readonly WholeDayRows[]; sum: WholeDayRows }>>();
const KEPT_PER_PART = 8;

/** mergeParts(parts), computed once for the same part objects. */
export function mergedOnce(parts: readonly WholeDayRows[]): WholeDayRows {
  if (parts.length === 1) return parts[0]!;
  const [first, ...rest] = parts as [WholeDayRows, ...WholeDayRows[]];
  const known = merged.get(first) ?? [];
  const hit = known.find((k) => k.rest.length === rest.length && k.rest.every((p, i) => p === rest[i]));
  if (hit) return hit.sum;
  const sum = mergeParts(parts);
  merged.set(first, [{ rest, sum }, ...known].slice(0, KEPT_PER_PART));
  return sum;
}

/** A shared part's figure sums: the district's and each street's. */
export interface PartSums {
  totals: FigureSums;
  streets: Map<number | null, FigureSums>;
}

const partSums = new WeakMap<WholeDayRows, PartSums>();

/** The figure sums of a shared part, folded once per part object (it is the same for every request sharing it). */
export function partFigureSums(part: WholeDayRows): PartSums {
  let sums = partSums.get(part);
  if (!sums) {
    const rows = { ...part.cases, settled: part.settled };
    sums = {
      totals: foldFigureSums(rows.groups, rows.due, rows.ratings, rows.settled),
      streets: streetFigureSums(rows),
    };
    partSums.set(part, sums);
  }
  return sums;
}
