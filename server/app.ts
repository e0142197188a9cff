import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance } from 'fastify';
import { registerAuth } from './plugins/auth.ts';
import { registerApiCsrf } from './plugins/csrf.ts';
import { registerFloodLimits, registerPublicFloodLimit } from './plugins/flood-limits.ts';
import { registerJsonBodyTypes } from './plugins/json-body-types.ts';
import { registerErrorHandler } from './plugins/error-handler.ts';
import { registerSessions } from './plugins/session.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { requestLogger } from './plugins/request-log.ts';
import { registerStaticAssets } from './plugins/static-assets.ts';
import { registerMapAssets } from './plugins/map-assets.ts';
import { caseReadRoutes } from './routes/case-read-routes.ts';
import { caseWriteRoutes } from './routes/case-write-routes.ts';
import { casePlaceRoutes } from './routes/case-place-routes.ts';
import { dashboardRoutes } from './routes/dashboard-routes.ts';
import { exportRoutes } from './routes/export-routes.ts';
import { healthRoutes } from './routes/health-routes.ts';
import { hotlinePageRoutes } from './routes/hotline-page-routes.ts';
import { staffAdminRoutes } from './routes/staff-admin-routes.ts';
import { patrolPageRoutes } from './routes/patrol-page-routes.ts';
import { hotlineRoutes } from './routes/hotline-routes.ts';
import { loginRoutes } from './routes/login-routes.ts';
import { open311Routes } from './routes/open311-routes.ts';
import { powerListRoutes } from './routes/power-list-routes.ts';
import { publicPageRoutes } from './routes/public-page-routes.ts';
import { publicRoutes } from './routes/public-routes.ts';
import { createStatsCaches, statsRoutes } from './routes/stats-routes.ts';
import { streetRoutes } from './routes/street-routes.ts';
import type { ServerDeps } from './server-deps.ts';

/** Builds the fastify app without listening, so tests mount it with inject(). */
export async function createServer(given: ServerDeps): Promise<FastifyInstance> {
  const deps: ServerDeps = { ...given, statsCaches: given.statsCaches ?? createStatsCaches() };
  const app = Fastify({
    loggerInstance: requestLogger(deps.logger), // never logs one-time login tokens
    bodyLimit: 1024 * 1024,
    // X-Forwarded-For is believed only from the configured proxies: otherwise any client could
    // pick its own address and walk around every per-address limit.
    trustProxy: deps.config.TRUST_PROXY,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', allErrors: false } },
  });
  registerErrorHandler(app);
  registerJsonBodyTypes(app); // before validation coerces null to 0 in JSON bodies
  await registerOpenApi(app);
  await app.register(cookie); // before auth: its hook parses cookies the session resolver reads
  registerAuth(app, deps); // on the root instance: request.actor everywhere
  await registerSessions(app, deps);
  registerApiCsrf(app, deps.config.PUBLIC_URL); // after the session resolver: needs to know how the actor signed in
  await registerFloodLimits(app, deps.domain.clock);
  registerPublicFloodLimit(app, deps.config.ADDRESS_REQUESTS_PER_MINUTE);
  await app.register(async (scope) => healthRoutes(scope, deps));
  await app.register(async (scope) => streetRoutes(scope, deps));
  await app.register(async (scope) => powerListRoutes(scope, deps));
  await app.register(async (scope) => caseReadRoutes(scope, deps));
  await app.register(async (scope) => caseWriteRoutes(scope, deps));
  await app.register(async (scope) => casePlaceRoutes(scope, deps));
  await app.register(async (scope) => statsRoutes(scope, deps));
  await app.register(async (scope) => publicRoutes(scope, deps));
  await app.register(async (scope) => open311Routes(scope, deps), { prefix: '/open311' });
  await registerStaticAssets(app);
  await app.register(async (scope) => registerMapAssets(scope));
  await app.register(async (scope) => loginRoutes(scope, deps));
  await app.register(async (scope) => dashboardRoutes(scope, deps));
  await app.register(async (scope) => exportRoutes(scope, deps));
  await app.register(async (scope) => hotlineRoutes(scope, deps));
  await app.register(async (scope) => hotlinePageRoutes(scope, deps));
  await app.register(async (scope) => staffAdminRoutes(scope, deps));
  await app.register(async (scope) => patrolPageRoutes(scope, deps));
  await app.register(async (scope) => publicPageRoutes(scope, deps));
  // Last, so they see every decorator and route registered before them.
  for (const routes of deps.extraRoutes ?? []) await app.register(routes);
  return app;
}
