import type { Engine } from './db-engine.ts';
import { sqlOf, type Db } from './prisma-client.ts';
import { sqlDate } from './sql-values.ts';

export interface PurgeCounts {
  processedUpdates: number;
  webSessions: number;
  loginLinks: number;
}

/** Rows deleted per unit of work: a backlog is cleared in short steps that chat messages slot between. */
const CHUNK = 2000;

/**
 * Deletes bookkeeping rows nobody needs any more: inbound update ids older than the redelivery
 * window, and web sessions and login links long past their expiry.
 */
export function createHousekeepingStore(db: Db) {
  const sql = sqlOf(db);

  async function inChunks(statement: string | ((dialect: Engine) => string), before: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await sql.transaction(
        async (tx) =>
          (await tx.run(typeof statement === 'string' ? statement : statement(tx.dialect), sqlDate(before), CHUNK))
            .changes,
      );
      total += n;
      if (n < CHUNK) return total;
    }
  }

  return {
    async purge(p: { processedBefore: Date; expiredBefore: Date }): Promise<PurgeCounts> {
      return {
        // processedAt has no index (it would cost a page write per chat message). Rows are
        // inserted in time order, so each step takes the oldest rows by rowid; it stops early at
        // one still young enough to keep, and what lies behind it goes on a later night.
        // PostgreSQL has no rowid: its chunks are any old rows, found by a scan (fine once a night).
        processedUpdates: await inChunks(
          (dialect) =>
            dialect === 'sqlite'
              ? 'DELETE FROM "ProcessedUpdate" WHERE "processedAt" < ? AND rowid IN (SELECT rowid FROM "ProcessedUpdate" ORDER BY rowid LIMIT ?)'
              : 'DELETE FROM "ProcessedUpdate" WHERE ctid IN (SELECT ctid FROM "ProcessedUpdate" WHERE "processedAt" < ? LIMIT ?)',
          p.processedBefore,
        ),
        webSessions: await inChunks(
          'DELETE FROM "WebSession" WHERE "id" IN (SELECT "id" FROM "WebSession" WHERE "expiresAt" < ? LIMIT ?)',
          p.expiredBefore,
        ),
        loginLinks: await inChunks(
          'DELETE FROM "LoginLink" WHERE "id" IN (SELECT "id" FROM "LoginLink" WHERE "expiresAt" < ? LIMIT ?)',
          p.expiredBefore,
        ),
      };
    },
  };
}
