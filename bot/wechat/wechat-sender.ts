// The WeChat ChannelSender: the delivery worker hands it one outbox row at a time and decides
// retries from what it throws (RetryAfterError, ChatUnreachableError, anything else = retry).
import { createHash } from 'node:crypto';
import { FileBox } from 'file-box';
import type { Wechaty } from 'wechaty';
import type { Logger } from '../../config/logger.ts';
import type { PhotoEvidence } from '../../core/evidence/photo-evidence.ts';
import {
  ChatUnreachableError,
  RetryAfterError,
  type ChannelSender,
  type OutboundMessage,
} from '../../core/messaging/outbound-types.ts';
import { planWeChatSend } from './wechat-outbound.ts';

/** Puppets word a missing contact or room in many ways; only these mean "gone for good". */
const GONE =
  /not (?:exist|found)|no payload|unknown (?:contact|room)|invalid (?:contact|room|user)|不存在|已被移出|not a member/i;
/** WeChat's own frequency control ("操作过于频繁"): back off for a while rather than burn attempts. */
const THROTTLED = /频繁|frequen|too many|rate.?limit/i;
const THROTTLE_WAIT_S = 60;
/** How often a message for a logged-out account looks again. */
const OFFLINE_WAIT_S = 30;

export function mapWeChatError(err: unknown): unknown {
  const text = err instanceof Error ? `${err.message} ${(err as { details?: string }).details ?? ''}` : String(err);
  if (THROTTLED.test(text)) return new RetryAfterError(THROTTLE_WAIT_S, `WeChat throttled: ${text.slice(0, 200)}`);
  if (GONE.test(text)) return new ChatUnreachableError(`WeChat: ${text.slice(0, 200)}`);
  return err;
}

/** Room ids end in @chatroom on every WeChat puppet; everything else is a contact. */
export const isRoomId = (chatId: string): boolean => chatId.endsWith('@chatroom');

type Target = { say(sayable: string | FileBox): Promise<unknown> };

async function findTarget(bot: Wechaty, chatId: string): Promise<Target> {
  // Ask the puppet first: it throws with the reason, where find() only emits it as a bot error.
  try {
    if (isRoomId(chatId)) await bot.puppet.roomPayload(chatId);
    else await bot.puppet.contactPayload(chatId);
  } catch (err) {
    throw mapWeChatError(err);
  }
  const target = isRoomId(chatId) ? await bot.Room.find({ id: chatId }) : await bot.Contact.find({ id: chatId });
  if (!target) throw new Error(`WeChat ${isRoomId(chatId) ? 'room' : 'contact'} could not be loaded`);
  return target;
}

/** Remembers how far a multi-part message got, so a retry does not repeat what arrived. */
const PROGRESS_MAX = 1000;

export interface WeChatSenderDeps {
  /** The running bot, or null before start(): sends then wait in the outbox. */
  bot(): Wechaty | null;
  evidence: Pick<PhotoEvidence, 'readPublic'>;
  logger: Logger;
  /** Called after a whole message arrived (the numbered-menu memory listens here). */
  onDelivered?(chatId: string, message: OutboundMessage): void;
}

export function createWeChatSender(deps: WeChatSenderDeps): ChannelSender {
  const logger = deps.logger.child({ component: 'wechat-sender' });
  const progress = new Map<string, number>();

  async function photoBox(attachmentId: number): Promise<FileBox | null> {
    // Only the EXIF-free copy leaves the case: never the original with its GPS and camera data.
    const file = await deps.evidence.readPublic(attachmentId);
    if (!file) {
      logger.warn({ attachmentId }, 'no public copy of this photo; sent without it');
      return null;
    }
    // Base64 rather than a file path: every puppet can carry it, puppet-service over gRPC too.
    // The name carries no id: attachment ids stay inside the server.
    return FileBox.fromBase64(file.bytes.toString('base64'), 'photo.jpg');
  }

  return {
    channel: 'wechat',
    async send(chatId, message) {
      const bot = deps.bot();
      // Not a fault of this message: it waits, without using up its attempts, until the account is
      // logged in again (an administrator scans the QR code), however long that takes.
      if (!bot?.isLoggedIn) throw new RetryAfterError(OFFLINE_WAIT_S, 'WeChat is not logged in');
      const target = await findTarget(bot, chatId);
      const parts = planWeChatSend(message);
      const key = createHash('sha256').update(chatId).update('\0').update(JSON.stringify(message)).digest('hex');
      for (let i = progress.get(key) ?? 0; i < parts.length; i++) {
        const part = parts[i]!;
        try {
          if (part.kind === 'text') await target.say(part.text);
          else {
            const box = await photoBox(part.attachmentId);
            if (box) await target.say(box);
          }
        } catch (err) {
          if (i > 0) {
            if (progress.size >= PROGRESS_MAX) progress.delete(progress.keys().next().value!);
            progress.set(key, i);
          }
          throw mapWeChatError(err);
        }
      }
      progress.delete(key);
      deps.onDelivered?.(chatId, message);
    },
  };
}
