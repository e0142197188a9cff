import { assertAttachable } from '../core/evidence/attachment-access-fns.ts';
import type { PatrolPort } from '../bot/bot-ports.ts';
import type { Db } from './prisma-client.ts';

export function createPatrolStore(db: Db): PatrolPort {
  return {
    async open(inspectorId) {
      return db.patrol.findFirst({
        where: { inspectorId, endedAt: null },
        orderBy: { id: 'desc' },
        select: { id: true, startedAt: true },
      });
    },
    async start(inspectorId, streetId, now) {
      return db.patrol.create({
        data: { inspectorId, streetId, startedAt: now },
        select: { id: true, startedAt: true },
      });
    },
    async end(patrolId, now) {
      return db.$transaction(async (tx) => {
        const p = await tx.patrol.findUniqueOrThrow({ where: { id: patrolId } });
        const endedAt = p.endedAt ?? now;
        const findings = await tx.patrolFinding.findMany({ where: { patrolId }, select: { outcome: true } });
        if (!p.endedAt) await tx.patrol.update({ where: { id: patrolId }, data: { endedAt } });
        return {
          patrolId,
          startedAt: p.startedAt,
          endedAt,
          findings: findings.length,
          settled: findings.filter((f) => f.outcome === 'settled').length,
          casesOpened: findings.filter((f) => f.outcome !== 'settled').length,
        };
      });
    },
    async recordFinding(f) {
      if (f.attachmentIds.length) {
        const found = await db.attachment.findMany({
          where: { id: { in: f.attachmentIds } },
          select: { id: true, uploadedById: true, caseId: true },
        });
        assertAttachable(f.attachmentIds, found, f.inspectorId, f.caseId);
      }
      const patrol = await db.patrol.findFirst({
        where: { inspectorId: f.inspectorId, endedAt: null },
        select: { id: true },
      });
      const row = await db.patrolFinding.create({
        data: {
          patrolId: patrol?.id ?? null,
          inspectorId: f.inspectorId,
          text: f.text,
          lat: f.lat,
          lng: f.lng,
          outcome: f.outcome,
          caseId: f.caseId,
          itemCode: f.itemCode,
          matter: f.matter ?? null,
          address: f.address ?? null,
          createdAt: f.now,
        },
      });
      if (f.attachmentIds.length)
        await db.attachment.updateMany({ where: { id: { in: f.attachmentIds } }, data: { findingId: row.id } });
      return row.id;
    },
  };
}
