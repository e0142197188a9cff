import type { CaseRow, CaseStore, CaseTx, ItemRef, NewCase } from '../core/case/case-port.ts';
import type { CaseStatus, Handling, Mode721 } from '../core/case/case-types.ts';
import { caseNumber } from '../core/case/case-format-fns.ts';
import { distanceM } from '../core/geo/geo-measure-fns.ts';
import type { OutboundMessage } from '../core/messaging/outbound-types.ts';
import type { Db, Tx } from './prisma-client.ts';

export type EnqueueForPeople = (tx: Tx, personIds: number[], message: OutboundMessage, dedupeKeyBase: string, caseId?: number) => Promise<unknown>;

const OPEN: CaseStatus[] = ['triage', 'dispatched', 'accepted', 'resolved'];
const caseInclude = {
  item: { include: { version: { select: { version: true } } } },
  street: { select: { name: true } },
  department: { select: { name: true } },
  events: { where: { type: 'resolved' }, orderBy: { id: 'desc' as const }, take: 1, select: { actorId: true } },
};

type ItemRecord = { id: number; code: string; name: string; level: string; post: string | null; department: string | null; legalBasis: string; responseHours: number; handlingHours: number; timeBasis: string; urgent: boolean; mode721: string; version: { version: string } };

function toItemRef(i: ItemRecord): ItemRef {
  return {
    id: i.id, code: i.code, name: i.name, version: i.version.version, level: i.level as ItemRef['level'], post: i.post, department: i.department,
    legalBasis: i.legalBasis, responseHours: i.responseHours, handlingHours: i.handlingHours, timeBasis: i.timeBasis as ItemRef['timeBasis'], urgent: i.urgent, mode721: i.mode721 as Mode721,
  };
}

// Prisma's inferred row type with the include above; kept loose on purpose, mapped field by field.
type CaseRecord = Awaited<ReturnType<Tx['case']['findUniqueOrThrow']>> & {
  item: ItemRecord | null; street: { name: string } | null; department: { name: string } | null; events: Array<{ actorId: number | null }>;
};

function toCaseRow(r: CaseRecord): CaseRow {
  return {
    id: r.id, number: r.number, status: r.status as CaseStatus, handling: r.handling as Handling | null, streetId: r.streetId, departmentId: r.departmentId,
    reporterId: r.reporterId, assigneeId: r.assigneeId, resolvedById: r.events[0]?.actorId ?? null, unsatisfiedCount: r.unsatisfiedCount,
    text: r.text, lat: r.lat, lng: r.lng, address: r.address, post: r.post, urgent: r.urgent, itemId: r.itemId, item: r.item ? toItemRef(r.item) : null,
    streetName: r.street?.name ?? null, departmentName: r.department?.name ?? null, dueAt: r.dueAt, responseDueAt: r.responseDueAt, createdAt: r.createdAt,
    resolvedAt: r.resolvedAt, closedAt: r.closedAt, outcome: r.outcome, mode721: r.mode721 as Mode721 | null, mergedIntoId: r.mergedIntoId,
    reopenCount: r.reopenCount, reworkCount: r.reworkCount, returnCount: r.returnCount,
  };
}

