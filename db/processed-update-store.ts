import type { ProcessedUpdatePort } from '../bot/bot-runtime.ts';
import { sqlOf, type Db } from './prisma-client.ts';
import { sqlDate } from './sql-values.ts';

/** Inbound idempotency by (channel, update id): the primary key makes the claim atomic. */
export function createProcessedUpdateStore(db: Db): ProcessedUpdatePort {
  const sql = sqlOf(db);
  return {
    claim: (channel, updateId) =>
      sql.transaction(
        (tx) =>
          tx.run(
            'INSERT OR IGNORE INTO "ProcessedUpdate" ("channel", "updateId", "processedAt") VALUES (?, ?, ?)',
            channel,
            updateId,
            sqlDate(new Date()),
          ).changes === 1,
      ),
    async release(channel, updateId) {
      await sql.transaction((tx) =>
        tx.run('DELETE FROM "ProcessedUpdate" WHERE "channel" = ? AND "updateId" = ?', channel, updateId),
      );
    },
  };
}
