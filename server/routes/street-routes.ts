import type { FastifyInstance } from 'fastify';
import type { ServerDeps } from '../server-deps.ts';

const streetSchema = {
  type: 'object',
  properties: { code: { type: 'string' }, name: { type: 'string' }, staffCount: { type: 'integer' } },
  required: ['code', 'name', 'staffCount'],
} as const;

export async function streetRoutes(app: FastifyInstance, deps: ServerDeps): Promise<void> {
  app.get(
    '/api/streets',
    {
      schema: {
        tags: ['organisation'],
        summary: '12 个街道及其执法人员编制数',
        response: {
          200: {
            type: 'object',
            properties: { streets: { type: 'array', items: streetSchema }, totalStaff: { type: 'integer' } },
          },
        },
      },
    },
    async () => {
      const streets = await deps.db.street.findMany({
        orderBy: { code: 'asc' },
        select: { code: true, name: true, staffCount: true },
      });
      return { streets, totalStaff: streets.reduce((sum, s) => sum + s.staffCount, 0) };
    },
  );

  app.get(
    '/api/departments',
    {
      schema: {
        tags: ['organisation'],
        summary: '区城管执法局与移送部门',
        response: {
          200: {
            type: 'object',
            properties: {
              departments: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    code: { type: 'string' },
                    name: { type: 'string' },
                    fullName: { type: 'string' },
                    kind: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
    },
    async () => ({
      departments: await deps.db.department.findMany({
        orderBy: { id: 'asc' },
        select: { code: true, name: true, fullName: true, kind: true },
      }),
    }),
  );
}
