import type { FastifyRequest } from 'fastify';
import type { WebChatAddress } from '../../bot/webchat/inbound-fns.ts';
import type { Actor } from '../../core/case/case-types.ts';
import { UnauthorizedError } from '../../core/errors.ts';
import type { WebChatStore } from '../../db/web-chat-store.ts';
import { checkCsrf, CSRF_HEADER } from '../plugins/csrf.ts';

export { CSRF_HEADER };

/** The signed-in person and their web chat; 401 for a browser without a session. */
export async function chatter(
  req: FastifyRequest,
  store: WebChatStore,
): Promise<{ actor: Actor; address: WebChatAddress }> {
  const actor = req.actor;
  if (!actor) throw new UnauthorizedError('请先打开 /chat 选择身份或登录');
  return { actor, address: await store.addressFor(actor.personId) };
}

/**
 * Writes from the page carry the page's CSRF token in a header (a cross-site form cannot set
 * one). A bearer-token caller carries no ambient credential, so it needs none.
 */
export function checkChatWrite(req: FastifyRequest): void {
  if (req.authVia === 'bearer') return;
  checkCsrf(req, req.headers[CSRF_HEADER]);
}
