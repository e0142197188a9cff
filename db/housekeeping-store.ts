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

  async function inChunks(statement: string, before: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await sql.transaction((tx) => tx.run(statement, sqlDate(before), CHUNK).changes);
      total += n;
      if (n < CHUNK) return total;
    }
  }

  return {
    async purge(p: { processedBefore: Date; expiredBefore: Date }): Promise<PurgeCounts> {
      return {
        // processedAt is indexed: each step reads only the rows it deletes.
        processedUpdates: await inChunks(
          'DELETE FROM "ProcessedUpdate" WHERE rowid IN (SELECT rowid FROM "ProcessedUpdate" WHERE "processedAt" < ? LIMIT ?)',
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
