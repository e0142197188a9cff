// The WeCom ChannelSender: the delivery worker hands it one outbox row at a time. A message about
// a case becomes a template card with the case's place and map link, preceded by its photos the
// first time this member is shown the case; WeCom's refusals become the worker's error types.
import { createHash, randomBytes } from 'node:crypto';
import type { Logger } from '../../config/logger.ts';
import type { PhotoEvidence } from '../../core/evidence/photo-evidence.ts';
import {
  ChatUnreachableError,
  RetryAfterError,
  type ChannelSender,
  type OutboundMessage,
} from '../../core/messaging/outbound-types.ts';
import { WecomApiError, type WecomApi } from './wecom-api.ts';
import { caseIdOf, newTaskId, planWecomSend } from './wecom-outbound-fns.ts';
import type { WecomCaseFacts } from './wecom-ports.ts';

/** 60111 userid not found, 81013 no valid receiver, 40003 invalid userid, 60103/60104 member gone. */
const GONE = new Set([40003, 60111, 81013, 60103, 60104]);
/** 45009 API frequency, 45033 concurrency, 45047 too many messages to a member: wait, then retry. */
const THROTTLED = new Set([45009, 45033, 45047]);
const THROTTLE_WAIT_S = 60;
/** A temporary media_id is valid for three days; reuse it for a little less. */
const MEDIA_TTL_MS = 2.5 * 86_400_000;
/**
 * Every push about a case brings its report photos; within this window they are not sent again
 * (the card that follows a press, a reply right after a push), so a conversation is not flooded.
 */
const PHOTOS_AGAIN_AFTER_MS = 30 * 60_000;
const MEMO_MAX = 5000;

export function mapWecomError(err: unknown): unknown {
  if (err instanceof WecomApiError) {
    if (GONE.has(err.errcode)) return new ChatUnreachableError(err.message);
    if (THROTTLED.has(err.errcode)) return new RetryAfterError(THROTTLE_WAIT_S, err.message);
  }
  return err;
}

export interface WecomSenderDeps {
  api: WecomApi;
  evidence: Pick<PhotoEvidence, 'readPublic'>;
  facts: WecomCaseFacts;
  publicUrl: string;
  clock: () => Date;
  logger: Logger;
  /** A card was delivered: its task id and its buttons (a press on it names only the key). */
  onCard?(taskId: string, buttons: Array<{ key: string; text: string }>): void;
}

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size >= MEMO_MAX) map.delete(map.keys().next().value!);
  map.set(key, value);
}

export function createWecomSender(deps: WecomSenderDeps): ChannelSender {
  const logger = deps.logger.child({ component: 'wecom-sender' });
  const media = new Map<number, { id: string; until: number }>();
  const photosShown = new Map<string, number>();
  /** How far a multi-part message got, so a retry does not repeat what arrived. */
  const progress = new Map<string, number>();
  const now = () => deps.clock().getTime();

  async function mediaId(attachmentId: number): Promise<string | null> {
    const cached = media.get(attachmentId);
    if (cached && cached.until > now()) return cached.id;
    // Only the EXIF-free copy leaves the case: never the original with its GPS and camera data.
    const file = await deps.evidence.readPublic(attachmentId);
    if (!file) {
      logger.warn({ attachmentId }, 'no public copy of this photo; sent without it');
      return null;
    }
    const id = await deps.api.uploadMedia('image', file.bytes, 'photo.jpg', file.mime);
    remember(media, attachmentId, { id, until: now() + MEDIA_TTL_MS });
    return id;
  }

  /** The case card's facts, and the report photos when this member has not seen them lately. */
  async function enrich(chatId: string, message: OutboundMessage): Promise<OutboundMessage> {
    const caseId = caseIdOf(message);
    if (caseId === null) return message;
    const facts = await deps.facts.card(caseId);
    if (!facts) return message;
    const seenKey = `${chatId}:${caseId}`;
    const seen = photosShown.get(seenKey);
    const givePhotos =
      !message.photoAttachmentIds?.length && (seen === undefined || now() - seen > PHOTOS_AGAIN_AFTER_MS);
    // The core's card links the case page; in WeCom the map link opens Tencent Maps at the point.
    const card = message.card
      ? { ...message.card, ...(facts.card.mapUrl ? { mapUrl: facts.card.mapUrl } : {}) }
      : facts.card;
    return {
      ...message,
      card,
      ...(givePhotos && facts.photoIds.length ? { photoAttachmentIds: facts.photoIds } : {}),
    };
  }

  return {
    channel: 'wecom',
    async send(chatId, original) {
      const message = await enrich(chatId, original);
      const caseId = caseIdOf(message);
      const taskId = newTaskId(caseId, randomBytes(8).toString('hex'));
      const parts = planWecomSend(message, {
        taskId,
        homeUrl: `${deps.publicUrl}/`,
        ...(message.card ? { caseUrl: `${deps.publicUrl}/cases/${encodeURIComponent(message.card.number)}` } : {}),
      });
      const key = createHash('sha256').update(chatId).update('\0').update(JSON.stringify(original)).digest('hex');
      for (let i = progress.get(key) ?? 0; i < parts.length; i++) {
        const part = parts[i]!;
        try {
          let result: { invaliduser?: string } | null = null;
          if (part.kind === 'photo') {
            const id = await mediaId(part.attachmentId);
            if (id) result = await deps.api.sendMessage({ touser: chatId, msgtype: 'image', image: { media_id: id } });
          } else if (part.kind === 'text') {
            result = await deps.api.sendMessage({ touser: chatId, msgtype: 'text', text: { content: part.content } });
          } else {
            result = await deps.api.sendMessage({ touser: chatId, msgtype: 'template_card', template_card: part.card });
            deps.onCard?.(taskId, part.card.button_list as Array<{ key: string; text: string }>);
          }
          if (result?.invaliduser?.split('|').includes(chatId))
            throw new ChatUnreachableError(`WeCom: ${chatId} is not a member the app can reach`);
        } catch (err) {
          if (i > 0) remember(progress, key, i);
          throw mapWecomError(err);
        }
      }
      progress.delete(key);
      if (caseId !== null && message.photoAttachmentIds?.length) remember(photosShown, `${chatId}:${caseId}`, now());
    },
  };
}
