import type { ConversationPort, FlowState } from '../bot/bot-ports.ts';
import type { Channel } from '../bot/inbound-types.ts';
import type { Db } from './prisma-client.ts';

/** Flow state in SQLite: a restart or a second server process picks up where the chat left off. */
export function createConversationStore(db: Db): ConversationPort {
  const where = (k: { channel: string; chatId: string; userId: string }) => ({ channel_chatId_userId: { channel: k.channel, chatId: k.chatId, userId: k.userId } });
  return {
    async load(key) {
      const row = await db.conversation.findUnique({ where: where(key) });
      return row ? { flow: row.flow, step: row.step, data: JSON.parse(row.data) as Record<string, unknown>, expiresAt: row.expiresAt } : null;
    },
    async save(key, state: FlowState) {
      const data = { flow: state.flow, step: state.step, data: JSON.stringify(state.data), expiresAt: state.expiresAt };
      await db.conversation.upsert({ where: where(key), create: { ...key, ...data }, update: data });
    },
    async clear(key) {
      await db.conversation.deleteMany({ where: { channel: key.channel, chatId: key.chatId, userId: key.userId } });
    },
    async expired(now, limit) {
      const rows = await db.conversation.findMany({ where: { expiresAt: { lte: now } }, take: limit, orderBy: { expiresAt: 'asc' } });
      return rows.map((r) => ({ channel: r.channel as Channel, chatId: r.chatId, userId: r.userId, flow: r.flow, step: r.step, data: JSON.parse(r.data) as Record<string, unknown>, expiresAt: r.expiresAt }));
    },
  };
}
