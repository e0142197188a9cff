// The webhook endpoint, mounted in the fastify app. Telegram sends the secret given to setWebhook
// in X-Telegram-Bot-Api-Secret-Token; a request without it (or with another) is refused with 401
// before its body is even parsed, so nothing of it is processed.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

export const WEBHOOK_PATH = '/telegram/webhook';
const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

/** Compares digests, so neither the length nor the content of the secret leaks through timing. */
function sameSecret(given: string | string[] | undefined, secret: string): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(secret).digest();
  return timingSafeEqual(a, b);
}

const updateSchema = {
  type: 'object',
  required: ['update_id'],
  properties: { update_id: { type: 'integer', minimum: 0 } },
  additionalProperties: true,
} as const;

const errorSchema = {
  type: 'object',
  properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } },
} as const;

export function registerTelegramWebhook(
  app: FastifyInstance,
  opts: { secret: string; handle(update: unknown): Promise<void> },
): void {
  app.post(WEBHOOK_PATH, {
    schema: {
      summary: 'Telegram Bot API webhook (updates from Telegram)',
      tags: ['telegram'],
      hide: true,
      headers: { type: 'object', properties: { [SECRET_HEADER]: { type: 'string' } } },
      body: updateSchema,
      response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } }, 401: errorSchema },
    },
    onRequest: async (req, reply) => {
      if (!sameSecret(req.headers[SECRET_HEADER], opts.secret)) {
        req.log.warn({ ip: req.ip }, 'telegram webhook request without the right secret refused');
        return reply.code(401).send({ error: { code: 'unauthorized', message: 'Telegram 密钥缺失或不正确' } });
      }
    },
    // A failure answers 500, and Telegram delivers the update again (processed once by update_id).
    handler: async (req) => {
      await opts.handle(req.body);
      return { ok: true };
    },
  });
}
