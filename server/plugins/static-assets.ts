import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

export const ASSETS_PREFIX = '/assets/';
export const PUBLIC_DIR = path.resolve(import.meta.dirname, '../public');

const done = new WeakSet<FastifyInstance>();

/**
 * Serves server/public/ at /assets/ (dashboard CSS, the web chat's scripts). Shared by the
 * dashboard and the web chat: registered once in server/app.ts, and harmless if called twice.
 */
export async function registerStaticAssets(app: FastifyInstance): Promise<void> {
  // Another plugin (the web chat) may have served /assets/ already: one registration only.
  if (done.has(app) || app.hasRoute({ method: 'GET', url: `${ASSETS_PREFIX}*` })) return;
  done.add(app);
  await app.register(fastifyStatic, {
    root: PUBLIC_DIR,
    prefix: ASSETS_PREFIX,
    decorateReply: false,
    index: false,
    cacheControl: true,
    maxAge: '1h',
  });
}
