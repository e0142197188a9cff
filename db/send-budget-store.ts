import { budgetView, budgetWaitMs, longestWindowMs, type BudgetUse } from '../core/messaging/send-budget-fns.ts';
import type { Reservation, SendBudgetPort } from '../core/messaging/send-budget-port.ts';
import { sqlOf, type Db } from './prisma-client.ts';
import type { SqlTx, SqlValue } from './sql-connection.ts';
import { inList } from './sql-dialect.ts';
import { sqlBool, sqlDate } from './sql-values.ts';

interface UseRow {
  chatId: string;
  isGroup: number | boolean;
  cost: number;
  endsAt: string | Date;
  inFlight: number | boolean;
}

const toUse = (r: UseRow): BudgetUse => ({
  chatId: r.chatId,
  group: Boolean(r.isGroup),
  cost: Number(r.cost),
  endsAt: new Date(r.endsAt).getTime(),
  inFlight: Boolean(r.inFlight),
});

const MINUTE = 60_000;
const SECOND = 1_000;
/** How often a process deletes a channel's sends that no window counts any more. */
const PURGE_EVERY_MS = 10_000;
const COLUMNS = '"chatId", "isGroup", "cost", "endsAt", "inFlight"';

/** Ends a send's use of the budget (finish); also run by the outbox's markSent with `endsUse`. */
export const FINISH_USE_SQL =
  'UPDATE "SendUse" SET "endsAt" = ?, "inFlight" = FALSE WHERE "id" = ? AND "inFlight" = TRUE';

/**
 * The send budget every process shares, as rows of SendUse: one per send started, read back by
 * the arithmetic the in-process limiter uses (core/messaging/send-budget-fns.ts).
 *
 * A reservation is one transaction that first takes the channel's transaction-scoped advisory
 * lock on PostgreSQL, so reservations for a channel run one after the other across processes and
 * each reads every send committed before it (READ COMMITTED takes a fresh snapshot per
 * statement, after the lock). Counting rows under a lock keeps the limiter's exact timing
 * (in-flight sends, each send's own end), which a single counter row could not. On SQLite (one
 * process, whose units run one at a time on one connection) the same statements need no lock;
 * there the worker uses its in-process limiter alone, and this store serves the tests.
 */
export function createSendBudgetStore(db: Db): SendBudgetPort {
  const sql = sqlOf(db);
  const lastPurge = new Map<string, number>();

  /**
   * The sends budgetView/budgetWaitMs need: the channel's of the last second and of the last
   * `chatSpan` (the per-chat interval), and group chats' of the last minute; with `chats`, every
   * send to those chats in that time and the channel's other sends of the last second only.
   */
  const recent = async (tx: SqlTx, channel: string, at: number, chatSpan: number, chats?: string[]) => {
    const since = sqlDate(new Date(at - Math.max(SECOND, chatSpan)));
    const groupSince = sqlDate(new Date(at - Math.max(MINUTE, chatSpan)));
    const rows =
      chats === undefined
        ? await tx.all<UseRow>(
            `SELECT ${COLUMNS} FROM "SendUse" WHERE "channel" = ? AND "endsAt" > ? AND ("endsAt" > ? OR "isGroup" = TRUE)`,
            channel,
            groupSince,
            since,
          )
        : await tx.all<UseRow>(
            `SELECT ${COLUMNS} FROM "SendUse" WHERE "channel" = ? AND "endsAt" > ?
               AND ("endsAt" > ? OR ${inList(tx.dialect, '"chatId"', 'text')})`,
            channel,
            groupSince,
            sqlDate(new Date(at - SECOND)),
            JSON.stringify(chats),
          );
    return rows.map(toUse);
  };

  return {
    view: (channel, limits, now) =>
      sql.transaction(async (tx) => {
        const at = now.getTime();
        return budgetView(await recent(tx, channel, at, limits.perChatIntervalMs ?? 0), limits, at);
      }),

    async reserve(channel, limits, requests, now) {
      if (requests.length === 0) return [];
      const at = now.getTime();
      // What no window counts any more goes, so the table holds about a minute of sends. The
      // reads below skip such rows anyway, so this runs at most every few seconds per channel,
      // on its own, not inside the locked reservation that every process waits for.
      if (at - (lastPurge.get(channel) ?? -Infinity) >= PURGE_EVERY_MS || at < (lastPurge.get(channel) ?? 0)) {
        lastPurge.set(channel, at);
        await sql.statement((tx) =>
          tx.run(
            'DELETE FROM "SendUse" WHERE "channel" = ? AND "endsAt" <= ?',
            channel,
            sqlDate(new Date(at - Math.max(longestWindowMs(limits), SECOND))),
          ),
        );
      }
      return sql.transaction(async (tx) => {
        if (tx.dialect === 'postgres')
          await tx.run('SELECT pg_advisory_xact_lock(hashtext(?))', `send-budget:${channel}`);
        const uses = await recent(tx, channel, at, limits.perChatIntervalMs ?? 0, [
          ...new Set(requests.map((r) => r.chatId)),
        ]);
        const decided = requests.map((r) => {
          const waitMs = budgetWaitMs(uses, limits, r.chatId, r.group, r.cost, at);
          if (waitMs > 0) return { waitMs };
          const endsAt = Math.max(r.holdUntil.getTime(), at + 1);
          uses.push({ chatId: r.chatId, group: r.group, cost: r.cost, endsAt, inFlight: true });
          return { row: [channel, r.chatId, sqlBool(r.group), r.cost, sqlDate(new Date(endsAt))] as SqlValue[] };
        });
        const rows = decided.flatMap((d) => (d.row ? [d.row] : []));
        // The granted sends in one INSERT: ids come in the VALUES order, so sorted they match it.
        const ids = rows.length
          ? (
              await tx.all<{ id: number }>(
                `INSERT INTO "SendUse" ("channel", "chatId", "isGroup", "cost", "endsAt", "inFlight") VALUES ${rows.map(() => '(?, ?, ?, ?, ?, TRUE)').join(', ')} RETURNING "id"`,
                ...rows.flat(),
              )
            )
              .map((r) => Number(r.id))
              .sort((a, b) => a - b)
          : [];
        let next = 0;
        return decided.map((d): Reservation =>
          d.row ? { granted: true, useId: ids[next++]! } : { granted: false, waitMs: d.waitMs },
        );
      });
    },

    async finish(useId, endedAt) {
      // One statement: on PostgreSQL one round trip, without BEGIN/COMMIT.
      await sql.statement((tx) => tx.run(FINISH_USE_SQL, sqlDate(endedAt), useId));
    },
  };
}
