import type { VerificationWatchPort } from '../core/schedule/verification-watch.ts';
import type { Db } from './prisma-client.ts';
import { sqlDate } from './sql-values.ts';

export function createVerificationTaskStore(db: Db): VerificationWatchPort {
  return {
    async lapsedTasks(now, limit) {
      const rows = await db.$queryRawUnsafe<Array<{ caseId: number }>>(
        `SELECT t."caseId" AS caseId FROM "VerificationTask" t JOIN "Case" c ON c."id" = t."caseId"
         WHERE t."doneAt" IS NULL AND t."dueAt" <= ? AND c."status" = 'resolved'
         ORDER BY t."dueAt" LIMIT ?`,
        sqlDate(now),
        limit,
      );
      return rows.map((r) => Number(r.caseId));
    },
  };
}
