import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor, Role } from '../../core/case/case-types.ts';
import { ForbiddenError, UnauthorizedError } from '../../core/errors.ts';
import { actorForToken } from '../../db/token-store.ts';
import type { ServerDeps } from '../server-deps.ts';

/**
 * Resolves who is calling from one kind of credential. Contract:
 * - returns null when the request carries no credential of this kind (the next resolver tries);
 * - returns the Actor when the credential is valid;
 * - throws UnauthorizedError when the credential is present but wrong, so a bad token is a
 *   401 and never silently an anonymous request.
 */
export type ActorResolver = (req: FastifyRequest) => Promise<Actor | null>;

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling; null when anonymous. Set by the auth plugin's onRequest hook. */
    actor: Actor | null;
    /**
     * Which kind of credential named the actor: 'bearer' (a header a page cannot be tricked
     * into sending) or 'ambient' (a cookie the browser adds by itself, so CSRF applies).
     */
    authVia: 'bearer' | 'ambient' | null;
  }
  interface FastifyInstance {
    /**
     * Adds a resolver after the bearer-token one. The dashboard's cookie sessions (WebSession)
     * plug in here: `app.addActorResolver(cookieSessionResolver(deps))` from their own plugin.
     */
    addActorResolver(resolver: ActorResolver): void;
  }
}

export function bearerTokenResolver(deps: Pick<ServerDeps, 'db'>): ActorResolver {
  return async (req) => {
    const header = req.headers.authorization;
    if (!header) return null;
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!m) {
      // Another scheme (Basic, …) is not ours to judge; a malformed Bearer header is an error.
      if (/^Bearer\b/i.test(header)) throw new UnauthorizedError('登录凭证格式不正确');
      return null;
    }
    // Expiry is a credential's wall-clock matter, like the session cookie's.
    const actor = await actorForToken(deps.db, m[1]!);
    if (!actor) throw new UnauthorizedError('登录凭证无效、已过期或已被吊销');
    return actor;
  };
}

/**
 * Registered on the root instance (not encapsulated) so every route, including those of
 * plugins registered later, sees request.actor and can add resolvers.
 */
export function registerAuth(app: FastifyInstance, deps: Pick<ServerDeps, 'db'>): void {
  const bearer = bearerTokenResolver(deps);
  const resolvers: ActorResolver[] = [bearer];
  app.decorateRequest('actor', null);
  app.decorateRequest('authVia', null);
  app.decorate('addActorResolver', (resolver: ActorResolver) => {
    resolvers.push(resolver);
  });
  app.addHook('onRequest', async (req) => {
    for (const resolve of resolvers) {
      const actor = await resolve(req);
      if (actor) {
        req.actor = actor;
        req.authVia = resolve === bearer ? 'bearer' : 'ambient';
        req.log = req.log.child({ actorId: actor.personId, role: actor.role });
        return;
      }
    }
  });
}

export function requireActor(req: FastifyRequest): Actor {
  if (!req.actor) throw new UnauthorizedError('请先登录（在请求头中提供 Authorization: Bearer <令牌>）');
  return req.actor;
}

export function requireRole(req: FastifyRequest, roles: readonly Role[]): Actor {
  const actor = requireActor(req);
  if (!roles.includes(actor.role)) throw new ForbiddenError('您的角色无权访问此功能');
  return actor;
}

/** For OpenAPI: routes that need a token say so. */
export const bearerSecurity = [{ bearer: [] as string[] }];
