import type { FastifyInstance } from 'fastify';
import { chatter } from './webchat-guard.ts';
import type { WebChatRouteDeps } from './webchat-deps.ts';

/**
 * The live stream of a person's web chat (server-sent events). Bot messages come with their
 * outbox id as the event id; a reconnecting EventSource sends Last-Event-ID and gets what it
 * missed. A page opening the stream after loading the history passes `after` instead (a new
 * EventSource cannot set the header).
 */
export async function webchatEventRoutes(app: FastifyInstance, deps: WebChatRouteDeps): Promise<void> {
  const { store, hub } = deps;

  app.get<{ Querystring: { after?: number } }>(
    '/chat/api/events',
    {
      schema: {
        tags: ['webchat'],
        summary: '网页聊天：实时消息（text/event-stream）',
        description:
          '事件 message：机器人消息（id 为发件箱编号）；事件 line：本人在其他页面发送的内容。断线重连时带 Last-Event-ID 补发。',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { after: { type: 'integer', minimum: 0 } },
        },
      },
    },
    async (req, reply) => {
      const { address } = await chatter(req, store);
      const header = Number(req.headers['last-event-id']);
      const after = Number.isInteger(header) && header >= 0 ? header : req.query.after;

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no', // nginx would otherwise hold the events back
      });
      res.write('retry: 3000\n\n');
      // Subscribe before reading the backlog: a message delivered in between then arrives twice
      // (the page drops the copy by its key) rather than never.
      const unsubscribe = hub.subscribe(address.chatId, res);
      req.raw.on('close', unsubscribe);
      if (after !== undefined) {
        try {
          hub.replay(res, await store.outboxAfter(address.chatId, after));
        } catch (err) {
          req.log.error({ err }, 'web chat backlog failed');
          res.end();
        }
      }
    },
  );
}
