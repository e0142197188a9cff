// Wires the WeChat Official Account (公众号) channel to the bot runtime, the evidence store and the
// outbox: the callback and 网页授权 routes, and the sender the delivery worker uses. Called by
// main.ts and the end-to-end tests, so both run the same assembly. Null without app id and secret.
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createMpApi, type MpApi } from '../bot/mp/mp-api.ts';
import { createMpChannel, type MpChannel } from '../bot/mp/mp-channel.ts';
import { createPassiveSlots } from '../bot/mp/mp-passive.ts';
import { createMpSender } from '../bot/mp/mp-sender.ts';
import { loadMpTemplates, type MpTemplates } from '../bot/mp/mp-templates.ts';
import { OUTBOX_PRIORITY } from '../core/messaging/outbox-port.ts';
import type { ChannelSender } from '../core/messaging/outbound-types.ts';
import { createMpStore, type MpStore } from '../db/mp-store.ts';
import { mpCallbackRoutes } from '../server/routes/mp-callback-routes.ts';
import { mpOauthRoutes } from '../server/routes/mp-oauth-routes.ts';
import type { QueueingChannelWiring } from './channel-wiring.ts';

export interface Mp {
  sender: ChannelSender;
  channel: MpChannel;
  api: MpApi;
  store: MpStore;
  routes: (app: FastifyInstance) => Promise<void>;
}

export function createMp(
  opts: QueueingChannelWiring & {
    /** Instead of WECHAT_MP_TEMPLATES (tests). */
    templates?: MpTemplates;
    passiveWaitMs?: number;
  },
): Mp | null {
  const { config, domain, db } = opts;
  if (!config.WECHAT_MP_APP_ID || !config.WECHAT_MP_SECRET) return null;
  const logger = opts.logger.child({ component: 'mp' });
  const appId = config.WECHAT_MP_APP_ID;
  const api = createMpApi({
    root: config.WECHAT_MP_API_ROOT,
    appId,
    secret: config.WECHAT_MP_SECRET,
    clock: domain.clock,
    logger,
  });
  const store = createMpStore(db);
  const passive = createPassiveSlots();
  const templates = opts.templates ?? loadMpTemplates(path.resolve(config.WECHAT_MP_TEMPLATES));
  // A notice opens the H5 sign-in, which lands in the web chat where every update is shown.
  const link = `${config.PUBLIC_URL}/mp/oauth/start`;
  const sender = createMpSender({
    api,
    budget: store,
    passive,
    templates,
    caseFacts: (caseId, message) => store.caseFacts(caseId, message, link),
    evidence: domain.evidence,
    menus: store,
    clock: domain.clock,
    logger,
  });
  const channel = createMpChannel({
    // Without a token nobody can sign a callback: an empty one would accept anyone's.
    secrets: {
      token: config.WECHAT_MP_TOKEN ?? '',
      ...(config.WECHAT_MP_AES_KEY ? { aesKey: config.WECHAT_MP_AES_KEY } : {}),
      receiveId: appId,
    },
    api,
    runtime: opts.bot.runtime,
    identify: opts.bot.identify,
    evidence: domain.evidence,
    store,
    outbox: {
      async enqueue(openid, message, key) {
        await domain.outbox.enqueueNow([
          { dedupeKey: key, channel: 'mp', chatId: openid, message, priority: OUTBOX_PRIORITY.reply },
        ]);
        opts.kick();
      },
      markChatBlocked: (ch, chatId) => domain.outbox.markChatBlocked(ch, chatId),
    },
    passive,
    clock: domain.clock,
    logger,
    maxPhotoBytes: config.PHOTO_MAX_BYTES,
    ...(opts.passiveWaitMs !== undefined ? { passiveWaitMs: opts.passiveWaitMs } : {}),
  });
  const callbacksOn = Boolean(config.WECHAT_MP_TOKEN);
  if (!callbacksOn) logger.warn('WECHAT_MP_TOKEN is not set: /mp/callback refuses every request');
  return {
    sender,
    channel,
    api,
    store,
    async routes(app) {
      await app.register(async (scope) => {
        if (!callbacksOn)
          scope.addHook('onRequest', async (_req, reply) =>
            reply.code(403).send({ error: { code: 'forbidden', message: '公众号服务器配置未完成（缺少 Token）' } }),
          );
        await mpCallbackRoutes(scope, channel);
      });
      await app.register(async (scope) =>
        mpOauthRoutes(scope, {
          db,
          api,
          identify: opts.bot.identify,
          appId,
          oauthRoot: config.WECHAT_MP_OAUTH_ROOT,
          publicUrl: config.PUBLIC_URL,
        }),
      );
    },
  };
}
