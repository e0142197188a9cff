import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { registerErrorHandler } from './plugins/error-handler.ts';
import { registerOpenApi } from './plugins/openapi.ts';
import { healthRoutes } from './routes/health-routes.ts';
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
  await app.register(async (scope) => healthRoutes(scope, deps));
  await app.register(async (scope) => streetRoutes(scope, deps));
  return app;
}
