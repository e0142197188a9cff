// The Telegram ChannelSender: the delivery worker hands it one outbox row at a time and decides
// retries from the errors it throws (RetryAfterError, ChatUnreachableError, anything else).
import { createHash } from 'node:crypto';
import { TelegramError } from 'telegraf';
import type { Logger } from '../../config/logger.ts';
import type { PhotoEvidence } from '../../core/evidence/photo-evidence.ts';
import {
  ChatUnreachableError,
  RetryAfterError,
  type ChannelSender,
  type OutboundMessage,
} from '../../core/messaging/outbound-types.ts';
import { planSend } from './telegram-outbound.ts';

/** The one telegraf call the sender needs (telegraf's `bot.telegram` satisfies it). */
export interface TelegramApi {
  callApi(method: string, payload: Record<string, unknown>): Promise<unknown>;
}

/** 400s that mean the chat is gone for us, as Telegram words them. */
const GONE_400 =
  /chat not found|user not found|group chat was (upgraded|deactivated)|bot was kicked|not enough rights to send|have no rights to send/i;

/** Telegram's refusals → the delivery worker's vocabulary. Other errors are retried with backoff. */
export function mapTelegramError(err: unknown): unknown {
  if (!(err instanceof TelegramError)) return err;
  const description = err.description ?? err.message;
  if (err.code === 429) return new RetryAfterError(err.parameters?.retry_after ?? 5, `Telegram 429: ${description}`);
  // 403: "bot was blocked by the user", "user is deactivated", "bot was kicked from the group chat", …
  if (err.code === 403 || (err.code === 400 && GONE_400.test(description)))
    return new ChatUnreachableError(`Telegram ${err.code}: ${description}`);
  return err;
}

/** Remembers how far a multi-call message got, so a retry after a 429 does not repeat its photos. */
const PROGRESS_MAX = 1000;

export function createTelegramSender(deps: {
  api: TelegramApi;
  evidence: Pick<PhotoEvidence, 'readPublic'>;
  logger: Logger;
}): ChannelSender {
  const logger = deps.logger.child({ component: 'telegram-sender' });
  const progress = new Map<string, number>();

  async function photoBytes(message: OutboundMessage): Promise<Buffer[]> {
    const photos: Buffer[] = [];
    for (const id of message.photoAttachmentIds ?? []) {
      // Only the EXIF-free copy leaves the case: never the original with its GPS and camera data.
      const file = await deps.evidence.readPublic(id);
      if (file) photos.push(file.bytes);
      else logger.warn({ attachmentId: id }, 'no public copy of this photo; sent without it');
    }
    return photos;
  }

  return {
    channel: 'telegram',
    async send(chatId, message) {
      const isPrivate = !chatId.startsWith('-');
      const calls = planSend(chatId, message, await photoBytes(message), {
        isPrivate,
        onDroppedButton: (b) =>
          logger.error({ buttonId: b.id }, 'button id longer than 64 bytes of callback_data; button dropped'),
      });
      const key = createHash('sha256').update(chatId).update('\0').update(JSON.stringify(message)).digest('hex');
      for (let i = progress.get(key) ?? 0; i < calls.length; i++) {
        try {
          await deps.api.callApi(calls[i]!.method, calls[i]!.payload);
        } catch (err) {
          if (i > 0) {
            if (progress.size >= PROGRESS_MAX) progress.delete(progress.keys().next().value!);
            progress.set(key, i);
          }
          throw mapTelegramError(err);
        }
      }
      progress.delete(key);
    },
  };
}
