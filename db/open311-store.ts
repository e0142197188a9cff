import type { CaseStatus, Handling } from '../core/case/case-types.ts';
import type { Open311CaseRecord } from '../core/open311/open311-request-fns.ts';
import { UPDATE_TYPES, type Open311EventRecord } from '../core/open311/open311-update-fns.ts';
import type { Open311Submission } from '../core/open311/open311-submit-fns.ts';
import type { Db } from './prisma-client.ts';
import { isPublishablePhoto } from '../core/evidence/photo-publishing-fns.ts';
import { publishFactsSelect } from './public-case-queries.ts';

/**
 * Open311's reads and its one write. Reads select field by field (an allow-list, as in
 * public-case-queries.ts): never the report text, the reporter, the address or the Open311
 * contact, so nothing personal can leave through GET requests however the mapping changes.
 */
export interface Open311Filter {
  numbers?: string[] | undefined;
  serviceCodes?: string[] | undefined;
  statuses?: CaseStatus[] | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
}

/**
 * Details are loaded in chunks: Prisma loads each relation with `IN (…ids)`, and 1000 ids at
 * once (the specification's page) exceed SQLite's limit on query parameters.
 */
const CHUNK = 200;

export async function open311CaseRecords(db: Db, f: Open311Filter): Promise<Open311CaseRecord[]> {
  const page = await db.case.findMany({
    where: {
      ...(f.numbers ? { number: { in: f.numbers } } : {}),
      ...(f.serviceCodes ? { item: { code: { in: f.serviceCodes } } } : {}),
      ...(f.statuses ? { status: { in: f.statuses } } : {}),
      ...(f.from || f.to ? { createdAt: { ...(f.from ? { gte: f.from } : {}), ...(f.to ? { lte: f.to } : {}) } } : {}),
    },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    take: f.limit,
    select: { id: true },
  });
  const ids = page.map((c) => c.id);
  const byId = new Map<number, Open311CaseRecord>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    for (const r of await loadRecords(db, ids.slice(i, i + CHUNK))) byId.set(r.id, r.record);
  }
  return ids.flatMap((id) => byId.get(id) ?? []);
}

async function loadRecords(db: Db, ids: number[]): Promise<Array<{ id: number; record: Open311CaseRecord }>> {
  const rows = await db.case.findMany({
    where: { id: { in: ids } },
    select: {
      id: true,
      number: true,
      status: true,
      handling: true,
      lat: true,
      lng: true,
      outcome: true,
      createdAt: true,
      dueAt: true,
      reporterId: true,
      item: { select: { code: true, name: true } },
      street: { select: { name: true } },
      department: { select: { name: true } },
      mergedInto: { select: { number: true } },
      // Only a rejection's reason is a public note besides the outcome (不予受理 must say why).
      events: { where: { type: 'rejected' }, orderBy: { id: 'desc' }, take: 1, select: { note: true } },
      attachments: {
        where: { publicPath: { not: null } },
        orderBy: { id: 'asc' },
        select: { publicKey: true, ...publishFactsSelect },
      },
    },
  });
  // updated_datetime is the time of the case's latest event: the append-only record is written
  // with the domain's clock, while Case.updatedAt is bookkeeping the store stamps with the wall clock.
  const latest = await db.caseEvent.groupBy({
    by: ['caseId'],
    where: { caseId: { in: ids } },
    _max: { createdAt: true },
  });
  const lastEventAt = new Map(latest.map((e) => [e.caseId, e._max.createdAt]));
  return rows.map((c) => ({
    id: c.id,
    record: {
      number: c.number,
      status: c.status as CaseStatus,
      handling: c.handling as Handling | null,
      itemCode: c.item?.code ?? null,
      itemName: c.item?.name ?? null,
      streetName: c.street?.name ?? null,
      departmentName: c.department?.name ?? null,
      lat: c.lat,
      lng: c.lng,
      note: c.outcome ?? (c.status === 'rejected' ? (c.events[0]?.note ?? null) : null),
      mergedIntoNumber: c.mergedInto?.number ?? null,
      createdAt: c.createdAt,
      updatedAt: lastEventAt.get(c.id) ?? c.createdAt,
      dueAt: c.dueAt,
      photoKeys: c.attachments.filter((a) => isPublishablePhoto(a, c.reporterId)).map((a) => a.publicKey),
    },
  }));
}

/** Keeps what the other system sent beside the case the intake created, and the token it may ask about. */
export async function saveOpen311Request(
  db: Db,
  r: { caseId: number; clientId: number; token: string; submission: Open311Submission },
): Promise<void> {
  const s = r.submission;
  await db.open311Request.create({
    data: {
      caseId: r.caseId,
      clientId: r.clientId,
      token: r.token,
      email: s.contact.email,
      firstName: s.contact.firstName,
      lastName: s.contact.lastName,
      phone: s.contact.phone,
      deviceId: s.deviceId,
      accountId: s.accountId,
      mediaUrl: s.mediaUrl,
      attributes: JSON.stringify(s.attributes),
    },
  });
}

/** tokens/{token}: the case number a token stands for, or null. */
export async function caseNumberForToken(db: Db, token: string): Promise<string | null> {
  const row = await db.open311Request.findUnique({ where: { token }, select: { caseId: true } });
  if (!row) return null;
  const c = await db.case.findUnique({ where: { id: row.caseId }, select: { number: true } });
  return c?.number ?? null;
}

/** The public steps of every case in a time window, oldest first (servicerequestupdates). */
export async function open311EventRecords(
  db: Db,
  f: { from: Date; to?: Date | undefined; limit: number },
): Promise<Open311EventRecord[]> {
  const rows = await db.caseEvent.findMany({
    where: {
      type: { in: [...UPDATE_TYPES] },
      toStatus: { not: null },
      createdAt: { gte: f.from, ...(f.to ? { lte: f.to } : {}) },
    },
    orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    take: f.limit,
    select: { id: true, type: true, toStatus: true, note: true, createdAt: true, case: { select: { number: true } } },
  });
  return rows.map((e) => ({
    id: e.id,
    caseNumber: e.case.number,
    type: e.type,
    toStatus: e.toStatus as CaseStatus,
    note: e.note,
    at: e.createdAt,
  }));
}
