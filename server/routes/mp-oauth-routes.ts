// 网页授权 (snsapi_base) for the H5 web chat opened from the 公众号 menu: /mp/oauth/start sends the
// browser to WeChat's authorize page, which comes back to /mp/oauth/callback with a code; the code
// gives the follower's openid, and the browser is signed in as the SAME person as that openid's
// 公众号 identity, so the chat in the account and the page are one conversation history.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { MpApi } from '../../bot/mp/mp-api.ts';
import type { IdentifySender } from '../../bot/inbound-types.ts';
import { ForbiddenError, ValidationError } from '../../core/errors.ts';
import type { Db } from '../../db/prisma-client.ts';
import { SESSION_COOKIE } from '../plugins/session.ts';

const STATE_COOKIE = 'gl_mp_oauth';
const STATE_MAX_AGE_S = 600;

export interface MpOauthDeps {
  db: Db;
  api: Pick<MpApi, 'oauthOpenid'>;
  identify: IdentifySender;
  appId: string;
  /** WECHAT_MP_OAUTH_ROOT, e.g. https://open.weixin.qq.com. */
  oauthRoot: string;
  publicUrl: string;
}

const sameText = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

export async function mpOauthRoutes(app: FastifyInstance, deps: MpOauthDeps): Promise<void> {
  const secure = deps.publicUrl.startsWith('https://');
  const redirectUri = `${deps.publicUrl.replace(/\/$/, '')}/mp/oauth/callback`;

  app.get('/mp/oauth/start', { schema: { hide: true } }, async (_req, reply) => {
    // The state ties the callback to this browser: a code someone else obtained cannot sign it in.
    const state = randomBytes(16).toString('hex');
    reply.setCookie(STATE_COOKIE, state, {
      path: '/mp/oauth',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: STATE_MAX_AGE_S,
    });
    const url =
      `${deps.oauthRoot.replace(/\/$/, '')}/connect/oauth2/authorize?appid=${encodeURIComponent(deps.appId)}` +
      `&redirect_uri=${encodeURIComponent(redirectUri)}&response_type=code&scope=snsapi_base&state=${state}#wechat_redirect`;
    return reply.header('cache-control', 'no-store').redirect(url, 302);
  });

  app.get<{ Querystring: { code?: string; state?: string } }>(
    '/mp/oauth/callback',
    {
      schema: {
        hide: true,
        querystring: {
          type: 'object',
          properties: { code: { type: 'string', maxLength: 256 }, state: { type: 'string', maxLength: 128 } },
        },
      },
    },
    async (req, reply) => {
      const { code, state } = req.query;
      const expected = req.cookies[STATE_COOKIE];
      if (!code) throw new ValidationError('未获得微信授权，请从公众号菜单重新打开');
      if (!state || !expected || !sameText(state, expected))
        throw new ValidationError('授权已过期，请从公众号菜单重新打开');
      reply.clearCookie(STATE_COOKIE, { path: '/mp/oauth' });
      let openid: string;
      try {
        openid = await deps.api.oauthOpenid(code);
      } catch (err) {
        req.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'mp oauth code exchange failed');
        throw new ValidationError('微信授权失败，请从公众号菜单重新打开');
      }
      const { personId } = await deps.identify({ channel: 'mp', chatId: openid, userId: openid });
      const person = await deps.db.person.findUniqueOrThrow({
        where: { id: personId },
        select: { role: true, active: true },
      });
      // Residents only: staff powers never come through the 公众号.
      if (person.role !== 'resident' || !person.active)
        throw new ForbiddenError('公众号网页仅供居民使用，工作人员请通过企业微信或网页工作台登录');
      const old = req.cookies[SESSION_COOKIE];
      if (old) await app.sessions.close(old);
      await app.signIn(reply, personId);
      req.log.info({ personId }, 'mp follower signed in to the web chat');
      return reply.redirect('/chat', 303);
    },
  );
}
