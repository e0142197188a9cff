import { notInList } from './sql-dialect.ts';
import type {
  CasePhotoPoints,
  NewVerificationTask,
  PhotoPoint,
  VerificationOutcome,
  VerificationTaskRow,
} from '../core/case/case-port.ts';
import type { SqlTx } from './sql-connection.ts';
import { dateOrNull, sqlDate } from './sql-values.ts';

type Ops = {
  casePhotoPoints(caseId: number): Promise<CasePhotoPoints>;
  openVerificationTask(t: NewVerificationTask): Promise<number | null>;
  verificationTask(caseId: number): Promise<VerificationTaskRow | null>;
  finishVerificationTask(caseId: number, outcome: VerificationOutcome, at: Date): Promise<void>;
};

/** The 核查 task reads and writes of the case store's transaction (part of CaseTx). */
export function verificationTaskOps(tx: SqlTx): Ops {
  const finish = (caseId: number, outcome: VerificationOutcome, at: Date) =>
    tx.run(
      'UPDATE "VerificationTask" SET "doneAt" = ?, "outcome" = ? WHERE "caseId" = ? AND "doneAt" IS NULL',
      sqlDate(at),
      outcome,
      caseId,
    );
  return {
    async casePhotoPoints(caseId) {
      const rows = await tx.all<PhotoPoint & { type: string | null; eventId: number | null }>(
        `SELECT a."id", a."exifLat" AS "lat", a."exifLng" AS "lng", a."eventId", e."type"
         FROM "Attachment" a LEFT JOIN "CaseEvent" e ON e."id" = a."eventId"
         WHERE a."caseId" = ? ORDER BY a."id"`,
        caseId,
      );
      const lastResolved = rows.filter((r) => r.type === 'resolved').reduce((m, r) => Math.max(m, r.eventId!), 0);
      const point = (r: PhotoPoint): PhotoPoint => ({ id: r.id, lat: r.lat, lng: r.lng });
      return {
        // Before: what the reporter (and followers) sent, not evidence of later steps.
        report: rows.filter((r) => r.type === null || r.type === 'submitted' || r.type === 'supplemented').map(point),
        resolution: rows.filter((r) => r.type === 'resolved' && r.eventId === lastResolved).map(point),
      };
    },
    async openVerificationTask(t) {
      await finish(t.caseId, 'superseded', t.at);
      // Fairly: the active inspector of the street with the fewest open tasks, then the longest-serving.
      const inspector =
        t.streetId === null
          ? undefined
          : await tx.get<{ id: number }>(
              `SELECT p."id" FROM "Person" p
               WHERE p."role" = 'inspector' AND p."active" = TRUE AND p."streetId" = ?
                 AND ${notInList(tx.dialect, 'p."id"', 'int')}
               ORDER BY (SELECT COUNT(*) FROM "VerificationTask" v WHERE v."inspectorId" = p."id" AND v."doneAt" IS NULL), p."id"
               LIMIT 1`,
              t.streetId,
              JSON.stringify(t.excludePersonIds),
            );
      await tx.run(
        `INSERT INTO "VerificationTask" ("caseId", "inspectorId", "dueAt", "distanceM", "warning", "createdAt") VALUES (?, ?, ?, ?, ?, ?)`,
        t.caseId,
        inspector?.id ?? null,
        sqlDate(t.dueAt),
        t.distanceM,
        t.warning,
        sqlDate(t.at),
      );
      return inspector?.id ?? null;
    },
    async verificationTask(caseId) {
      const r = await tx.get<Omit<VerificationTaskRow, 'dueAt'> & { dueAt: string }>(
        `SELECT "id", "caseId", "inspectorId", "dueAt", "distanceM", "warning" FROM "VerificationTask"
         WHERE "caseId" = ? AND "doneAt" IS NULL ORDER BY "id" DESC LIMIT 1`,
        caseId,
      );
      return r ? { ...r, dueAt: dateOrNull(r.dueAt)! } : null;
    },
    async finishVerificationTask(caseId, outcome, at) {
      await finish(caseId, outcome, at);
    },
  };
}
