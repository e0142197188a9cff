import type { FastifyInstance } from 'fastify';
import { ForbiddenError, NotFoundError } from '../../core/errors.ts';
import { ensureDemoStaff, isDemoStaff, listDemoStaff } from '../../db/demo-staff.ts';
import { acceptFormPosts, field } from '../pages/form-body.ts';
import { loginConfirmPage, loginPage } from '../pages/login-page.ts';
import { pageContext, sendPage, setFlash } from '../pages/page-context.ts';
import { installPageErrors, safeNext } from '../pages/page-guard.ts';
import { checkCsrf } from '../plugins/csrf.ts';
import { SESSION_COOKIE } from '../plugins/session.ts';
import type { ServerDeps } from '../server-deps.ts';

const LINK_REFUSED = '登录链接无效、已过期或已被使用。请在聊天中重新发送 /login 获取新的链接。';

/** Sign-in for the dashboard: the bot's one-time links, demo identities (demo mode only), sign-out. */
export async function loginRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { db, config } = deps;
  const secure = config.PUBLIC_URL.startsWith('https://');
  installPageErrors(app, secure);
  await acceptFormPosts(app);

  const render = async (
    req: Parameters<typeof pageContext>[0],
    reply: Parameters<typeof pageContext>[1],
    status: number,
    next: string,
    error?: string,
  ) => {
    if (config.DEMO_MODE) await ensureDemoStaff(db);
    const demo = config.DEMO_MODE ? await listDemoStaff(db) : null;
    return sendPage(
      reply,
      status,
      loginPage(pageContext(req, reply, secure, true), { demo, next, ...(error ? { error } : {}) }),
    );
  };

  /** A new sign-in replaces whatever session this browser had (no session fixation). */
  const signInFresh = async (
    req: { cookies: Record<string, string | undefined> },
    reply: Parameters<typeof app.signIn>[0],
    personId: number,
  ) => {
    const old = req.cookies[SESSION_COOKIE];
    if (old) await app.sessions.close(old);
    await app.signIn(reply, personId);
  };

  app.get<{ Querystring: { next?: string } }>('/login', { schema: { hide: true } }, async (req, reply) => {
    const next = safeNext(req.query.next);
    if (req.actor && req.actor.role !== 'resident') return reply.redirect(next);
    return render(req, reply, 200, next);
  });

  const tokenShape = /^[A-Za-z0-9_-]{16,128}$/;
  app.get<{ Params: { token: string } }>('/login/:token', { schema: { hide: true } }, async (req, reply) => {
    reply.header('referrer-policy', 'no-referrer'); // the token must not leak to the next page's requests
    if (!tokenShape.test(req.params.token)) return render(req, reply, 400, '/', LINK_REFUSED);
    return sendPage(reply, 200, loginConfirmPage(pageContext(req, reply, secure, true), req.params.token));
  });

  // A forged POST from another site would sign the victim in to the forger's account (login CSRF):
  // the form carries the token of the pre-session cookie the confirm page opened (SameSite=Strict).
  app.post<{ Params: { token: string } }>('/login/:token', { schema: { hide: true } }, async (req, reply) => {
    reply.header('referrer-policy', 'no-referrer');
    checkCsrf(req, field(req.body, '_csrf'));
    const token = req.params.token;
    const personId = tokenShape.test(token) ? await app.sessions.redeemLoginLink(token) : null;
    if (personId === null) return render(req, reply, 400, '/', LINK_REFUSED);
    await signInFresh(req, reply, personId);
    req.log.info({ personId }, 'signed in with a login link');
    return reply.redirect('/', 303);
  });

  app.post('/login/demo', { schema: { hide: true } }, async (req, reply) => {
    if (!config.DEMO_MODE) throw new NotFoundError('演示登录仅在演示模式下可用');
    checkCsrf(req, field(req.body, '_csrf'));
    const personId = Number(field(req.body, 'personId'));
    if (!Number.isInteger(personId) || personId < 1 || !(await isDemoStaff(db, personId)))
      throw new ForbiddenError('只能以演示身份登录');
    await signInFresh(req, reply, personId);
    req.log.info({ personId }, 'signed in as a demo identity');
    return reply.redirect(safeNext(field(req.body, 'next')), 303);
  });

  app.post('/logout', { schema: { hide: true } }, async (req, reply) => {
    checkCsrf(req, field(req.body, '_csrf'));
    await app.signOut(reply, req.cookies[SESSION_COOKIE]);
    setFlash(reply, { kind: 'ok', text: '已退出登录' });
    return reply.redirect('/login', 303);
  });
}
