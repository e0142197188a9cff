import type { FastifyInstance } from 'fastify';
import { activePowerList } from '../../db/power-list-store.ts';
import { NotFoundError } from '../../core/errors.ts';
import type { ServerDeps } from '../server-deps.ts';

const itemSchema = {
  type: 'object',
  properties: {
    code: { type: 'string' },
    name: { type: 'string' },
    level: { type: 'string', enum: ['street', 'district', 'department'] },
    post: { type: ['string', 'null'] },
    department: { type: ['string', 'null'] },
    legalBasis: { type: 'string' },
    description: { type: 'string' },
    keywords: { type: 'array', items: { type: 'string' } },
    responseHours: { type: 'number' },
    handlingHours: { type: 'number' },
    timeBasis: { type: 'string' },
    urgent: { type: 'boolean' },
    mode721: { type: 'string' },
  },
} as const;

/** The published power list (公开): read-only, the active version. */
export async function powerListRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.get(
    '/api/power-list',
    {
      schema: {
        tags: ['power-list'],
        summary: '权力清单（当前版本）',
        querystring: {
          type: 'object',
          properties: { level: { type: 'string', enum: ['street', 'district', 'department'] } },
          additionalProperties: false,
        },
        response: {
          200: {
            type: 'object',
            properties: {
              version: { type: 'string' },
              title: { type: 'string' },
              source: { type: 'string' },
              note: { type: 'string' },
              publishedAt: { type: 'string', format: 'date-time' },
              items: { type: 'array', items: itemSchema },
            },
          },
        },
      },
    },
    async (req) => {
      const list = await activePowerList(deps.db);
      if (!list) throw new NotFoundError('尚未导入权力清单');
      const { level } = req.query as { level?: string };
      return { ...list, items: level ? list.items.filter((i) => i.level === level) : list.items };
    },
  );
}
