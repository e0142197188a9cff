import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { prepareDemoIdentities } from '../../db/demo-identities.ts';
import { byAddress, byPerson } from '../plugins/flood-limits.ts';
import { webchatEventRoutes } from './webchat-event-routes.ts';
import { webchatMessageRoutes } from './webchat-message-routes.ts';
import { webchatPageRoutes } from './webchat-page-routes.ts';
import { webchatPhotoRoutes } from './webchat-photo-routes.ts';
import type { WebChatRouteDeps } from './webchat-deps.ts';

const PUBLIC_DIR = path.resolve(import.meta.dirname, '../public');

/** Everything the built-in web chat serves, as one plugin (see app/create-webchat.ts). */
export async function webchatRoutes(app: FastifyInstance, deps: WebChatRouteDeps): Promise<void> {
  // The page's script and styles live in server/public/ (/assets/). The dashboard serves the
  // same folder there too; whoever registers first does it for both.
  if (!app.hasRoute({ method: 'GET', url: '/assets/*' })) {
    await app.register(fastifyStatic, {
      root: PUBLIC_DIR,
      prefix: '/assets/',
      decorateReply: false,
      index: false,
      maxAge: '1h',
    });
  }
  if (deps.config.DEMO_MODE) await prepareDemoIdentities(deps.db);
  // Open event streams would keep fastify.close() waiting for ever.
  app.addHook('preClose', async () => deps.hub.closeAll());
  await app.register(async (scope) => webchatPageRoutes(scope, deps));
  await app.register(async (scope) => {
    // Messages and uploads share one count per person and one per address: every message runs
    // the conversation and may open a case, so a script must not post hundreds a second.
    const limits = [
      app.floodLimit({
        name: 'chat-person',
        max: deps.config.CHAT_MESSAGES_PER_MINUTE,
        windowMs: 60_000,
        key: byPerson,
        message: '发送过于频繁，请稍等一分钟再发送。',
      }),
      app.floodLimit({
        name: 'chat-address',
        max: deps.config.ADDRESS_REQUESTS_PER_MINUTE,
        windowMs: 60_000,
        key: byAddress,
        message: '来自您所在网络的消息过多，请稍后再试。',
      }),
    ];
    scope.addHook('preHandler', async (req) => {
      if (req.method !== 'POST') return;
      for (const check of limits) await check(req);
    });
    await scope.register(async (s) => webchatMessageRoutes(s, deps));
    await scope.register(async (s) => webchatPhotoRoutes(s, deps));
  });
  await app.register(async (scope) => webchatEventRoutes(scope, deps));
}
