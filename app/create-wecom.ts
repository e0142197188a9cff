// Wires the WeCom (企业微信) self-built application to the bot runtime, the evidence store, the
// outbox and the fastify app. Called by main.ts and by the end-to-end tests, so both run the
// same assembly. Null unless WECOM_CORP_ID and WECOM_SECRET are set.
import type { FastifyInstance } from 'fastify';
import { createWecomChannel, type WecomChannel } from '../bot/wecom/wecom-channel.ts';
import type { MenuConfig } from '../bot/wecom/wecom-menu.ts';
import { createNextActions } from '../bot/wecom/wecom-next-actions.ts';
import { OUTBOX_PRIORITY } from '../core/messaging/outbox-port.ts';
import { createHandledMessageStore } from '../db/processed-update-store.ts';
import { createWecomCaseStore } from '../db/wecom-case-store.ts';
import { readDirectoryConfig, syncDirectory, type DirectoryConfig } from '../bot/wecom/wecom-directory-sync.ts';
import { createWecomDirectoryStore } from '../db/wecom-directory-store.ts';
import { wecomAdminRoutes } from '../server/routes/wecom-admin-routes.ts';
import { wecomCallbackRoutes } from '../server/routes/wecom-callback-routes.ts';
import type { QueueingChannelWiring } from './channel-wiring.ts';

export type { WecomChannel };

export interface Wecom {
  channel: WecomChannel;
  /** Mounts GET/POST /wecom/callback (needs WECOM_TOKEN and WECOM_AES_KEY) and /admin/wecom. */
  routes(app: FastifyInstance): Promise<void>;
  /** Creates the app menu; a failure is logged, never fatal (the menu stays as it was). */
  start(): Promise<void>;
  /** Waits for the callbacks in hand. */
  stop(): Promise<void>;
}

export function createWecom(
  opts: QueueingChannelWiring & {
    menu?: MenuConfig;
    /** The directory mapping; config/wecom-directory.json, read at each sync, when absent. */
    directory?: DirectoryConfig;
  },
): Wecom | null {
  const { config, domain, logger } = opts;
  if (!config.wecomEnabled || !config.WECOM_CORP_ID || !config.WECOM_SECRET) return null;
  if (!config.WECOM_AGENT_ID) throw new Error('WECOM_AGENT_ID is required when WECOM_CORP_ID and WECOM_SECRET are set');
  const handled = createHandledMessageStore(opts.db, domain.outbox);
  const channel = createWecomChannel({
    config: {
      corpId: config.WECOM_CORP_ID,
      secret: config.WECOM_SECRET,
      agentId: config.WECOM_AGENT_ID,
      apiRoot: config.WECOM_API_ROOT,
      publicUrl: config.PUBLIC_URL,
      photoMaxBytes: config.PHOTO_MAX_BYTES,
    },
    logger,
    runtime: opts.bot.runtime,
    identify: opts.bot.identify,
    evidence: domain.evidence,
    facts: createWecomCaseStore(opts.db, domain.clock),
    seen: (updateId) => handled.seen('wecom', updateId),
    async notify(chatId, message, key) {
      await domain.outbox.enqueueNow([
        { dedupeKey: key, channel: 'wecom', chatId, message, priority: OUTBOX_PRIORITY.reply },
      ]);
      opts.kick();
    },
    clock: domain.clock,
    ...(opts.menu ? { menu: opts.menu } : {}),
    nextActions: createNextActions({
      caseById: (id) => domain.cases.store.transaction((tx) => tx.getCase({ id })),
      actorOf: async (userId) => (await opts.bot.deps.identities.resolve('wecom', userId, userId, undefined)).actor,
    }),
  });
  const token = config.WECOM_TOKEN;
  const aesKey = config.WECOM_AES_KEY;
  return {
    channel,
    async routes(app) {
      await wecomAdminRoutes({
        secure: config.PUBLIC_URL.startsWith('https://'),
        sync: () =>
          syncDirectory({
            api: channel.api,
            store: createWecomDirectoryStore(opts.db),
            config: opts.directory ?? readDirectoryConfig(),
            now: domain.clock(),
          }),
      })(app);
      if (!token || !aesKey) {
        logger.warn('WECOM_TOKEN or WECOM_AES_KEY not set: /wecom/callback is off, WeCom can send but not receive');
        return;
      }
      await wecomCallbackRoutes({
        secrets: { token, aesKey, receiveId: config.WECOM_CORP_ID! },
        accept: (fields) => channel.accept(fields),
      })(app);
    },
    async start() {
      await channel.createMenu().catch((err: unknown) => logger.warn({ err: String(err) }, 'wecom menu not created'));
    },
    stop: () => channel.idle(),
  };
}
