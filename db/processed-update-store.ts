import type { HandledMessageStore } from '../bot/bot-runtime.ts';
import { OUTBOX_PRIORITY } from '../core/messaging/outbox-port.ts';
import { clearConversation, saveConversation } from './conversation-store.ts';
import type { OutboxStore } from './outbox-store.ts';
import { sqlOf, type Db } from './prisma-client.ts';
import { sqlDate } from './sql-values.ts';

/**
 * Inbound idempotency by (channel, update id). The claim row is inserted in the same unit of work
 * as the message's flow state and replies (the primary key makes it atomic), so a process killed
 * while handling a message leaves no claim behind and the redelivery is handled.
 */
export function createHandledMessageStore(db: Db, outbox: Pick<OutboxStore, 'enqueue'>): HandledMessageStore {
  const sql = sqlOf(db);
  return {
    seen: (channel, updateId) =>
      sql.transaction(
        async (tx) =>
          (await tx.get(
            'SELECT 1 FROM "ProcessedUpdate" WHERE "channel" = ? AND "updateId" = ?',
            channel,
            updateId,
          )) !== undefined,
      ),
    commit: ({ message: m, handled, replyKeyBase }) =>
      sql.transaction(async (tx) => {
        if (m.updateId) {
          const { changes: claimed } = await tx.run(
            'INSERT INTO "ProcessedUpdate" ("channel", "updateId", "processedAt") VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
            m.channel,
            m.updateId,
            sqlDate(new Date()),
          );
          if (claimed === 0) return false;
        }
        if (handled.state) {
          if (handled.state.next) await saveConversation(tx, handled.state.key, handled.state.next);
          else await clearConversation(tx, handled.state.key);
        }
        await outbox.enqueue(
          tx,
          handled.replies.map((message, i) => ({
            dedupeKey: `${replyKeyBase}:${i}`,
            channel: m.channel,
            chatId: m.chatId,
            message,
            priority: OUTBOX_PRIORITY.reply,
          })),
        );
        return true;
      }),
  };
}
