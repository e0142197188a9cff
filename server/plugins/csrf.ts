import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ForbiddenError } from '../../core/errors.ts';
import { SESSION_COOKIE } from './session.ts';

/**
 * CSRF protection for the server-rendered forms, on top of the SameSite=Lax session cookie:
 * every form carries a hidden `_csrf` field that must match the token of the browser's
 * session. The token is derived from the session cookie (a hash of a 32-byte secret only the
 * browser holds), so it needs no storage and survives restarts; before sign-in a random
 * pre-session cookie plays the same part (double submit) for the login forms.
 */
export const CSRF_FIELD = '_csrf';
/** Scripts (the web chat, API callers with a browser session) send the token in this header. */
export const CSRF_HEADER = 'x-csrf-token';
const PRE_SESSION_COOKIE = 'gl_csrf';

const derive = (secret: string) => createHash('sha256').update(`gridline-csrf:${secret}`).digest('base64url');

function expectedToken(req: FastifyRequest): string | null {
  const session = req.cookies[SESSION_COOKIE];
  if (session) return derive(session);
  const pre = req.cookies[PRE_SESSION_COOKIE];
  return pre ? derive(pre) : null;
}

/**
 * The token to put in this page's forms. Without a session, only pages with a sign-in form
 * ask for one (`preSession`): they open the pre-session cookie; other pages get ''.
 */
export function csrfToken(req: FastifyRequest, reply: FastifyReply, secure: boolean, preSession = false): string {
  const existing = expectedToken(req);
  if (existing) return existing;
  if (!preSession) return '';
  const pre = randomBytes(24).toString('base64url');
  reply.setCookie(PRE_SESSION_COOKIE, pre, { path: '/', httpOnly: true, sameSite: 'strict', secure });
  req.cookies[PRE_SESSION_COOKIE] = pre; // later calls in this request see the same token
  return derive(pre);
}

declare module 'fastify' {
  interface FastifyRequest {
    /** PUBLIC_URL's origin: a page served through a proxy that rewrites Host still counts as ours. */
    publicOrigin: string;
  }
}

/** 'same' when the Origin header names this host (or PUBLIC_URL), 'absent' without one, 'cross' otherwise. */
export function originOf(req: FastifyRequest): 'same' | 'absent' | 'cross' {
  const origin = req.headers.origin;
  if (!origin) return 'absent'; // older browsers and same-origin GET-born forms may omit it
  if (origin === 'null') return 'cross'; // sandboxed or privacy-redirected: not provably ours
  if (req.publicOrigin && origin === req.publicOrigin) return 'same';
  try {
    return new URL(origin).host === req.host ? 'same' : 'cross';
  } catch {
    return 'cross';
  }
}

/** Whether `submitted` is this browser's token. Compared as bytes: a multibyte string of the right length is just wrong. */
export function csrfTokenMatches(req: FastifyRequest, submitted: unknown): boolean {
  const expected = expectedToken(req);
  if (expected === null || typeof submitted !== 'string') return false;
  const a = Buffer.from(submitted, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A cross-site Origin is refused outright; same-origin or absent Origin goes on to the token check. */
export function checkCsrf(req: FastifyRequest, submitted: unknown): void {
  if (originOf(req) === 'cross' || !csrfTokenMatches(req, submitted))
    throw new ForbiddenError('页面已过期或来源不明，请刷新页面后重试');
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The JSON API (/api/…) accepts the browser's session cookie as well as bearer tokens. A
 * state-changing request on the cookie alone could be forged by another site, so it needs the
 * page's token in the X-CSRF-Token header or an Origin header naming this host (another site's
 * Origin is refused whatever it sends). Bearer callers
 * carry no ambient credential and are not affected. Registered on the root after the auth hook.
 */
export function registerApiCsrf(app: FastifyInstance, publicUrl: string): void {
  app.decorateRequest('publicOrigin', new URL(publicUrl).origin);
  app.addHook('onRequest', async (req) => {
    if (req.authVia !== 'ambient' || SAFE_METHODS.has(req.method) || !req.url.startsWith('/api/')) return;
    const origin = originOf(req);
    if (origin === 'same' || (origin === 'absent' && csrfTokenMatches(req, req.headers[CSRF_HEADER]))) return;
    throw new ForbiddenError('请求来源无法确认：请从网格通页面操作，或使用 Authorization: Bearer 令牌调用接口');
  });
}
