import type { FastifyInstance, FastifyReply } from 'fastify';
import { createWebSessionStore, SESSION_HOURS, type WebSessionStore } from '../../db/web-session-store.ts';
import type { ServerDeps } from '../server-deps.ts';

export const SESSION_COOKIE = 'gl_session';

declare module 'fastify' {
  interface FastifyInstance {
    sessions: WebSessionStore;
    /** Signs a person in: opens a session and sets the cookie. */
    signIn(reply: FastifyReply, personId: number): Promise<void>;
    signOut(reply: FastifyReply, token: string | undefined): Promise<void>;
  }
}

/**
 * Cookie sessions for browsers (dashboard, web chat). The cookie is httpOnly and SameSite=Lax,
 * and Secure whenever the public address is https (a plain-http localhost demo must still work).
 * Needs @fastify/cookie registered before the auth hook (see server/app.ts).
 */
export async function registerSessions(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const sessions = createWebSessionStore(deps.db);
  const secure = deps.config.PUBLIC_URL.startsWith('https://');
  app.decorate('sessions', sessions);
  app.decorate('signIn', async (reply: FastifyReply, personId: number) => {
    const { token } = await sessions.open(personId);
    reply.setCookie(SESSION_COOKIE, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure,
      maxAge: SESSION_HOURS * 3600,
    });
  });
  app.decorate('signOut', async (reply: FastifyReply, token: string | undefined) => {
    if (token) await sessions.close(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
  });
  app.addActorResolver(async (req) => {
    const token = req.cookies[SESSION_COOKIE];
    // An expired or unknown cookie is simply no session (the browser is sent to sign in again).
    return token ? sessions.actorFor(token) : null;
  });
}
