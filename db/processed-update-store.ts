import type { HandledMessageStore } from '../bot/bot-runtime.ts';
import type { ConversationKey, FlowState } from '../bot/bot-ports.ts';
import { OUTBOX_PRIORITY } from '../core/messaging/outbox-port.ts';
import {
  CONVERSATION_COLUMNS,
  clearConversation,
  saveConversation,
  toState,
  type ConversationRow,
} from './conversation-store.ts';
import { ACCOUNT_COLUMNS, toChatAccount, type AccountRow } from './identity-store.ts';
import type { OutboxRowInput, OutboxStore } from './outbox-store.ts';
import { engineOfClient, sqlOf, type Db } from './prisma-client.ts';
import type { SqlValue } from './sql-connection.ts';
import { sqlDate, sqlDateOrNull } from './sql-values.ts';

type Handled = Parameters<HandledMessageStore['commit']>[0];

/**
 * PostgreSQL: the whole commit of a handled message in one statement, so in one round trip and
 * without BEGIN/COMMIT (a statement is atomic on its own): the claim on (channel, update id),
 * then, only if the claim was new, the chat's flow state and the replies. Data-modifying CTEs
 * all run, each guarded by the claim's row. Returns the statement and its parameters.
 */
function pgCommit(
  claim: { channel: string; updateId: string; at: string } | null,
  state: { key: ConversationKey; next: FlowState | null } | null,
  replies: OutboxRowInput[],
  outbox: Pick<OutboxStore, 'pgInsert'>,
): { sql: string; params: SqlValue[] } {
  const parts: string[] = [];
  const params: SqlValue[] = [];
  parts.push(
    claim
      ? `"claim" AS (INSERT INTO "ProcessedUpdate" ("channel", "updateId", "processedAt") VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING 1 AS "x")`
      : `"claim" AS (SELECT 1 AS "x")`,
  );
  if (claim) params.push(claim.channel, claim.updateId, claim.at);
  const claimed = 'EXISTS (SELECT 1 FROM "claim")';
  if (state?.next) {
    const now = sqlDate(new Date());
    parts.push(`"state" AS (
      INSERT INTO "Conversation" ("channel", "chatId", "userId", "flow", "step", "data", "expiresAt", "updatedAt", "createdAt")
      SELECT ?, ?, ?, ?, ?, ?, ?::timestamp(3), ?::timestamp(3), ?::timestamp(3) WHERE ${claimed}
      ON CONFLICT ("channel", "chatId", "userId") DO UPDATE SET "flow" = excluded."flow", "step" = excluded."step", "data" = excluded."data", "expiresAt" = excluded."expiresAt", "updatedAt" = excluded."updatedAt")`);
    const { key: k, next: s } = state;
    params.push(
      k.channel,
      k.chatId,
      k.userId,
      s.flow,
      s.step,
      JSON.stringify(s.data),
      sqlDateOrNull(s.expiresAt),
      now,
      now,
    );
  } else if (state) {
    parts.push(
      `"state" AS (DELETE FROM "Conversation" WHERE "channel" = ? AND "chatId" = ? AND "userId" = ? AND ${claimed})`,
    );
    params.push(state.key.channel, state.key.chatId, state.key.userId);
  }
  if (replies.length) {
    const insert = outbox.pgInsert(replies, claimed);
    parts.push(`"replies" AS (${insert.sql})`);
    params.push(...insert.params);
  }
  return { sql: `WITH ${parts.join(',\n')}\nSELECT count(*) AS "claimed" FROM "claim"`, params };
}

/**
 * Inbound idempotency by (channel, update id). The claim row is inserted in the same unit of work
 * as the message's flow state and replies (the primary key makes it atomic), so a process killed
 * while handling a message leaves no claim behind and the redelivery is handled.
 */
export function createHandledMessageStore(
  db: Db,
  outbox: Pick<OutboxStore, 'enqueue' | 'pgInsert'>,
): HandledMessageStore {
  const sql = sqlOf(db);
  const replyRows = ({ message: m, handled, replyKeyBase }: Handled): OutboxRowInput[] =>
    handled.replies.map((message, i) => ({
      dedupeKey: `${replyKeyBase}:${i}`,
      channel: m.channel,
      chatId: m.chatId,
      message,
      priority: OUTBOX_PRIORITY.reply,
    }));
  const seen = (channel: string, updateId: string) =>
    sql.transaction(
      async (tx) =>
        (await tx.get('SELECT 1 FROM "ProcessedUpdate" WHERE "channel" = ? AND "updateId" = ?', channel, updateId)) !==
        undefined,
    );
  return {
    seen,
    async arrive(m) {
      // SQLite: three in-process reads cost less than one that joins them; the handler reads on.
      if (engineOfClient(db) !== 'postgres') return { seen: m.updateId ? await seen(m.channel, m.updateId) : false };
      // PostgreSQL: every message's first three reads (was the update seen, who sent it, the
      // chat's flow state) in one round trip: each was one before, a third of a report's.
      const row = await sql.statement((tx) =>
        tx.get<{ seen: boolean; accountId: number | null; flowStep: string | null } & AccountRow & ConversationRow>(
          `SELECT EXISTS (SELECT 1 FROM "ProcessedUpdate" WHERE "channel" = ? AND "updateId" = ?) AS "seen",
             a.*, a."id" AS "accountId", s.*, s."step" AS "flowStep"
           FROM (SELECT 1 AS "one") o
           LEFT JOIN (SELECT ${ACCOUNT_COLUMNS} FROM "ChatIdentity" i JOIN "Person" p ON p."id" = i."personId"
             WHERE i."channel" = ? AND i."externalId" = ?) a ON TRUE
           LEFT JOIN (SELECT ${CONVERSATION_COLUMNS} FROM "Conversation" WHERE "channel" = ? AND "chatId" = ? AND "userId" = ?) s ON TRUE`,
          m.channel,
          m.updateId ?? null, // no id: nothing matches
          m.channel,
          m.userId,
          m.channel,
          m.chatId,
          m.userId,
        ),
      );
      const r = row!; // always one row: the LEFT JOINs hang off a constant one
      if (r.seen) return { seen: true };
      return {
        seen: false,
        snapshot: {
          account: r.accountId !== null ? toChatAccount(r) : null,
          state: r.flowStep !== null ? toState(r) : null,
        },
      };
    },
    commit: (c) => {
      const { message: m, handled } = c;
      if (engineOfClient(db) === 'postgres') {
        const statement = pgCommit(
          m.updateId ? { channel: m.channel, updateId: m.updateId, at: sqlDate(new Date()) } : null,
          handled.state ? { key: handled.state.key, next: handled.state.next ?? null } : null,
          replyRows(c),
          outbox,
        );
        return sql.statement(
          async (tx) => Number((await tx.get<{ claimed: number }>(statement.sql, ...statement.params))!.claimed) > 0,
        );
      }
      return sql.transaction(async (tx) => {
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
        await outbox.enqueue(tx, replyRows(c));
        return true;
      });
    },
  };
}