function caseTx(tx: Tx, enqueue: EnqueueForPeople): CaseTx {
  const load = async (where: { id: number } | { number: string }) => {
    const r = await tx.case.findUnique({ where, include: caseInclude });
    return r ? toCaseRow(r as CaseRecord) : null;
  };
  return {
    async nextCaseNumber(prefix, day) {
      const key = day.replace(/-/g, '');
      const row = await tx.caseCounter.upsert({ where: { day: key }, create: { day: key, last: 1 }, update: { last: { increment: 1 } } });
      return caseNumber(prefix, key, row.last);
    },
    async activeItem(code) {
      const i = await tx.powerItem.findFirst({ where: { code, version: { active: true } }, include: { version: { select: { version: true } } } });
      return i ? toItemRef(i) : null;
    },
    async streetIdByName(name) {
      return (await tx.street.findUnique({ where: { name }, select: { id: true } }))?.id ?? null;
    },
    async departmentIdByName(name) {
      return (await tx.department.findUnique({ where: { name }, select: { id: true } }))?.id ?? null;
    },
    async insertCase(data: NewCase) {
      const { routingReasons, ...rest } = data;
      const r = await tx.case.create({ data: { ...rest, routingReasons: JSON.stringify(routingReasons) }, select: { id: true } });
      return (await load({ id: r.id }))!;
    },
    getCase: load,
    async updateCase(id, patch) {
      await tx.case.update({ where: { id }, data: patch });
      return (await load({ id }))!;
    },
    async appendEvent(e) {
      const row = await tx.caseEvent.create({
        data: { caseId: e.caseId, type: e.type, fromStatus: e.fromStatus, toStatus: e.toStatus, actorId: e.actorId, actorRole: e.actorRole, note: e.note ?? null, data: JSON.stringify(e.data ?? {}), createdAt: e.at },
      });
      if (e.attachmentIds?.length) await tx.attachment.updateMany({ where: { id: { in: e.attachmentIds } }, data: { caseId: e.caseId, eventId: row.id } });
      return row.id;
    },
    async findOpenDuplicate({ itemCode, lat, lng, radiusM, since }) {
      const dLat = radiusM / 111_320;
      const dLng = radiusM / (111_320 * Math.cos((lat * Math.PI) / 180));
      const rows = await tx.case.findMany({
        where: { status: { in: OPEN }, createdAt: { gte: since }, lat: { gte: lat - dLat, lte: lat + dLat }, lng: { gte: lng - dLng, lte: lng + dLng }, item: { code: itemCode } },
        include: caseInclude,
        take: 20,
      });
      const near = rows.map((r) => toCaseRow(r as CaseRecord)).filter((c) => distanceM({ lat, lng }, { lat: c.lat!, lng: c.lng! }) <= radiusM);
      near.sort((a, b) => distanceM({ lat, lng }, { lat: a.lat!, lng: a.lng! }) - distanceM({ lat, lng }, { lat: b.lat!, lng: b.lng! }));
      return near[0] ?? null;
    },
    async addSubscriber(caseId, personId) {
      await tx.caseSubscriber.upsert({ where: { caseId_personId: { caseId, personId } }, create: { caseId, personId }, update: {} });
    },
    async followers(caseId) {
      const c = await tx.case.findUniqueOrThrow({ where: { id: caseId }, select: { reporterId: true, subscribers: { select: { personId: true } } } });
      return [...new Set([c.reporterId, ...c.subscribers.map((s) => s.personId)])];
    },
    async handlers(handling, streetId, departmentId) {
      const where =
        handling === 'department' && departmentId !== null ? { role: 'dept_liaison', departmentId }
        : handling === 'street' && streetId !== null ? { role: 'team_lead', streetId }
        : { role: 'district_admin' };
      const people = await tx.person.findMany({ where: { ...where, active: true }, select: { id: true } });
      if (people.length || where.role === 'district_admin') return people.map((p) => p.id);
      // Nobody bound for that street or department yet: the bureau must still hear of it.
      return (await tx.person.findMany({ where: { role: 'district_admin', active: true }, select: { id: true } })).map((p) => p.id);
    },
    async personInStreet(personId, streetId, roles) {
      return (await tx.person.count({ where: { id: personId, streetId, role: { in: roles }, active: true } })) > 0;
    },
    async ratingsSince(caseId, personId, since) {
      return tx.rating.count({ where: { caseId, personId, createdAt: { gte: since } } });
    },
    async setLatestRatingComment(caseId, personId, comment) {
      const r = await tx.rating.findFirst({ where: { caseId, personId }, orderBy: { id: 'desc' } });
      if (!r) return false;
      await tx.rating.update({ where: { id: r.id }, data: { comment } });
      return true;
    },
    async insertRating(r) {
      await tx.rating.create({ data: { caseId: r.caseId, personId: r.personId, score: r.score, comment: r.comment, createdAt: r.at } });
    },
    async insertPostponement(p) {
      return (await tx.postponement.create({ data: { caseId: p.caseId, requestedById: p.requestedById, reason: p.reason, newDueAt: p.newDueAt, status: 'pending', createdAt: p.at } })).id;
    },
    async decidePostponement(id, d) {
      const changed = await tx.postponement.updateMany({ where: { id, status: 'pending' }, data: { status: d.approved ? 'approved' : 'refused', decidedById: d.decidedById, decidedAt: d.at } });
      if (changed.count === 0) return null;
      const p = await tx.postponement.findUniqueOrThrow({ where: { id } });
      return { caseId: p.caseId, newDueAt: p.newDueAt, status: p.status };
    },
    async notify(n) {
      if (n.personIds.length) await enqueue(tx, n.personIds, n.message, n.dedupeKey, n.caseId);
    },
  };
}

export function createCaseStore(db: Db, enqueue: EnqueueForPeople): CaseStore {
  return {
    transaction: (fn) => db.$transaction((tx) => fn(caseTx(tx, enqueue)), { timeout: 20_000, maxWait: 20_000 }),
  };
}
