import type { FastifyInstance } from 'fastify';
import { hasSomething, toInbound, type ChatPost } from '../../bot/webchat/inbound-fns.ts';
import { ValidationError } from '../../core/errors.ts';
import { chatter, checkChatWrite } from './webchat-guard.ts';
import type { WebChatRouteDeps } from './webchat-deps.ts';

const postSchema = {
  type: 'object',
  required: ['clientId'],
  additionalProperties: false,
  properties: {
    clientId: {
      type: 'string',
      pattern: '^[A-Za-z0-9_-]{8,64}$',
      description: '页面生成的消息 id（uuid），重复提交只处理一次',
    },
    text: { type: 'string', maxLength: 4000 },
    command: {
      type: 'object',
      required: ['name'],
      additionalProperties: false,
      properties: { name: { type: 'string', pattern: '^[A-Za-z_]{1,32}$' }, args: { type: 'string', maxLength: 200 } },
    },
    button: { type: 'string', minLength: 1, maxLength: 64 },
    label: { type: 'string', maxLength: 60 },
    location: {
      type: 'object',
      required: ['lat', 'lng'],
      additionalProperties: false,
      properties: {
        lat: { type: 'number', minimum: -90, maximum: 90 },
        lng: { type: 'number', minimum: -180, maximum: 180 },
        accuracyM: { type: 'number', minimum: 0, maximum: 1e6 },
      },
    },
    photos: {
      type: 'array',
      items: { type: 'string', minLength: 1, maxLength: 64 },
      maxItems: 10,
      description: 'POST /chat/api/photos 返回的附件标识（key）',
    },
  },
} as const;

const entrySchema = {
  type: 'object',
  properties: {
    key: { type: 'string' },
    dir: { type: 'string', enum: ['in', 'out'] },
    at: { type: 'string' },
    message: { type: 'object', additionalProperties: true },
    eventId: { type: 'integer' },
  },
} as const;

/** The person's messages in, the chat's history out. Replies arrive by the event stream only. */
export async function webchatMessageRoutes(app: FastifyInstance, deps: WebChatRouteDeps): Promise<void> {
  const { store, hub, bot } = deps;

  app.post<{ Body: ChatPost }>(
    '/chat/api/messages',
    {
      schema: {
        tags: ['webchat'],
        summary: '网页聊天：发送一条消息（文字、命令、按钮、位置或照片）',
        description: '回复与推送不在此返回，而是经 GET /chat/api/events 送达（与历史记录同一编号，不会重复）。',
        body: postSchema,
        response: { 202: { type: 'object', properties: { key: { type: 'string' }, repeated: { type: 'boolean' } } } },
      },
    },
    async (req, reply) => {
      const { actor, address } = await chatter(req, store);
      checkChatWrite(req);
      const post = req.body;
      if (!hasSomething(post)) throw new ValidationError('消息是空的');
      const repeated = await store.hasLine(address.chatId, post.clientId);
      const photos = post.photos?.length
        ? await store.ownPhotos(actor.personId, post.photos, { loose: !repeated })
        : [];
      const { clientId, ...shown } = post;
      const place = post.location ? streetAt(deps, post.location) : undefined;
      const { entry, fresh } = await store.recordLine(address.chatId, clientId, 'in', {
        ...shown,
        ...(place ? { location: { ...post.location, street: place } } : {}),
      });
      if (fresh) hub.publish(address.chatId, entry); // the person's other tabs
      // The runtime claims the update id, so a repeat is not handled twice; a repeat after a
      // failed first attempt is handled now.
      await bot.runtime.receive(toInbound(post, address, actor.displayName, photos));
      return reply.code(202).send({ key: entry.key, repeated: !fresh });
    },
  );

  app.get<{ Querystring: { limit?: number } }>(
    '/chat/api/history',
    {
      schema: {
        tags: ['webchat'],
        summary: '网页聊天：最近的聊天记录（自己发送的与收到的），按时间先后',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { limit: { type: 'integer', minimum: 1, maximum: 500, default: 200 } },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              me: {
                type: 'object',
                properties: {
                  personId: { type: 'integer' },
                  name: { type: 'string' },
                  role: { type: 'string' },
                  chatId: { type: 'string' },
                },
              },
              entries: { type: 'array', items: entrySchema },
              lastEventId: { type: 'integer', description: '之后以 GET /chat/api/events?after= 续接' },
            },
          },
        },
      },
    },
    async (req) => {
      const { actor, address } = await chatter(req, store);
      const { entries, lastEventId } = await store.history(address.chatId, req.query.limit ?? 200);
      return {
        me: { personId: actor.personId, name: actor.displayName, role: actor.role, chatId: address.chatId },
        entries,
        lastEventId,
      };
    },
  );
}

/** The street a point falls in, as the jurisdiction sees it: shown beside the person's pin. */
function streetAt(deps: WebChatRouteDeps, p: { lat: number; lng: number }): string | undefined {
  try {
    const at = deps.domain.jurisdiction.locatePoint(p, 'wgs84');
    return at.outsideDistrict ? '江汉区外' : (at.street ?? undefined);
  } catch {
    return undefined;
  }
}
