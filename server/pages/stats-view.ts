import type { Actor } from '../../core/case/case-types.ts';
import { ForbiddenError } from '../../core/errors.ts';
import { seesPersonFigures } from '../../core/stats/assessment-rules.ts';
import { districtDay, resolvePeriod } from '../../core/stats/period-fns.ts';
import { streetIdByName } from '../../db/case-queries.ts';
import type { Db } from '../../db/prisma-client.ts';
import { statsFor, type StatsCaches } from '../routes/stats-routes.ts';
import type { StatsView } from './stats-page.ts';

const one = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, 40) : undefined);

/**
 * The statistics of a period (default: the last 30 days) for the district (null) or one street.
 * Per-person figures only for `viewerRole`s that may see them (none when not given: public).
 * `caches`: the server's shared parts, which may lag by STATS_CACHE_MS as the API's figures do.
 */
export async function loadStatsView(
  db: Db,
  query: Record<string, unknown>,
  streetId: number | null,
  now: Date,
  viewerRole?: string,
  caches?: StatsCaches,
): Promise<StatsView> {
  const period = resolvePeriod({ from: one(query.from), to: one(query.to) }, now);
  const s = await statsFor(db, period, streetId, now, caches);
  return {
    from: districtDay(period.from),
    to: districtDay(new Date(period.to.getTime() - 1)),
    scope: s.scope,
    totals: s.totals,
    streets: s.streets,
    departments: s.departments,
    people: viewerRole !== undefined && seesPersonFigures(viewerRole) ? s.people : [],
    trend: s.trend,
  };
}

/**
 * Which statistics a person may see, as GET /api/stats decides: the bureau the district or
 * any street; street roles their own street; others none.
 */
export async function statsStreetScope(db: Db, actor: Actor, street: string | undefined): Promise<number | null> {
  if (actor.role === 'district_admin') return street ? streetIdByName(db, street) : null;
  if (!['inspector', 'enforcer', 'team_lead'].includes(actor.role) || actor.streetId === null)
    throw new ForbiddenError('您的账号未关联街道，无法查看统计');
  if (street && (await streetIdByName(db, street)) !== actor.streetId) throw new ForbiddenError('只能查看本街道的统计');
  return actor.streetId;
}
