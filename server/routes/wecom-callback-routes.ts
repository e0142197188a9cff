// GET/POST /wecom/callback: WeCom's URL check and its message callbacks (接收消息与事件). The
// signature and the ciphertext are checked before anything is read; a refused request answers
// 403 and processes nothing. A good one is answered at once with an empty 200 (WeCom waits 5 s,
// then delivers again) and handled in the background; the answers go out through message/send.
import type { FastifyInstance } from 'fastify';
import {
  CallbackRefusedError,
  openCallback,
  verifyCallbackUrl,
  type CallbackQuery,
  type CallbackSecrets,
} from '../../bot/tencent/callback-envelope.ts';
import { CallbackXmlError, type CallbackFields } from '../../bot/tencent/callback-xml.ts';
import { acceptXmlBodies } from '../plugins/xml-body.ts';

export const WECOM_CALLBACK_PATH = '/wecom/callback';

const querySchema = {
  type: 'object',
  properties: {
    msg_signature: { type: 'string', maxLength: 128 },
    timestamp: { type: 'string', maxLength: 32 },
    nonce: { type: 'string', maxLength: 64 },
    echostr: { type: 'string', maxLength: 4096 },
  },
} as const;

const refused = { error: { code: 'forbidden', message: '企业微信回调签名校验失败，请求已拒绝' } };
const malformed = { error: { code: 'bad_request', message: '企业微信回调内容格式不正确' } };

export function wecomCallbackRoutes(opts: {
  secrets: CallbackSecrets;
  /** Called with each checked, decrypted message; must not wait for its processing. */
  accept(fields: CallbackFields): void;
}): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    await app.register(async (scope) => {
      acceptXmlBodies(scope);

      scope.get(WECOM_CALLBACK_PATH, { schema: { hide: true, querystring: querySchema } }, async (req, reply) => {
        try {
          const echo = verifyCallbackUrl(opts.secrets, req.query as CallbackQuery);
          return reply.type('text/plain; charset=utf-8').send(echo);
        } catch (err) {
          if (err instanceof CallbackRefusedError) {
            req.log.warn({ ip: req.ip, reason: err.message }, 'wecom URL check refused');
            return reply.code(403).send(refused);
          }
          throw err;
        }
      });

      scope.post(WECOM_CALLBACK_PATH, { schema: { hide: true, querystring: querySchema } }, async (req, reply) => {
        if (typeof req.body !== 'string') return reply.code(400).send(malformed);
        let fields: CallbackFields;
        try {
          fields = openCallback(opts.secrets, req.query as CallbackQuery, req.body);
        } catch (err) {
          if (err instanceof CallbackRefusedError) {
            req.log.warn({ ip: req.ip, reason: err.message }, 'wecom callback refused');
            return reply.code(403).send(refused);
          }
          if (err instanceof CallbackXmlError) return reply.code(400).send(malformed);
          throw err;
        }
        opts.accept(fields);
        // An empty answer: WeCom shows nothing and does not retry; replies follow via message/send.
        return reply.type('text/plain; charset=utf-8').send('');
      });
    });
  };
}
