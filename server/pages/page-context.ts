import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../core/case/case-types.ts';
import { csrfToken } from '../plugins/csrf.ts';

/** What every page needs besides its own data: who is looking, the form token, a flash message. */
export interface PageContext {
  actor: Actor | null;
  csrf: string;
  flash: Flash | null;
  path: string;
}

export interface Flash {
  kind: 'ok' | 'error';
  text: string;
}

const FLASH_COOKIE = 'gl_flash';

/** A message for the next page this browser opens (after a POST-redirect-GET). */
export function setFlash(reply: FastifyReply, flash: Flash): void {
  reply.setCookie(FLASH_COOKIE, JSON.stringify(flash).slice(0, 1500), {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    maxAge: 60,
  });
}

function takeFlash(req: FastifyRequest, reply: FastifyReply): Flash | null {
  const raw = req.cookies[FLASH_COOKIE];
  if (!raw) return null;
  reply.clearCookie(FLASH_COOKIE, { path: '/' });
  try {
    const v = JSON.parse(raw) as Partial<Flash>;
    return (v.kind === 'ok' || v.kind === 'error') && typeof v.text === 'string'
      ? { kind: v.kind, text: v.text }
      : null;
  } catch {
    return null;
  }
}

/** `preSession`: the page has a sign-in form and needs a token before any session exists. */
export function pageContext(
  req: FastifyRequest,
  reply: FastifyReply,
  secureCookies: boolean,
  preSession = false,
): PageContext {
  return {
    actor: req.actor,
    csrf: csrfToken(req, reply, secureCookies, preSession),
    flash: takeFlash(req, reply),
    path: req.url.split('?')[0] ?? '/',
  };
}

/** Pages are never cached: they carry personal data and a form token. */
export function sendPage(
  reply: FastifyReply,
  status: number,
  /** The markup, or (a page built once and sent often, /public) its UTF-8 bytes. */
  body: { value: string | Buffer },
  /** A map tile host (server/pages/map-config.ts tileImgSource) the page may load images from. */
  tileImgSrc = '',
): FastifyReply {
  const imgSrc = tileImgSrc ? ` ${tileImgSrc}` : '';
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('x-frame-options', 'DENY')
    .header(
      'content-security-policy',
      `default-src 'self'; img-src 'self' data:${imgSrc}; style-src 'self'; script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    )
    .send(body.value);
}
