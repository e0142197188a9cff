// The Telegram channel: a telegraf bot whose only middleware hands each update to the update
// handler, the ChannelSender the delivery worker uses, and the two ways updates arrive (long
// polling by default, or a webhook mounted in the fastify app). telegraf stays inside this folder.
import type { FastifyInstance } from 'fastify';
import { Telegraf, TelegramError } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { Config } from '../../config/config-schema.ts';
import type { Logger } from '../../config/logger.ts';
import type { PhotoEvidence } from '../../core/evidence/photo-evidence.ts';
import type { ChannelSender } from '../../core/messaging/outbound-types.ts';
import type { BotRuntime, ReplyQueue } from '../bot-runtime.ts';
import type { IdentifySender } from '../inbound-types.ts';
import { createPollingRetry } from './polling-retry.ts';
import { retryUntil } from './retry-until.ts';
import { TELEGRAM_COMMANDS } from './telegram-commands.ts';
import { BOT_API_DOWNLOAD_LIMIT, createTelegramPhotos } from './telegram-photos.ts';
import { createTelegramSender, type TelegramApi } from './telegram-sender.ts';
import { createTelegramUpdateHandler } from './telegram-updates.ts';
import { registerTelegramWebhook, WEBHOOK_PATH } from './telegram-webhook.ts';

/** A Telegram update as JSON, for tests and the benchmark that feed updates in directly. */
export type TelegramUpdate = Update;

export type TelegramConfig = Pick<
  Config,
  | 'TELEGRAM_BOT_TOKEN'
  | 'TELEGRAM_MODE'
  | 'TELEGRAM_WEBHOOK_SECRET'
  | 'TELEGRAM_API_ROOT'
  | 'PUBLIC_URL'
  | 'PHOTO_MAX_BYTES'
>;

export interface TelegramChannelDeps {
  config: TelegramConfig;
  logger: Logger;
  runtime: BotRuntime;
  /** Who sent a photo: recorded as its uploader. */
  identify: IdentifySender;
  evidence: Pick<PhotoEvidence, 'ingest' | 'ingestVoice' | 'readPublic'>;
  notices: ReplyQueue;
  /** The user blocked the bot: mark the chat so nothing more is queued for it. */
  onBlocked?(chatId: string): Promise<void>;
  albumQuietMs?: number;
  /** Waits before the later tries of a polled update that failed (tests shorten them). */
  pollingRetryDelaysMs?: number[];
}

export interface TelegramChannel {
  sender: ChannelSender;
  /** Bot identity, command menu, then polling or setWebhook; retries while Telegram is unreachable. */
  start(): Promise<void>;
  /** Stops polling, completes gathering albums, waits for the updates in flight. */
  stop(): Promise<void>;
  /** Mounts POST /telegram/webhook in webhook mode; does nothing in polling mode. Call before listen(). */
  webhookRoute(app: FastifyInstance): void;
  /** One update through the same path as polling; rejects when it could not be handled. */
  handleUpdate(update: TelegramUpdate): Promise<void>;
}

const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;

/** telegraf resolves methods relative to the root, so a root with a path needs its trailing slash. */
function apiRoot(root: string | undefined): string | undefined {
  return root ? (root.endsWith('/') ? root : `${root}/`) : undefined;
}

