// What happens to one Telegram update, whichever way it came (polling or webhook): answer a
// button press at once, gather albums, keep each chat's messages in order while photos download,
// store photos as evidence, then hand the normalised message to the bot runtime.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Update } from 'telegraf/types';
import type { Logger } from '../../config/logger.ts';
import type { OutboundMessage } from '../../core/messaging/outbound-types.ts';
import type { Arrival, BotRuntime, ReplyQueue } from '../bot-runtime.ts';
import type { IdentifySender, InboundMessage } from '../inbound-types.ts';
import { createAlbumCollector } from './album-collector.ts';
import { concurrencyLimit } from './concurrency-limit.ts';
import { mapUpdate, type MappedUpdate } from './telegram-inbound.ts';
import type { TelegramPhotos } from './telegram-photos.ts';

type Mapped = Extract<MappedUpdate, { kind: 'message' }>;

export interface TelegramUpdateDeps {
  runtime: BotRuntime;
  /** Who sent a photo: recorded as its uploader before the photo is stored. */
  identify: IdentifySender;
  photos: TelegramPhotos;
  /** The outbox, for photo refusals: same order, rate limits and retries as every reply. */
  notices: ReplyQueue;
  answerCallback(callbackQueryId: string): Promise<unknown>;
  /** The user blocked the bot. */
  onBlocked?(chatId: string): Promise<void>;
  botUsername(): string | undefined;
  logger: Logger;
  albumQuietMs?: number;
  /**
   * Updates in the conversation at once (default 16); other chats wait their turn. Enough that
   * their database units share commits (db/sql-connection.ts), few enough that a polling batch
   * does not hold back the sockets.
   */
  conversationConcurrency?: number;
}

export interface TelegramUpdateHandler {
  /** Resolves once the update is handled and its replies are queued (album parts: once gathered). */
  handle(update: Update): Promise<void>;
  /** Completes albums still gathering and waits for the work in flight. */
  stop(): Promise<void>;
}

/** Update ids seen lately: a webhook retry of a photo is not downloaded and stored twice. */
const RECENT_MAX = 10_000;

const hasContent = (m: Omit<InboundMessage, 'photos'>) =>
  Boolean(m.text?.trim() || m.location || m.command || m.button || m.unsupported);

/** The parts of one album as one message: captions joined, photos in the order they were sent. */
export function mergeAlbum(parts: Mapped[], mediaGroupId: string): Mapped {
  const sorted = [...parts].sort((a, b) => (a.messageId ?? 0) - (b.messageId ?? 0));
  const first = sorted[0]!;
  const text = sorted
    .map((p) => p.message.text?.trim())
    .filter(Boolean)
    .join('\n');
  const { text: _drop, ...rest } = first.message;
  // The group id, not a part's update id: a redelivered part of a handled album is then a repeat.
  return {
    ...first,
    message: { ...rest, updateId: `mg:${mediaGroupId}`, ...(text ? { text } : {}) },
    files: sorted.flatMap((p) => p.files),
  };
}

