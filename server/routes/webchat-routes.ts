import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { prepareDemoIdentities } from '../../db/demo-identities.ts';
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
  await app.register(async (scope) => webchatMessageRoutes(scope, deps));
  await app.register(async (scope) => webchatEventRoutes(scope, deps));
  await app.register(async (scope) => webchatPhotoRoutes(scope, deps));
}
