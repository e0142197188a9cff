import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../core/errors.ts';
import { formatOfUrl, sendError } from './open311-format.ts';

/**
 * Every Open311 error leaves in the specification's error document, in the format the path
 * asks for, with the HTTP status the specification names: 403 for a missing or wrong api_key
 * (so `unauthorized` is 403 here, not 401), 404 for an unknown resource, 400 for bad arguments.
 */
const STATUS_OF: Record<string, number> = { not_found: 404, forbidden: 403, unauthorized: 403, conflict: 409 };

/** fastify's own 4xx errors (body parsing, content types) carry English messages: say it in Chinese. */
function frameworkMessage(status: number): string {
  if (status === 413) return '请求内容过大';
  if (status === 415) return '不支持的内容类型：请以 application/x-www-form-urlencoded 或 JSON 提交';
  return '请求格式不正确';
}

export function open311ErrorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const format = formatOfUrl(req.url);
  if (err instanceof DomainError) return sendError(reply, format, STATUS_OF[err.code] ?? 400, err.message);
  if (err.validation) return sendError(reply, format, 400, `请求参数不正确：${err.message}`);
  const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 500 ? err.statusCode : 500;
  if (status >= 500) req.log.error({ err }, 'open311: unhandled error');
  return sendError(reply, format, status, status === 500 ? '服务器内部错误，请稍后再试' : frameworkMessage(status));
}
