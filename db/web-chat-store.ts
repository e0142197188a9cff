import type { ChatEntry } from '../bot/webchat/sse-hub.ts';
import type { InboundPhoto } from '../bot/inbound-types.ts';
import type { WebChatAddress } from '../bot/webchat/inbound-fns.ts';
import { ValidationError } from '../core/errors.ts';
import type { Prisma } from '../prisma/generated/client.ts';
import type { Db } from './prisma-client.ts';
import { isUniqueViolation } from './prisma-errors.ts';

type OutboxRow = { id: number; payload: string; createdAt: Date };
type LineRow = { clientId: string; direction: string; payload: string; createdAt: Date };

const outEntry = (r: OutboxRow): ChatEntry => ({
  key: `o${r.id}`,
  dir: 'out',
  at: r.createdAt.toISOString(),
  message: JSON.parse(r.payload) as unknown,
  eventId: r.id,
});
const lineEntry = (r: LineRow): ChatEntry => ({
  key: `w:${r.clientId}`,
  dir: r.direction === 'out' ? 'out' : 'in',
  at: r.createdAt.toISOString(),
  message: JSON.parse(r.payload) as unknown,
});

/**
 * Outbox rows the chat shows. The web sender marks rows sent whether or not a browser was open,
 * so the history reads them here; pending rows count too, unless held for later.
 */
function shownOutbox(chatId: string, now: Date): Prisma.OutboxMessageWhereInput {
  return {
    channel: 'web',
    chatId,
    OR: [{ status: { in: ['sent', 'sending'] } }, { status: 'pending', nextAttemptAt: { lte: now } }],
  };
}

/**
 * The browser names photos by their random key only: a bot message's attachment ids become
 * `photoKeys` (ids never reach the page, so they cannot be walked).
 */
async function withPhotoKeys(db: Db, entries: ChatEntry[]): Promise<ChatEntry[]> {
  const ids = entries.flatMap((e) => (e.message as { photoAttachmentIds?: number[] }).photoAttachmentIds ?? []);
  if (!ids.length) return entries;
  const rows = await db.attachment.findMany({ where: { id: { in: ids } }, select: { id: true, publicKey: true } });
  const keyOf = new Map(rows.map((r) => [r.id, r.publicKey]));
  return entries.map((e) => {
    const { photoAttachmentIds, ...rest } = e.message as { photoAttachmentIds?: number[] };
    if (!photoAttachmentIds) return e;
    return { ...e, message: { ...rest, photoKeys: photoAttachmentIds.flatMap((id) => keyOf.get(id) ?? []) } };
  });
}

export function createWebChatStore(db: Db, clock: () => Date = () => new Date()) {
  return {
    /** The person's web chat: their first web identity, or `p<personId>` created on first use. */
    async addressFor(personId: number): Promise<WebChatAddress> {
      const found = await db.chatIdentity.findFirst({ where: { personId, channel: 'web' }, orderBy: { id: 'asc' } });
      if (found) return { chatId: found.chatId, userId: found.externalId };
      const externalId = `p${personId}`;
      const row = await db.chatIdentity.upsert({
        where: { channel_externalId: { channel: 'web', externalId } },
        create: { channel: 'web', externalId, chatId: externalId, personId },
        update: {},
      });
      return { chatId: row.chatId, userId: row.externalId };
    },

    /** Stores a line once per (chat, clientId); `fresh` is false for a repeated POST. */
    async recordLine(
      chatId: string,
      clientId: string,
      direction: 'in' | 'out',
      payload: unknown,
    ): Promise<{ entry: ChatEntry; fresh: boolean }> {
      try {
        const row = await db.webChatMessage.create({
          data: { chatId, clientId, direction, payload: JSON.stringify(payload), createdAt: clock() },
        });
        return { entry: lineEntry(row), fresh: true };
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        const row = await db.webChatMessage.findUniqueOrThrow({ where: { chatId_clientId: { chatId, clientId } } });
        return { entry: lineEntry(row), fresh: false };
      }
    },

    async hasLine(chatId: string, clientId: string): Promise<boolean> {
      return (await db.webChatMessage.count({ where: { chatId, clientId } })) > 0;
    },

    /**
     * The newest `limit` entries of the chat, oldest first (a person's line sorts before a reply
     * of the same instant), and the newest outbox id shown: the event stream resumes after it.
     */
    async history(chatId: string, limit: number): Promise<{ entries: ChatEntry[]; lastEventId: number }> {
      const [lines, outs] = await Promise.all([
        db.webChatMessage.findMany({ where: { chatId }, orderBy: { id: 'desc' }, take: limit }),
        db.outboxMessage.findMany({
          where: shownOutbox(chatId, clock()),
          orderBy: { id: 'desc' },
          take: limit,
          select: { id: true, payload: true, createdAt: true },
        }),
      ]);
      const lastEventId = outs[0]?.id ?? 0;
      const merged = [
        ...lines.reverse().map((r) => ({ t: r.createdAt.getTime(), rank: 0, seq: r.id, e: lineEntry(r) })),
        ...outs.reverse().map((r) => ({ t: r.createdAt.getTime(), rank: 1, seq: r.id, e: outEntry(r) })),
      ].sort((a, b) => a.t - b.t || a.rank - b.rank || a.seq - b.seq);
      return {
        entries: await withPhotoKeys(
          db,
          merged.slice(-limit).map((m) => m.e),
        ),
        lastEventId,
      };
    },

    /** Bot messages after an SSE event id, for a browser resuming its stream. */
    async outboxAfter(chatId: string, afterId: number, limit = 200): Promise<ChatEntry[]> {
      const rows = await db.outboxMessage.findMany({
        where: { AND: [shownOutbox(chatId, clock()), { id: { gt: afterId } }] },
        orderBy: { id: 'asc' },
        take: limit,
        select: { id: true, payload: true, createdAt: true },
      });
      return withPhotoKeys(db, rows.map(outEntry));
    },

    /** A live message's photos named by their keys, as the history names them. */
    async publishable(entry: ChatEntry): Promise<ChatEntry> {
      return (await withPhotoKeys(db, [entry]))[0]!;
    },

    /** The row the delivery worker is sending to this chat right now (see webchat-sender.ts). */
    async deliveringRow(chatId: string): Promise<OutboxRow | null> {
      return db.outboxMessage.findFirst({
        where: { channel: 'web', chatId, status: 'sending' },
        orderBy: { id: 'asc' },
        select: { id: true, payload: true, createdAt: true },
      });
    },

    /**
     * Photos a message may carry (named by their keys): uploaded by this person and, unless the message is a repeat
     * of one already handled, not yet part of a case. Anything else is refused, so nobody
     * attaches another person's evidence by guessing ids. The EXIF position comes from the
     * stored row, never from the page.
     */
    async ownPhotos(personId: number, keys: string[], opts: { loose: boolean }): Promise<InboundPhoto[]> {
      const unique = [...new Set(keys)];
      const rows = await db.attachment.findMany({
        where: { publicKey: { in: unique }, uploadedById: personId, ...(opts.loose ? { caseId: null } : {}) },
        select: { id: true, publicKey: true, exifLat: true, exifLng: true },
      });
      if (rows.length !== unique.length) throw new ValidationError('照片不存在或已提交，请重新上传');
      const byKey = new Map(rows.map((r) => [r.publicKey, r]));
      return unique.map((key) => {
        const r = byKey.get(key)!;
        return { attachmentId: r.id, exifLat: r.exifLat, exifLng: r.exifLng };
      });
    },
  };
}

export type WebChatStore = ReturnType<typeof createWebChatStore>;
