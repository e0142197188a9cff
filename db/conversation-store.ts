import type { ConversationKey, ConversationPort, FlowState } from '../bot/bot-ports.ts';
import type { Channel } from '../bot/inbound-types.ts';
import { sqlOf, type Db } from './prisma-client.ts';
import type { SqlTx } from './sql-connection.ts';
import { dateOrNull, sqlDate, sqlDateOrNull } from './sql-values.ts';

/** A flow state row as read (the columns of CONVERSATION_COLUMNS). */
export type ConversationRow = { flow: string; step: string; data: string; expiresAt: string | Date | null };
export const CONVERSATION_COLUMNS = '"flow", "step", "data", "expiresAt"';
export const toState = (r: ConversationRow): FlowState => ({
  flow: r.flow,
  step: r.step,
  data: JSON.parse(r.data) as Record<string, unknown>,
  expiresAt: dateOrNull(r.expiresAt),
});

/** Writes a chat's flow state inside the caller's unit of work (one row per chat and user). */
export async function saveConversation(tx: SqlTx, k: ConversationKey, state: FlowState): Promise<void> {
  const now = sqlDate(new Date());
  await tx.run(
    `INSERT INTO "Conversation" ("channel", "chatId", "userId", "flow", "step", "data", "expiresAt", "updatedAt", "createdAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT ("channel", "chatId", "userId") DO UPDATE SET "flow" = excluded."flow", "step" = excluded."step", "data" = excluded."data", "expiresAt" = excluded."expiresAt", "updatedAt" = excluded."updatedAt"`,
    k.channel,
    k.chatId,
    k.userId,
    state.flow,
    state.step,
    JSON.stringify(state.data),
    sqlDateOrNull(state.expiresAt),
    now,
    now,
  );
}

export async function clearConversation(tx: SqlTx, k: ConversationKey): Promise<void> {
  await tx.run(
    'DELETE FROM "Conversation" WHERE "channel" = ? AND "chatId" = ? AND "userId" = ?',
    k.channel,
    k.chatId,
    k.userId,
  );
}

/**
 * Flow state in SQLite: a restart or a second server process picks up where the chat left off.
 * Every chat message loads and saves it, so it runs on prepared statements rather than Prisma.
 */
export function createConversationStore(db: Db): ConversationPort {
  const sql = sqlOf(db);
  return {
    load: (k) =>
      sql.transaction(async (tx) => {
        const row = await tx.get<ConversationRow>(
          `SELECT ${CONVERSATION_COLUMNS} FROM "Conversation" WHERE "channel" = ? AND "chatId" = ? AND "userId" = ?`,
          k.channel,
          k.chatId,
          k.userId,
        );
        return row ? toState(row) : null;
      }),
    save: (k, state) => sql.transaction((tx) => saveConversation(tx, k, state)),
    clear: (k) => sql.transaction((tx) => clearConversation(tx, k)),
    async expired(now, limit) {
      const rows = await db.conversation.findMany({
        where: { expiresAt: { lte: now } },
        take: limit,
        orderBy: { expiresAt: 'asc' },
      });
      return rows.map((r) => ({
        channel: r.channel as Channel,
        chatId: r.chatId,
        userId: r.userId,
        flow: r.flow,
        step: r.step,
        data: JSON.parse(r.data) as Record<string, unknown>,
        expiresAt: r.expiresAt,
      }));
    },
  };
}
