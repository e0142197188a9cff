import type { FastifyInstance } from 'fastify';
import { activePowerList } from '../../db/power-list-store.ts';
import { caseChangeCount } from '../../db/case-changes.ts';
import { pageContext, sendPage, setFlash } from '../pages/page-context.ts';
import { acceptFormPosts, field } from '../pages/form-body.ts';
import { checkCsrf, CSRF_FIELD } from '../plugins/csrf.ts';
import { installPageErrors } from '../pages/page-guard.ts';
import { publicCases, publicOpenCases } from '../../db/public-case-queries.ts';
import { mapTiles, tileImgSource } from '../pages/map-config.ts';
import { publicPage } from '../pages/public-page.ts';
import { loadStatsView } from '../pages/stats-view.ts';
import type { ServerDeps } from '../server-deps.ts';
import { districtDay } from '../../core/stats/period-fns.ts';
import { createTtlCache } from '../../core/stats/ttl-cache.ts';
import { STATS_CACHE_MS } from './stats-routes.ts';

const PAGE_SIZE = 10;
/** Open cases listed and mapped on /public (the newest first). */
const OPEN_LIMIT = 200;
/** How long another process's change may take to show on /public (this process's show at once). */
export const PUBLIC_PAGE_CACHE_MS = 5_000;

interface PublicLists {
  cases: Awaited<ReturnType<typeof publicCases>>;
  open: Awaited<ReturnType<typeof publicOpenCases>>;
  powerList: Awaited<ReturnType<typeof activePowerList>>;
}

/** 执法信息网上公示: the public page, for anyone, signed in or not. */
export async function publicPageRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { db, domain, config } = deps;
  const secure = config.PUBLIC_URL.startsWith('https://');
  installPageErrors(app, secure);
  await acceptFormPosts(app);
  const tiles = mapTiles(config);
  // Anyone may load this page: its statistics (always the default period) come from a cache.
  const statsCache = createTtlCache<Awaited<ReturnType<typeof loadStatsView>>>({ ttlMs: STATS_CACHE_MS, max: 4 });
  // Its lists and the power list too: keyed by the case store's commits in this process (a case
  // closed, opened or rated here shows at once) and kept PUBLIC_PAGE_CACHE_MS at most (changes
  // made by other processes). 16 visitors at once share one read instead of each reading alone.
  const listsCache = createTtlCache<PublicLists>({
    ttlMs: PUBLIC_PAGE_CACHE_MS,
    max: 32,
    clock: () => domain.clock().getTime(),
  });

  // The whole page as an anonymous visitor sees it (no form token, no flash message: the same
  // bytes for everyone), built once per cached lists and statistics: each visit built and
  // encoded ~185 KB of markup on the event loop, and /healthz waited behind 16 of them. A new
  // lists or statistics object (a change, or the caches' TTL) builds it again.
  // Kept as its UTF-8 bytes: sent as a string, each visit encoded the 185 KB again.
  const anonymousPages = new WeakMap<PublicLists, WeakMap<object, { value: Buffer }>>();

  app.get<{ Querystring: { page?: string } }>('/public', { schema: { hide: true } }, async (req, reply) => {
    const n = Number(req.query.page ?? '1');
    const page = Number.isInteger(n) && n >= 1 && n <= 10_000 ? n : 1;
    const [lists, stats] = await Promise.all([
      listsCache.get(`${caseChangeCount(db)}:${page}`, async () => {
        const [cases, open, powerList] = await Promise.all([
          publicCases(db, { streetId: null, page, pageSize: PAGE_SIZE }),
          publicOpenCases(db, OPEN_LIMIT),
          activePowerList(db),
        ]);
        return { cases, open, powerList };
      }),
      statsCache.get(districtDay(domain.clock()), () =>
        loadStatsView(db, {}, null, domain.clock(), undefined, deps.statsCaches),
      ),
    ]);
    const ctx = pageContext(req, reply, secure);
    const anonymous = ctx.actor === null && ctx.flash === null;
    let body: { value: string | Buffer } | undefined = anonymous ? anonymousPages.get(lists)?.get(stats) : undefined;
    if (!body) {
      const { cases, open, powerList } = lists;
      const built = publicPage(ctx, {
        cases: cases.items,
        total: cases.total,
        page,
        pageSize: PAGE_SIZE,
        stats,
        powerList,
        open,
        tiles,
      });
      body = built;
      if (anonymous) {
        const bytes = { value: Buffer.from(built.value, 'utf8') };
        const byStats = anonymousPages.get(lists) ?? new WeakMap<object, { value: Buffer }>();
        anonymousPages.set(lists, byStats.set(stats, bytes));
        req.log.debug({ page, bytes: bytes.value.length }, 'public page built for anonymous visitors');
        body = bytes;
      }
    }
    return sendPage(reply, 200, body, tileImgSource(tiles));
  });

  // 关注: anyone with a chat identity follows a public case; its pushes reach their chats.
  app.post<{ Params: { number: string } }>(
    '/public/cases/:number/follow',
    { schema: { hide: true } },
    async (req, reply) => {
      checkCsrf(req, field(req.body, CSRF_FIELD));
      const actor = req.actor;
      if (!actor) {
        setFlash(reply, { kind: 'error', text: '关注案件需先进入网页聊天（选择身份或登录），再回到本页点击“关注”。' });
        return reply.redirect('/public#open-h', 303);
      }
      const c = await domain.cases.follows.follow(req.params.number.slice(0, 40), actor.personId);
      setFlash(reply, { kind: 'ok', text: `已关注案件 ${c.number}，处理进展会推送到您的聊天。` });
      return reply.redirect('/public', 303);
    },
  );
}
