import type {
  FindingOutcome,
  InspectorDay,
  OpenPatrol,
  PatrolFindingView,
  PatrolJobsPort,
} from '../core/schedule/patrol-jobs-port.ts';
import { enqueueAll, type Enqueue } from './deadline-watch-store.ts';
import type { Db } from './prisma-client.ts';

/**
 * Inspectors' days in [from, to): every active inspector (of one street, or all) who started a
 * patrol or recorded a finding, with their patrols and findings, oldest first. Read by the
 * evening report job and the dashboard's patrol page.
 */
export async function loadInspectorDays(
  db: Db,
  from: Date,
  to: Date,
  streetId: number | null = null,
): Promise<InspectorDay[]> {
  const inScope = { active: true, role: 'inspector', ...(streetId !== null ? { streetId } : {}) };
  const [patrols, findings] = await Promise.all([
    db.patrol.findMany({
      where: { startedAt: { gte: from, lt: to }, inspector: inScope },
      select: { inspectorId: true, startedAt: true, endedAt: true },
      orderBy: { startedAt: 'asc' },
    }),
    db.patrolFinding.findMany({
      where: { createdAt: { gte: from, lt: to }, inspector: inScope },
      orderBy: { createdAt: 'asc' },
      select: {
        id: true,
        inspectorId: true,
        createdAt: true,
        text: true,
        address: true,
        lat: true,
        lng: true,
        matter: true,
        itemCode: true,
        outcome: true,
        caseId: true,
        attachments: { select: { id: true }, orderBy: { id: 'asc' } },
      },
    }),
  ]);
  const ids = [...new Set([...patrols.map((p) => p.inspectorId), ...findings.map((f) => f.inspectorId)])];
  if (!ids.length) return [];
  const caseIds = findings.map((f) => f.caseId).filter((id): id is number => id !== null);
  const [people, cases] = await Promise.all([
    db.person.findMany({
      where: { id: { in: ids } },
      select: { id: true, displayName: true, streetId: true, street: { select: { name: true } } },
      orderBy: { id: 'asc' },
    }),
    db.case.findMany({
      where: { id: { in: caseIds } },
      select: {
        id: true,
        number: true,
        reporterId: true,
        department: { select: { name: true } },
        attachments: { select: { id: true, uploadedById: true }, orderBy: { id: 'asc' } },
      },
    }),
  ]);
  const caseById = new Map(cases.map((c) => [c.id, c]));
  const view = (f: (typeof findings)[number]): PatrolFindingView => {
    const c = f.caseId !== null ? caseById.get(f.caseId) : undefined;
    // A finding filed as a case keeps its photos on the case: the ones the inspector sent.
    const photos = f.attachments.length
      ? f.attachments.map((a) => a.id)
      : (c?.attachments.filter((a) => a.uploadedById === f.inspectorId).map((a) => a.id) ?? []);
    return {
      id: f.id,
      inspectorId: f.inspectorId,
      at: f.createdAt,
      text: f.text,
      address: f.address,
      lat: f.lat,
      lng: f.lng,
      matter: f.matter ?? f.itemCode,
      photos: photos.length,
      firstPhotoId: photos[0] ?? null,
      outcome: f.outcome as FindingOutcome,
      caseNumber: c?.number ?? null,
      handler: c?.department?.name ?? null,
    };
  };
  return people.map((p) => ({
    inspectorId: p.id,
    name: p.displayName,
    streetId: p.streetId,
    street: p.street?.name ?? null,
    patrols: patrols.filter((x) => x.inspectorId === p.id).map((x) => ({ startedAt: x.startedAt, endedAt: x.endedAt })),
    findings: findings.filter((f) => f.inspectorId === p.id).map(view),
  }));
}

export function createPatrolJobsStore(db: Db, outbox: Enqueue): PatrolJobsPort {
  return {
    inspectorDays: (from, to) => loadInspectorDays(db, from, to),
    async teamLeads(streetId) {
      const leads = await db.person.findMany({
        where: { role: 'team_lead', streetId, active: true },
        select: { id: true },
        orderBy: { id: 'asc' },
      });
      return leads.map((l) => l.id);
    },
    async markReported(inspectorId, from, to, at) {
      await db.patrol.updateMany({
        where: { inspectorId, startedAt: { gte: from, lt: to }, reportSentAt: null },
        data: { reportSentAt: at },
      });
    },
    async openPatrols(): Promise<OpenPatrol[]> {
      const open = await db.patrol.findMany({
        where: { endedAt: null },
        select: { id: true, inspectorId: true, startedAt: true },
        orderBy: { id: 'asc' },
      });
      if (!open.length) return [];
      const last = await db.patrolFinding.groupBy({
        by: ['patrolId'],
        where: { patrolId: { in: open.map((p) => p.id) } },
        _max: { createdAt: true },
      });
      const lastOf = new Map(last.map((l) => [l.patrolId, l._max.createdAt]));
      return open.map((p) => ({
        patrolId: p.id,
        inspectorId: p.inspectorId,
        startedAt: p.startedAt,
        lastFindingAt: lastOf.get(p.id) ?? null,
      }));
    },
    async endPatrol(patrolId, at) {
      const { count } = await db.patrol.updateMany({ where: { id: patrolId, endedAt: null }, data: { endedAt: at } });
      return count === 1;
    },
    notify: (notices) => enqueueAll(db, outbox, notices),
  };
}
