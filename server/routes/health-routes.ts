import type { FastifyInstance } from 'fastify';
import { errorMessage } from '../../core/errors.ts';
import { createTtlCache } from '../../core/stats/ttl-cache.ts';
import { createDatabaseProbe } from '../../db/database-probe.ts';
import type { ServerDeps } from '../server-deps.ts';

/**
 * How often the file store is really probed. A balancer asks /healthz every few seconds and the
 * benchmarks every 10 ms; a bucket need not be asked each time, and a failure is seen within this.
 */
export const FILES_PROBE_EVERY_MS = 10_000;

const healthBody = {
  type: 'object',
  properties: { status: { type: 'string' }, database: { type: 'string' }, files: { type: 'string' } },
} as const;

export async function healthRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  const { files, clock } = deps.domain;
  // The last probe's answer (null: files can be stored; else why not, logged once per probe),
  // shared by every caller until it is older than FILES_PROBE_EVERY_MS, one probe at a time.
  // It never rejects, so the cache keeps a failure as long as a success.
  const probes = createTtlCache<string | null>({
    ttlMs: FILES_PROBE_EVERY_MS,
    max: 1,
    clock: () => clock().getTime(),
  });
  const filesProblem = () =>
    probes.get('files', () =>
      files.probe().then(
        () => null,
        (err: unknown) => {
          deps.logger.error({ err, files: files.describe }, 'health check: files cannot be stored');
          return errorMessage(err);
        },
      ),
    );

  // The database is asked on a connection of its own, not queued behind the pools' long reads.
  const database = createDatabaseProbe(deps.db);
  app.addHook('onClose', () => database.close());

  app.get(
    '/healthz',
    {
      schema: {
        tags: ['system'],
        summary: '健康检查：数据库可用、照片等文件可写入时返回 200',
        response: { 200: healthBody, 503: healthBody },
      },
    },
    async (req, reply) => {
      const [databaseState, filesError] = await Promise.all([
        database.check().then(
          () => 'ok',
          (err: unknown) => {
            req.log.error({ err }, 'health check: database unavailable');
            return 'error';
          },
        ),
        filesProblem(),
      ]);
      const filesState = filesError === null ? 'ok' : 'error';
      if (databaseState === 'ok' && filesState === 'ok')
        return { status: 'ok', database: databaseState, files: filesState };
      return reply.status(503).send({ status: 'unavailable', database: databaseState, files: filesState });
    },
  );
}
