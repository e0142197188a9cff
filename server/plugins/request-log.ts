import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import type { Logger } from '../../config/logger.ts';

/**
 * One-time secrets travel in a few URLs (the bot's /login/<token> links). Whoever reads the
 * request log must not be able to sign in with them, so their path segment and the query of
 * such routes are replaced before the line is written; anything called token in a query too.
 */
export function redactUrl(url: string): string {
  const [pathPart = '', query] = url.split(/\?(.*)/s, 2);
  const login = /^\/login\/(?!demo(?:$|\/))[^/]+/.exec(pathPart);
  if (login) return '/login/[redacted]' + (query !== undefined ? '?[redacted]' : '');
  if (query === undefined) return pathPart;
  const safeQuery = query.replace(/((?:^|&)[^=&]*token[^=&]*=)[^&]*/gi, '$1[redacted]');
  return `${pathPart}?${safeQuery}`;
}

/** What fastify writes for each request, as its default serializer does, with the URL redacted. */
function serializeRequest(req: FastifyRequest) {
  return {
    method: req.method,
    url: redactUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/** The logger fastify gets: a child whose `req` serializer overrides fastify's own. */
export function requestLogger(logger: Logger): FastifyBaseLogger {
  return logger.child({}, { serializers: { req: serializeRequest } }) as FastifyBaseLogger;
}
