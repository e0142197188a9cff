import type { FastifyInstance } from 'fastify';
import { DAY_MS, dayStartMs, formatYmd, parseYmd, shanghaiDay } from '../../core/deadlines/shanghai-day-fns.ts';
import { ValidationError } from '../../core/errors.ts';
import { loadInspectorDays } from '../../db/patrol-jobs-store.ts';
import { pageContext, sendPage } from '../pages/page-context.ts';
import { installPageErrors, requireStaffPage } from '../pages/page-guard.ts';
import { patrolPage } from '../pages/patrol-page.ts';
import type { ServerDeps } from '../server-deps.ts';

/** Street staff see their own street's patrols; the bureau sees every street (or one, ?street=). */
export const PATROL_PAGE_ROLES = ['inspector', 'enforcer', 'team_lead', 'district_admin'] as const;

/** The dashboard's patrol page: inspectors' findings of a day, settled on the spot or not. */
export async function patrolPageRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { db, domain, config } = deps;
  const secure = config.PUBLIC_URL.startsWith('https://');
  installPageErrors(app, secure);
  app.get<{ Querystring: { date?: string; street?: string } }>(
    '/patrols',
    { schema: { hide: true } },
    async (req, reply) => {
      const actor = requireStaffPage(req, PATROL_PAGE_ROLES);
      const now = domain.clock();
      const raw = typeof req.query.date === 'string' && req.query.date !== '' ? req.query.date : null;
      const day = raw === null ? shanghaiDay(now) : parseYmd(raw);
      if (day === null) throw new ValidationError('日期格式应为 YYYY-MM-DD');
      let streetId: number | null = actor.streetId;
      let scope: string;
      if (actor.role === 'district_admin') {
        const name = typeof req.query.street === 'string' ? req.query.street.trim() : '';
        const street = name ? await db.street.findUnique({ where: { name }, select: { id: true } }) : null;
        if (name && !street) throw new ValidationError(`没有“${name}”这个街道`);
        streetId = street?.id ?? null;
        scope = name || '全区';
      } else {
        // Street staff without a street see nothing rather than everything.
        if (streetId === null) throw new ValidationError('您的账号未分配街道');
        scope = (await db.street.findUnique({ where: { id: streetId }, select: { name: true } }))?.name ?? '';
      }
      const from = new Date(dayStartMs(day));
      const days = await loadInspectorDays(db, from, new Date(from.getTime() + DAY_MS), streetId);
      return sendPage(
        reply,
        200,
        patrolPage(pageContext(req, reply, secure), { date: formatYmd(day), scope, days, now }),
      );
    },
  );
}
