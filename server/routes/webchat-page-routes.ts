import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { buildStreetMap, renderStreetMapSvg, type StreetMap } from '../../bot/webchat/street-map-fns.ts';
import { ROLE_NAMES } from '../../bot/flows/command-flow.ts';
import { STAFF_ROLES } from '../../core/case/case-types.ts';
import { loadBundledJurisdictionData } from '../../config/jurisdiction-data-file.ts';
import { ForbiddenError, TooManyRequestsError } from '../../core/errors.ts';
import { createWebResident, demoStaffPersonId, DEMO_CHOICES } from '../../db/demo-identities.ts';
import { chatPage, chooserPage, type ChatMe } from '../pages/chat-page.ts';
import { acceptFormPosts, field } from '../pages/form-body.ts';
import { installPageErrors } from '../pages/page-guard.ts';
import { mapTiles, tileImgSource } from '../pages/map-config.ts';
import { checkCsrf, csrfToken } from '../plugins/csrf.ts';
import { byAddress } from '../plugins/flood-limits.ts';
import { SESSION_COOKIE } from '../plugins/session.ts';
import type { WebChatRouteDeps } from './webchat-deps.ts';

let map: { svg: string; data: StreetMap } | null = null;
function districtMap() {
  if (!map) {
    const data = buildStreetMap(loadBundledJurisdictionData().streets);
    map = { data, svg: renderStreetMapSvg(data, '江汉区街道地图') };
  }
  return map;
}

const csp = (tileImgSrc: string) =>
  `default-src 'self'; img-src 'self' blob: data:${tileImgSrc ? ` ${tileImgSrc}` : ''}; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'`;

function sendHtml(reply: FastifyReply, status: number, body: { toString(): string }, tileImgSrc = '') {
  return reply
    .code(status)
    .type('text/html; charset=utf-8')
    .header('content-security-policy', csp(tileImgSrc))
    .header('cache-control', 'no-store')
    .send(body.toString());
}

/** GET /chat (the chat, or the choice of identity), POST /chat/start, POST /chat/leave. */
export async function webchatPageRoutes(app: FastifyInstance, deps: WebChatRouteDeps): Promise<void> {
  const { db, config, store } = deps;
  const secure = config.PUBLIC_URL.startsWith('https://');
  const tiles = mapTiles(config);
  installPageErrors(app, secure); // errors here are pages, not JSON
  await acceptFormPosts(app);

  // Enough that a script cannot fill the person table, never in a real visitor's way.
  const newResidentLimit = app.floodLimit({
    name: 'chat-new-resident',
    max: 20,
    windowMs: 3_600_000,
    key: byAddress,
    message: '操作过于频繁，请稍后再试。',
  });
  const chooser = (req: FastifyRequest, reply: FastifyReply, status = 200, error?: string) =>
    sendHtml(
      reply,
      status,
      chooserPage({
        csrf: csrfToken(req, reply, secure, true),
        demo: config.DEMO_MODE ? DEMO_CHOICES : null,
        ...(error ? { error } : {}),
      }),
    );

  app.get('/chat', { schema: { hide: true } }, async (req, reply) => {
    const actor = req.actor;
    if (!actor) return chooser(req, reply);
    await store.addressFor(actor.personId); // pushes reach the web chat from now on
    const person = await db.person.findUniqueOrThrow({
      where: { id: actor.personId },
      select: { street: { select: { name: true } }, department: { select: { name: true } } },
    });
    const me: ChatMe = {
      name: actor.displayName,
      role: actor.role,
      roleLabel: ROLE_NAMES[actor.role] ?? actor.role,
      unit: person.street?.name ?? person.department?.name ?? null,
      isStaff: STAFF_ROLES.includes(actor.role),
    };
    const m = districtMap();
    return sendHtml(
      reply,
      200,
      chatPage({
        me,
        csrf: csrfToken(req, reply, secure),
        mapSvg: m.svg,
        streets: m.data.streets.map((s) => s.name).sort((a, b) => a.localeCompare(b, 'zh-CN')),
        approximate: m.data.approximate,
        maxPhotoBytes: config.PHOTO_MAX_BYTES,
        tiles,
      }),
      tileImgSource(tiles),
    );
  });

  app.post('/chat/start', { schema: { hide: true } }, async (req, reply) => {
    checkCsrf(req, field(req.body, '_csrf'));
    const as = field(req.body, 'as') ?? '';
    let personId: number | null;
    if (as === 'resident') {
      try {
        await newResidentLimit(req);
      } catch (err) {
        if (err instanceof TooManyRequestsError) return chooser(req, reply, 429, err.message);
        throw err;
      }
      personId = await createWebResident(db);
    } else {
      if (!config.DEMO_MODE) throw new ForbiddenError('工作人员请通过机器人发送的登录链接登录');
      personId = await demoStaffPersonId(db, as);
    }
    if (personId === null) return chooser(req, reply, 400, '没有这个身份，请重新选择。');
    // A new identity replaces whatever session this browser had (no session fixation).
    const old = req.cookies[SESSION_COOKIE];
    if (old) await app.sessions.close(old);
    await app.signIn(reply, personId);
    req.log.info({ personId, as }, 'web chat identity chosen');
    return reply.redirect('/chat', 303);
  });

  app.post('/chat/leave', { schema: { hide: true } }, async (req, reply) => {
    checkCsrf(req, field(req.body, '_csrf'));
    await app.signOut(reply, req.cookies[SESSION_COOKIE]);
    return reply.redirect('/chat', 303);
  });
}
