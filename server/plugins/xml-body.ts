import type { FastifyInstance } from 'fastify';

/** Tencent's callbacks are small XML documents; anything bigger is not one of them. */
const CALLBACK_BODY_LIMIT = 64 * 1024;

/**
 * XML bodies arrive as the raw string: the callback's signature covers the ciphertext inside it,
 * so it is parsed only after the check (bot/tencent/callback-envelope.ts). Register in the
 * callback routes' own scope.
 */
export function acceptXmlBodies(scope: FastifyInstance): void {
  scope.addContentTypeParser(
    ['text/xml', 'application/xml'],
    { parseAs: 'string', bodyLimit: CALLBACK_BODY_LIMIT },
    (_req, body, done) => done(null, body),
  );
}
