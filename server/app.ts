import cookie from '@fastify/cookie';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { registerAuth } from './plugins/auth.ts';
import { registerErrorHandler } from './plugins/error-handler.ts';
import { registerSessions } from './plugins/session.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { registerStaticAssets } from './plugins/static-assets.ts';
import { caseReadRoutes } from './routes/case-read-routes.ts';
import { caseWriteRoutes } from './routes/case-write-routes.ts';
import { dashboardRoutes } from './routes/dashboard-routes.ts';
import { exportRoutes } from './routes/export-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { hotlinePageRoutes } from './routes/hotline-page-routes.ts';
import { hotlineRoutes } from './routes/hotline-routes.ts';
import { loginRoutes } from './routes/login-routes.ts';
import { powerListRoutes } from './routes/power-list-routes.ts';
import { publicPageRoutes } from './routes/public-page-routes.ts';
import { publicRoutes } from './routes/public-routes.ts';
import { statsRoutes } from './routes/stats-routes.ts';
import { streetRoutes } from './routes/street-routes.ts';
import type { ServerDeps } from './server-deps.ts';

/** Builds the fastify app without listening, so tests mount it with inject(). */
export async function createServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    trustProxy: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  });
  registerErrorHandler(app);
  await registerOpenApi(app);
  await app.register(cookie); // before auth: its hook parses cookies the session resolver reads
  registerAuth(app, deps); // on the root instance: request.actor everywhere
  await registerSessions(app, deps);
  await app.register(async (scope) => healthRoutes(scope, deps));
  await app.register(async (scope) => streetRoutes(scope, deps));
  await app.register(async (scope) => powerListRoutes(scope, deps));
  await app.register(async (scope) => caseReadRoutes(scope, deps));
  await app.register(async (scope) => caseWriteRoutes(scope, deps));
  await app.register(async (scope) => statsRoutes(scope, deps));
  await app.register(async (scope) => publicRoutes(scope, deps));
  await registerStaticAssets(app);
  await app.register(async (scope) => loginRoutes(scope, deps));
  await app.register(async (scope) => dashboardRoutes(scope, deps));
  await app.register(async (scope) => exportRoutes(scope, deps));
  await app.register(async (scope) => hotlineRoutes(scope, deps));
  await app.register(async (scope) => hotlinePageRoutes(scope, deps));
  await app.register(async (scope) => publicPageRoutes(scope, deps));
  // Last, so they see every decorator and route registered before them.
  for (const routes of deps.extraRoutes ?? []) await app.register(routes);
  return app;
}
