import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor, Role } from '../../core/case/case-types.ts';
import { DomainError, ForbiddenError, TooManyRequestsError, UnauthorizedError } from '../../core/errors.ts';
import { html } from './html.ts';
import { layout } from './layout.ts';
import { pageContext, sendPage } from './page-context.ts';

const STATUS: Record<string, number> = {
  not_found: 404,
  forbidden: 403,
  invalid_transition: 409,
  conflict: 409,
  validation_error: 400,
  rate_limited: 429,
};
const TITLES: Record<number, string> = {
  400: '请求有误',
  403: '无权访问',
  404: '未找到',
  409: '无法操作',
  429: '操作过于频繁',
  500: '出错了',
};

export const RESIDENT_REFUSAL = '居民请在聊天中查看自己的报告';

/** Staff only: anonymous visitors go to sign in, residents are told where their reports are. */
export function requireStaffPage(req: FastifyRequest, roles?: readonly Role[]): Actor {
  const actor = req.actor;
  if (!actor) throw new UnauthorizedError('请先登录');
  if (actor.role === 'resident') throw new ForbiddenError(RESIDENT_REFUSAL);
  if (roles && !roles.includes(actor.role)) throw new ForbiddenError('您的角色无权查看此页面');
  return actor;
}

/** Only same-site paths: `next` must never send a signed-in browser elsewhere. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : '/';
}

/**
 * Errors on pages are pages, not JSON: installed on the page plugins' own scope (fastify
 * encapsulation), so the API keeps its {error: {code, message}} envelope.
 */
export function installPageErrors(scope: FastifyInstance, secureCookies: boolean): void {
  scope.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof UnauthorizedError) return reply.redirect(`/login?next=${encodeURIComponent(safeNext(req.url))}`);
    let status = 500;
    let message = '服务器内部错误，请稍后再试';
    if (err instanceof DomainError) {
      status = STATUS[err.code] ?? 400;
      message = err.message;
      if (err instanceof TooManyRequestsError) reply.header('retry-after', String(err.retryAfterSeconds));
    } else if (err.validation) {
      status = 400;
      message = `请求参数不正确：${err.message}`;
    } else if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      status = err.statusCode;
      message = err.message;
    } else {
      req.log.error({ err }, 'page failed');
    }
    const ctx = pageContext(req, reply, secureCookies);
    const title = TITLES[status] ?? '出错了';
    const body = html`<section class="panel error-page"><h1>${title}</h1><p>${message}</p>
      <p>${ctx.actor?.role === 'resident' ? html`<a href="/chat">打开网页聊天</a>` : html`<a href="/">返回案件列表</a>`} · <a href="/public">公开页</a></p></section>`;
    return sendPage(reply, status, layout(ctx, title, body));
  });
}
