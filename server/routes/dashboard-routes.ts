import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { NotFoundError } from '../../core/errors.ts';
import { findViewableAttachment, listCases } from '../../db/case-queries.ts';
import { activePowerList } from '../../db/power-list-store.ts';
import { boardPage } from '../pages/board-page.ts';
import { parseBoardFilters, parsePage, toListQuery, type RawQuery } from '../pages/board-query.ts';
import { actOnCase, decidePostponement } from '../pages/case-act.ts';
import { casePage } from '../pages/case-page.ts';
import { loadCasePage } from '../pages/case-page-data.ts';
import { acceptFormPosts } from '../pages/form-body.ts';
import { html } from '../pages/html.ts';
import { mapTiles, tileImgSource } from '../pages/map-config.ts';
import { pageContext, sendPage, setFlash } from '../pages/page-context.ts';
import { installPageErrors, requireStaffPage } from '../pages/page-guard.ts';
import { powerListPage } from '../pages/power-list-page.ts';
import { seesPersonFigures } from '../../core/stats/assessment-rules.ts';
import { districtPage, streetPage } from '../pages/stats-page.ts';
import { loadStatsView, statsStreetScope } from '../pages/stats-view.ts';
import type { ServerDeps } from '../server-deps.ts';
import { streamOf } from './stored-file-stream.ts';

const OPEN = 'triage,dispatched,accepted,resolved';
const STATS_ROLES = ['inspector', 'enforcer', 'team_lead', 'district_admin'] as const;

/** The staff dashboard: case board, overdue list, case pages with their actions, statistics. */
export async function dashboardRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { db, domain, config } = deps;
  const secure = config.PUBLIC_URL.startsWith('https://');
  installPageErrors(app, secure);
  await acceptFormPosts(app);
  if (!app.hasRequestDecorator('isMultipart')) {
    await app.register(multipart, {
      limits: { fileSize: config.PHOTO_MAX_BYTES, files: 9, fields: 30, fieldSize: 64 * 1024 },
    });
  }
  const ctx = (req: Parameters<typeof pageContext>[0], reply: Parameters<typeof pageContext>[1]) =>
    pageContext(req, reply, secure);
  const streetNames = async () =>
    (await db.street.findMany({ orderBy: { code: 'asc' }, select: { name: true } })).map((s) => s.name);
  const hidden = { schema: { hide: true } };

  function board(req: { query: unknown }, overdueOnly: boolean) {
    const raw = req.query as RawQuery;
    const filters = parseBoardFilters(raw);
    if (overdueOnly) filters.overdue = 'true';
    const page = parsePage(raw);
    return { filters, page };
  }

  app.get('/', hidden, async (req, reply) => {
    const actor = requireStaffPage(req);
    const { filters, page } = board(req, false);
    const list = await listCases(db, actor, toListQuery(filters, page), domain.clock());
    return sendPage(
      reply,
      200,
      boardPage(ctx(req, reply), {
        title: '案件',
        action: '/',
        filters,
        streets: await streetNames(),
        items: list.items,
        total: list.total,
        totalIsLowerBound: list.totalIsLowerBound,
        page,
      }),
    );
  });

  app.get('/overdue', hidden, async (req, reply) => {
    const actor = requireStaffPage(req);
    const { filters, page } = board(req, true);
    const list = await listCases(db, actor, toListQuery(filters, page), domain.clock());
    const intro = html`<p>超过处置期限仍未办结的案件（督办）。系统在到期前提醒、超期后督办，并按规定上报区局。</p>`;
    return sendPage(
      reply,
      200,
      boardPage(ctx(req, reply), {
        title: '逾期案件',
        action: '/overdue',
        filters,
        streets: await streetNames(),
        items: list.items,
        total: list.total,
        totalIsLowerBound: list.totalIsLowerBound,
        page,
        intro,
      }),
    );
  });

  app.get<{ Params: { number: string } }>('/cases/:number', hidden, async (req, reply) => {
    const actor = requireStaffPage(req);
    const c = ctx(req, reply);
    const { detail, choices } = await loadCasePage(deps, actor, req.params.number.slice(0, 40), c.csrf);
    const tiles = mapTiles(config);
    return sendPage(reply, 200, casePage(c, detail, choices, tiles), tileImgSource(tiles));
  });

  app.post<{ Params: { number: string } }>('/cases/:number/act', hidden, async (req, reply) => {
    const actor = requireStaffPage(req);
    const { flash, next } = await actOnCase(deps, req, actor, req.params.number.slice(0, 40));
    setFlash(reply, flash);
    return reply.redirect(next, 303);
  });

  app.post<{ Params: { number: string } }>('/cases/:number/postponement', hidden, async (req, reply) => {
    const actor = requireStaffPage(req, ['district_admin']);
    const { flash, next } = await decidePostponement(deps, req, actor, req.params.number.slice(0, 40));
    setFlash(reply, flash);
    return reply.redirect(next, 303);
  });

  // Thumbnails for the case page: the same visibility as the original (GET /api/attachments/:key).
  app.get<{ Params: { key: string } }>('/attachments/:key/thumb', hidden, async (req, reply) => {
    const actor = requireStaffPage(req);
    const att = await findViewableAttachment(db, actor, { publicKey: req.params.key.slice(0, 64) });
    const file = att ? await domain.evidence.openThumbnail(att.id) : null;
    if (!file) throw new NotFoundError('未找到该照片');
    return reply
      .header('content-type', file.mime)
      .header('cache-control', 'private, max-age=3600')
      .header('x-content-type-options', 'nosniff')
      .send(streamOf(file.body));
  });

  app.get<{ Querystring: Record<string, string | undefined> }>('/street', hidden, async (req, reply) => {
    const actor = requireStaffPage(req, STATS_ROLES);
    const streets = await streetNames();
    const wanted = req.query.street?.trim() || (actor.role === 'district_admin' ? streets[0] : undefined);
    const streetId = (await statsStreetScope(db, actor, wanted))!;
    const street = (await db.street.findUniqueOrThrow({ where: { id: streetId }, select: { name: true } })).name;
    const now = domain.clock();
    const [view, open] = await Promise.all([
      loadStatsView(db, req.query, streetId, now, actor.role, deps.statsCaches),
      listCases(db, actor, { street, status: OPEN, page: 1, pageSize: 30 }, now),
    ]);
    const extra = {
      street,
      open: open.items,
      openTotal: open.total,
      showPeople: seesPersonFigures(actor.role),
      ...(actor.role === 'district_admin' ? { streets } : {}),
    };
    return sendPage(reply, 200, streetPage(ctx(req, reply), view, extra));
  });

  app.get<{ Querystring: Record<string, string | undefined> }>('/district', hidden, async (req, reply) => {
    const actor = requireStaffPage(req, ['district_admin']);
    const view = await loadStatsView(db, req.query, null, domain.clock(), actor.role, deps.statsCaches);
    return sendPage(reply, 200, districtPage(ctx(req, reply), view));
  });

  // The power list is published: anyone may read it, signed in or not.
  app.get('/power-list', hidden, async (req, reply) =>
    sendPage(reply, 200, powerListPage(ctx(req, reply), await activePowerList(db))),
  );
}
