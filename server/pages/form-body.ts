import formbody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';

/** HTML forms post urlencoded bodies; registered per page plugin unless an outer scope already did. */
export async function acceptFormPosts(scope: FastifyInstance): Promise<void> {
  if (!scope.hasContentTypeParser('application/x-www-form-urlencoded'))
    await scope.register(formbody, { bodyLimit: 64 * 1024 });
}

/** A single text field of a parsed form (repeated fields keep the first). */
export function field(body: unknown, name: string): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const v = (body as Record<string, unknown>)[name];
  const first = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' ? first : undefined;
}
