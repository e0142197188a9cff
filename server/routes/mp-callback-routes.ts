// GET/POST /mp/callback: the 公众号's server address (服务器配置 → 服务器地址(URL)). The signature
// is checked before anything of the body is read; a refused request processes nothing.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { MpChannel } from '../../bot/mp/mp-channel.ts';
import { CallbackRefusedError, type CallbackQuery } from '../../bot/tencent/callback-envelope.ts';
import { CallbackXmlError } from '../../bot/tencent/callback-xml.ts';
import { acceptXmlBodies } from '../plugins/xml-body.ts';

export const MP_CALLBACK_PATH = '/mp/callback';

const querySchema = {
  type: 'object',
  properties: {
    signature: { type: 'string', maxLength: 64 },
    msg_signature: { type: 'string', maxLength: 64 },
    timestamp: { type: 'string', maxLength: 20 },
    nonce: { type: 'string', maxLength: 64 },
    echostr: { type: 'string', maxLength: 1024 },
    encrypt_type: { type: 'string', maxLength: 16 },
    openid: { type: 'string', maxLength: 64 },
  },
} as const;

function refuse(reply: FastifyReply, err: unknown): FastifyReply | never {
  if (err instanceof CallbackRefusedError) {
    reply.log.warn({ ip: reply.request.ip, reason: err.message }, 'mp callback refused');
    return reply.code(403).send({ error: { code: 'forbidden', message: '签名校验失败，请求已拒绝' } });
  }
  if (err instanceof CallbackXmlError)
    return reply.code(400).send({ error: { code: 'validation_error', message: '消息格式不正确（需要 XML）' } });
  throw err;
}

export async function mpCallbackRoutes(app: FastifyInstance, channel: MpChannel): Promise<void> {
  acceptXmlBodies(app);
  const schema = { hide: true, querystring: querySchema };

  app.get<{ Querystring: CallbackQuery }>(MP_CALLBACK_PATH, { schema }, async (req, reply) => {
    try {
      return reply.type('text/plain; charset=utf-8').send(channel.verify(req.query));
    } catch (err) {
      return refuse(reply, err);
    }
  });

  // A failure answers 500 and WeChat delivers again (processed once by its message key).
  app.post<{ Querystring: CallbackQuery; Body: unknown }>(MP_CALLBACK_PATH, { schema }, async (req, reply) => {
    if (typeof req.body !== 'string')
      return reply.code(400).send({ error: { code: 'validation_error', message: '消息格式不正确（需要 XML）' } });
    let answer: string;
    try {
      answer = await channel.receive(req.query, req.body);
    } catch (err) {
      return refuse(reply, err);
    }
    return reply
      .type(answer === 'success' ? 'text/plain; charset=utf-8' : 'application/xml; charset=utf-8')
      .send(answer);
  });
}
