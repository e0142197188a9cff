import type { FastifyError, FastifyInstance } from 'fastify';
import { DomainError, TooManyRequestsError } from '../../core/errors.ts';

const STATUS: Record<string, number> = {
  not_found: 404,
  forbidden: 403,
  unauthorized: 401,
  invalid_transition: 409,
  conflict: 409,
  validation_error: 400,
  rate_limited: 429,
  case_number_unavailable: 503,
};

/** Every error leaves as {"error": {"code", "message"}} with the status that fits. */
export function registerErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof TooManyRequestsError) reply.header('retry-after', String(err.retryAfterSeconds));
    if (err instanceof DomainError) {
      return reply.status(STATUS[err.code] ?? 400).send({ error: { code: err.code, message: err.message } });
    }
    if (err.validation) {
      return reply.status(400).send({ error: { code: 'validation_error', message: `请求参数不正确：${err.message}` } });
    }
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err }, 'unhandled error');
    const code = status === 500 ? 'internal_error' : (err.code ?? 'bad_request').toLowerCase();
    const message = status === 500 ? '服务器内部错误，请稍后再试' : err.message;
    return reply.status(status).send({ error: { code, message } });
  });
  app.setNotFoundHandler((req, reply) => {
    reply.status(404).send({ error: { code: 'not_found', message: `没有这个地址：${req.method} ${req.url}` } });
  });
}