export function createTelegramUpdateHandler(deps: TelegramUpdateDeps): TelegramUpdateHandler {
  const albums = createAlbumCollector<Mapped>({ quietMs: deps.albumQuietMs ?? 800 });
  const chains = new Map<string, Promise<void>>();
  const albumsQueued = new Map<string, number>();
  const inflight = new Set<Promise<void>>();
  const recent = new Set<string>();
  const conversationSlot = concurrencyLimit(deps.conversationConcurrency ?? 16);

  /** Runs tasks of one chat one after another, in arrival order. */
  function inOrder(chat: string, task: () => Promise<void>): Promise<void> {
    const next = (chains.get(chat) ?? Promise.resolve()).catch(() => undefined).then(task);
    chains.set(chat, next);
    inflight.add(next);
    void next
      .catch(() => undefined)
      .finally(() => {
        inflight.delete(next);
        if (chains.get(chat) === next) chains.delete(chat);
      });
    return next;
  }

  async function process(m: Mapped, log: Logger): Promise<void> {
    const { message } = m;
    let photos: InboundMessage['photos'] = [];
    let voice: InboundMessage['voice'];
    let newcomer = false;
    let arrived: Arrival | undefined;
    if (m.files.length) {
      // The runtime's first read of the message, ahead: an update committed before (a webhook
      // retry, another process) is not downloaded and stored again, and on PostgreSQL a known
      // sender comes with it, so neither the uploader nor the runtime reads them again.
      const ahead = await deps.runtime.arrive?.(message);
      if (ahead?.seen) return log.debug('repeated update ignored');
      const known = ahead?.snapshot?.account;
      if (known) arrived = ahead;
      const sender = known ? { personId: known.personId, isNew: false } : await deps.identify(message);
      newcomer = sender.isNew;
      const fetched = await deps.photos.fetch(m.files, {
        draftKey: `telegram:${message.chatId}:${message.userId}`,
        uploadedById: sender.personId,
      });
      photos = fetched.photos;
      if (m.files.some((f) => f.kind === 'voice')) voice = { attachmentId: fetched.voices?.[0] ?? null };
      if (fetched.refusals.length) {
        const notices: OutboundMessage[] = [...new Set(fetched.refusals)].map((text) => ({ text }));
        await deps.notices.enqueue(
          'telegram',
          message.chatId,
          notices,
          `photo-refused:telegram:${message.chatId}:${message.updateId}`,
        );
        deps.notices.kick();
        log.info({ refused: fetched.refusals.length, kept: photos.length }, 'photos refused');
      }
      // Only refused files and nothing else: the refusal is the whole answer.
      if (!photos.length && !voice?.attachmentId && !hasContent(message)) return;
    }
    await conversationSlot(async () => {
      // The event loop turns between updates: the database calls resolve without ever yielding,
      // so a busy polling batch would otherwise hold back every socket (callback answers,
      // webhook requests, deliveries) until the whole batch is done.
      await yieldToEventLoop();
      await deps.runtime.receive(
        {
          ...message,
          ...(photos.length ? { photos } : {}),
          ...(voice ? { voice } : {}),
          ...(newcomer ? { newcomer } : {}),
        },
        arrived,
      );
    });
  }

  function remember(id: string): boolean {
    if (recent.has(id)) return false;
    if (recent.size >= RECENT_MAX) recent.delete(recent.values().next().value!);
    recent.add(id);
    return true;
  }

  return {
    async handle(update) {
      const log = deps.logger.child({ update_id: update.update_id });
      const mapped = mapUpdate(update, deps.botUsername());
      // Every press is answered, and before the conversation runs, so the client's spinner stops.
      if ('callbackQueryId' in mapped && mapped.callbackQueryId) {
        deps
          .answerCallback(mapped.callbackQueryId)
          .catch((err: unknown) => log.warn({ err: String(err) }, 'answerCallbackQuery failed'));
      }
      // Delivering it again cannot help: a webhook answers 200 and polling does not retry it.
      if (mapped.kind === 'malformed') return log.warn({ reason: mapped.reason }, 'malformed telegram update ignored');
      if (mapped.kind === 'blocked') return deps.onBlocked?.(mapped.chatId);
      if (mapped.kind === 'ignore') return log.debug({ reason: mapped.reason }, 'update ignored');
      const id = String(update.update_id);
      if (!remember(id)) return log.debug('repeated update ignored');
      const chat = `${mapped.message.chatId}:${mapped.message.userId}`;

      if (mapped.mediaGroupId) {
        const album = albums.add(`${chat}:${mapped.mediaGroupId}`, mapped);
        if (!album) return;
        const groupId = mapped.mediaGroupId;
        albumsQueued.set(chat, (albumsQueued.get(chat) ?? 0) + 1);
        // Not awaited: the remaining parts arrive in later updates (or the next polling batch).
        void inOrder(chat, async () => process(mergeAlbum(await album, groupId), log))
          .catch((err: unknown) => log.error({ err }, 'telegram album failed'))
          .finally(() => {
            const left = (albumsQueued.get(chat) ?? 1) - 1;
            if (left > 0) albumsQueued.set(chat, left);
            else albumsQueued.delete(chat);
          });
        return;
      }
      const task = inOrder(chat, () => process(mapped, log));
      if (albumsQueued.get(chat)) {
        // Behind an album still gathering: waiting here would hold back the album's own parts.
        void task.catch((err: unknown) => log.error({ err }, 'telegram update failed'));
        return;
      }
      try {
        await task;
      } catch (err) {
        recent.delete(id); // let a redelivery try again
        throw err;
      }
    },
    async stop() {
      albums.flush();
      while (inflight.size) await Promise.allSettled([...inflight]);
    },
  };
}