export function createTelegramChannel(deps: TelegramChannelDeps): TelegramChannel {
  const { config } = deps;
  const token = config.TELEGRAM_BOT_TOKEN;
  if (!token) throw new Error('TELEGRAM_BOT_TOKEN is not set');
  const webhook = config.TELEGRAM_MODE === 'webhook';
  if (webhook && !config.TELEGRAM_WEBHOOK_SECRET)
    throw new Error('TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_SECRET (16–256 characters of A-Z a-z 0-9 _ -)');
  const logger = deps.logger.child({ channel: 'telegram' });
  const root = apiRoot(config.TELEGRAM_API_ROOT);
  const official = !root || new URL(root).hostname === 'api.telegram.org';

  const bot = new Telegraf(token, {
    telegram: { ...(root ? { apiRoot: root } : {}), webhookReply: false },
    handlerTimeout: 120_000,
  });
  const api = bot.telegram as unknown as TelegramApi;
  const photos = createTelegramPhotos({
    api: bot.telegram,
    evidence: deps.evidence,
    maxBytes: config.PHOTO_MAX_BYTES,
    downloadLimit: official ? BOT_API_DOWNLOAD_LIMIT : Number.POSITIVE_INFINITY,
    logger,
  });
  const updates = createTelegramUpdateHandler({
    runtime: deps.runtime,
    identify: deps.identify,
    photos,
    notices: deps.notices,
    logger,
    answerCallback: (id) => bot.telegram.answerCbQuery(id),
    ...(deps.onBlocked ? { onBlocked: deps.onBlocked } : {}),
    botUsername: () => bot.botInfo?.username,
    ...(deps.albumQuietMs !== undefined ? { albumQuietMs: deps.albumQuietMs } : {}),
  });

  // Webhook updates must fail loudly (a 500 makes Telegram deliver again); a polling update that
  // throws would end telegraf's polling loop, so it is logged and tried again in the background.
  const viaWebhook = new WeakSet<object>();
  const pollingRetry = createPollingRetry<Update>({
    handle: (u) => updates.handle(u),
    logger,
    ...(deps.pollingRetryDelaysMs ? { delaysMs: deps.pollingRetryDelaysMs } : {}),
  });
  bot.use((ctx) => updates.handle(ctx.update));
  bot.catch((err, ctx) => {
    logger.error({ err, update_id: ctx.update.update_id }, 'telegram update failed');
    if (viaWebhook.has(ctx.update)) throw err;
    pollingRetry.retry(ctx.update);
  });

  let polling: Promise<void> | null = null;
  const stopping = new AbortController();
  // 401: the token was refused; 400 on setWebhook: the URL is not acceptable. Waiting cannot help.
  const fatal = (err: unknown) =>
    err instanceof TelegramError && (err.code === 401 || err.code === 400 || err.code === 404);
  const persist = <T>(what: string, fn: () => Promise<T>) =>
    retryUntil(fn, {
      signal: stopping.signal,
      fatal,
      onRetry: (err, waitMs) => logger.warn({ err: String(err), retryInMs: waitMs }, `${what} failed; trying again`),
    });

  return {
    sender: createTelegramSender({ api, evidence: deps.evidence, logger }),

    async start() {
      bot.botInfo = await persist('telegram getMe', () => bot.telegram.getMe());
      logger.info(
        { bot: bot.botInfo.username, mode: config.TELEGRAM_MODE, apiRoot: root ?? 'https://api.telegram.org' },
        'telegram bot connected',
      );
      await bot.telegram
        .setMyCommands([...TELEGRAM_COMMANDS])
        .catch((err: unknown) =>
          logger.warn({ err: String(err) }, 'setMyCommands failed; the command menu stays as it was'),
        );
      if (webhook) {
        const url = `${config.PUBLIC_URL}${WEBHOOK_PATH}`;
        if (!url.startsWith('https://'))
          logger.warn({ url }, 'Telegram accepts only https webhooks (a self-hosted Bot API server may differ)');
        await persist('telegram setWebhook', () =>
          bot.telegram.setWebhook(url, {
            secret_token: config.TELEGRAM_WEBHOOK_SECRET!,
            allowed_updates: [...ALLOWED_UPDATES],
            max_connections: 40,
          }),
        );
        logger.info({ url }, 'telegram webhook set');
        return;
      }
      // launch() resolves only when polling ends; it runs beside the rest of the process.
      polling = bot.launch({ allowedUpdates: [...ALLOWED_UPDATES] }).catch((err: unknown) => {
        logger.error({ err: String(err) }, 'telegram polling stopped (another instance polling, or a revoked token?)');
      });
    },

    async stop() {
      stopping.abort();
      if (polling) {
        try {
          bot.stop('shutdown');
        } catch {
          // not running any more: nothing to stop
        }
        await polling;
        polling = null;
      }
      await pollingRetry.stop();
      // In webhook mode the webhook stays set: Telegram keeps the updates until we are back.
      await updates.stop();
    },

    webhookRoute(app) {
      if (!webhook) return;
      registerTelegramWebhook(app, {
        secret: config.TELEGRAM_WEBHOOK_SECRET!,
        handle: (update) => {
          viaWebhook.add(update as object);
          return bot.handleUpdate(update as Update);
        },
      });
    },

    handleUpdate: (update) => {
      viaWebhook.add(update);
      return bot.handleUpdate(update);
    },
  };
}
