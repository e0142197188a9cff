import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../server-deps.ts';

export async function healthRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['system'],
        summary: '健康检查：数据库可用时返回 200',
        response: {
          200: { type: 'object', properties: { status: { type: 'string' }, database: { type: 'string' } } },
          503: { type: 'object', properties: { status: { type: 'string' }, database: { type: 'string' } } },
        },
      },
    },
    async (req, reply) => {
      try {
        await deps.db.$queryRawUnsafe('SELECT 1');
        return { status: 'ok', database: 'ok' };
      } catch (err) {
        req.log.error({ err }, 'health check: database unavailable');
        return reply.status(503).send({ status: 'unavailable', database: 'error' });
      }
    },
  );
}
