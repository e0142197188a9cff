import type { VerificationWatchPort } from '../core/schedule/verification-watch.ts';
import { sqlOf, type Db } from './prisma-client.ts';
import { sqlDate } from './sql-values.ts';

export function createVerificationTaskStore(db: Db): VerificationWatchPort {
  const sql = sqlOf(db);
  return {
    async lapsedTasks(now, limit) {
      // The store's own SQL unit: its placeholders and dates work on both engines.
      const rows = await sql.transaction((tx) =>
        tx.all<{ caseId: number }>(
          `SELECT t."caseId" AS "caseId" FROM "VerificationTask" t JOIN "Case" c ON c."id" = t."caseId"
           WHERE t."doneAt" IS NULL AND t."dueAt" <= ? AND c."status" = 'resolved'
           ORDER BY t."dueAt" LIMIT ?`,
          sqlDate(now),
          limit,
        ),
      );
      return rows.map((r) => Number(r.caseId));
    },
  };
}
