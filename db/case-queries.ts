import type { Prisma } from '../prisma/generated/client.ts';
import { RATING_LABELS, STATUS_LABELS, STATUSES, STAFF_ROLES, type Actor, type CaseStatus, type RatingScore } from '../core/case/case-types.ts';
import { OVERDUE_STATUSES, canSeeCase, isOverdue, reporterView, visibilityScope, type CaseAccessFacts } from '../core/case/case-visibility-fns.ts';
import { ValidationError } from '../core/errors.ts';
import { parseBound } from '../core/stats/period-fns.ts';
import type { Db } from './prisma-client.ts';

/** The Prisma form of core/case/case-visibility-fns.ts: same rules, as a `where`. */
export function visibleCaseWhere(actor: Actor): Prisma.CaseWhereInput {
  const scope = visibilityScope(actor);
  if (scope.kind === 'all') return {};
  const own: Prisma.CaseWhereInput[] = [
    { reporterId: scope.personId },
    { assigneeId: scope.personId },
    { subscribers: { some: { personId: scope.personId } } },
  ];
  if (scope.streetId !== null) own.push({ streetId: scope.streetId });
  if (scope.departmentId !== null) own.push({ departmentId: scope.departmentId });
  return { OR: own };
}

export function overdueWhere(now: Date): Prisma.CaseWhereInput {
  return { status: { in: [...OVERDUE_STATUSES] }, dueAt: { lt: now } };
}

/** Spelled out rather than NOT(overdue): SQL's NOT over a NULL dueAt would drop those cases. */
export function notOverdueWhere(now: Date): Prisma.CaseWhereInput {
  return { OR: [{ status: { notIn: [...OVERDUE_STATUSES] } }, { dueAt: null }, { dueAt: { gte: now } }] };
}

export interface CaseListQuery {
  street?: string | undefined;
  status?: string | undefined; // comma list
  post?: string | undefined;
  handling?: string | undefined;
  overdue?: boolean | undefined;
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
  page: number;
  pageSize: number;
  sort?: 'createdAt' | 'dueAt' | 'number' | undefined;
  order?: 'asc' | 'desc' | undefined;
}

export function parseStatuses(list: string): CaseStatus[] {
  const wanted = list.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = wanted.filter((s) => !(STATUSES as readonly string[]).includes(s));
  if (bad.length) throw new ValidationError(`未知的案件状态：${bad.join('、')}（可选：${STATUSES.join(', ')}）`);
  return wanted as CaseStatus[];
}

export async function streetIdByName(db: Db, name: string): Promise<number> {
  const street = await db.street.findUnique({ where: { name }, select: { id: true } });
  if (!street) throw new ValidationError(`没有这个街道：${name}`);
  return street.id;
}

/** Visibility AND every filter the list was asked for. */
export async function caseListWhere(db: Db, actor: Actor, q: Omit<CaseListQuery, 'page' | 'pageSize' | 'sort' | 'order'>, now: Date): Promise<Prisma.CaseWhereInput> {
  const and: Prisma.CaseWhereInput[] = [visibleCaseWhere(actor)];
  if (q.street) and.push({ streetId: await streetIdByName(db, q.street) });
  if (q.status) and.push({ status: { in: parseStatuses(q.status) } });
  if (q.post) and.push({ post: q.post });
  if (q.handling) and.push({ handling: q.handling });
  if (q.overdue !== undefined) and.push(q.overdue ? overdueWhere(now) : notOverdueWhere(now));
  if (q.from || q.to) and.push({ createdAt: { ...(q.from ? { gte: parseBound(q.from, 'from') } : {}), ...(q.to ? { lt: parseBound(q.to, 'to') } : {}) } });
  const text = q.q?.trim();
  if (text) and.push({ OR: [{ text: { contains: text } }, { number: { contains: text } }, { address: { contains: text } }] });
  return { AND: and };
}

const listSelect = {
  number: true,
  status: true,
  text: true,
  post: true,
  handling: true,
  urgent: true,
  createdAt: true,
  dueAt: true,
  street: { select: { name: true } },
  department: { select: { name: true } },
  item: { select: { code: true, name: true } },
} satisfies Prisma.CaseSelect;

type ListRow = Prisma.CaseGetPayload<{ select: typeof listSelect }>;

export const LIST_TEXT_MAX = 140;

function toListItem(c: ListRow, now: Date) {
  return {
    number: c.number,
    status: c.status,
    statusLabel: STATUS_LABELS[c.status as CaseStatus] ?? c.status,
    text: c.text.length > LIST_TEXT_MAX ? `${c.text.slice(0, LIST_TEXT_MAX)}…` : c.text,
    street: c.street?.name ?? null,
    post: c.post,
    department: c.department?.name ?? null,
    handling: c.handling,
    urgent: c.urgent,
    createdAt: c.createdAt.toISOString(),
    dueAt: c.dueAt?.toISOString() ?? null,
    overdue: isOverdue(c, now),
    item: c.item ? { code: c.item.code, name: c.item.name } : null,
  };
}
export type CaseListItem = ReturnType<typeof toListItem>;

/**
 * Default order is "overdue first, then newest": two index-friendly queries (the overdue
 * segment, then the rest) stitched at the page boundary, instead of an ORDER BY over a
 * computed expression that would sort every visible row.
 */
export async function listCases(db: Db, actor: Actor, query: CaseListQuery, now: Date) {
  const where = await caseListWhere(db, actor, query, now);
  const { page, pageSize } = query;
  const skip = (page - 1) * pageSize;
  let rows: ListRow[];
  let total: number;
  if (query.sort) {
    const order = query.order ?? 'desc';
    const orderBy: Prisma.CaseOrderByWithRelationInput[] =
      query.sort === 'dueAt' ? [{ dueAt: { sort: order, nulls: 'last' } }, { id: order }] : [{ [query.sort]: order }, { id: order }];
    [total, rows] = await Promise.all([db.case.count({ where }), db.case.findMany({ where, orderBy, skip, take: pageSize, select: listSelect })]);
  } else {
    const late = { AND: [where, overdueWhere(now)] };
    const onTime = { AND: [where, notOverdueWhere(now)] };
    const newest: Prisma.CaseOrderByWithRelationInput[] = [{ createdAt: 'desc' }, { id: 'desc' }];
    const [all, lateCount] = await Promise.all([db.case.count({ where }), db.case.count({ where: late })]);
    total = all;
    const first = skip < lateCount ? await db.case.findMany({ where: late, orderBy: newest, skip, take: pageSize, select: listSelect }) : [];
    const rest = pageSize - first.length;
    const second = rest > 0 ? await db.case.findMany({ where: onTime, orderBy: newest, skip: Math.max(0, skip - lateCount), take: rest, select: listSelect }) : [];
    rows = [...first, ...second];
  }
  return { items: rows.map((r) => toListItem(r, now)), total, page, pageSize };
}

/** The facts canSeeCase needs; the subscriber lookup only runs when the other rules said no. */
export async function actorCanSee(db: Db, actor: Actor, c: Omit<CaseAccessFacts, 'actorFollows'> & { id: number }): Promise<boolean> {
  if (canSeeCase(actor, { ...c, actorFollows: false })) return true;
  const follows = await db.caseSubscriber.findUnique({ where: { caseId_personId: { caseId: c.id, personId: actor.personId } }, select: { caseId: true } });
  return follows !== null && canSeeCase(actor, { ...c, actorFollows: true });
}

export const accessSelect = { id: true, streetId: true, departmentId: true, reporterId: true, assigneeId: true } satisfies Prisma.CaseSelect;

/** The file behind an attachment, when the actor may see it; null otherwise (a 404, never a 403). */
export async function findViewableAttachment(db: Db, actor: Actor, id: number) {
  const att = await db.attachment.findUnique({
    where: { id },
    select: { path: true, mime: true, size: true, sha256: true, uploadedById: true, case: { select: accessSelect } },
  });
  if (!att) return null;
  // Draft or patrol photos not yet on a case: their uploader and the bureau only.
  const allowed = att.case ? await actorCanSee(db, actor, att.case) : att.uploadedById === actor.personId || actor.role === 'district_admin';
  return allowed ? { path: att.path, mime: att.mime, size: att.size, sha256: att.sha256 } : null;
}

const STAFF = new Set<string>(STAFF_ROLES);

function parseReasons(json: string): string[] {
  try {
    const v: unknown = JSON.parse(json);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

/** Everything about one case the actor may see, or null (not found and not visible look alike). */
export async function getCaseDetail(db: Db, actor: Actor, number: string, now: Date) {
  const access = await db.case.findUnique({ where: { number }, select: accessSelect });
  if (!access || !(await actorCanSee(db, actor, access))) return null;
  const c = await db.case.findUniqueOrThrow({
    where: { id: access.id },
    include: {
      street: { select: { name: true } },
      department: { select: { name: true } },
      item: { select: { code: true, name: true, legalBasis: true, version: { select: { version: true } } } },
      reporter: { select: { displayName: true, phone: true } },
      assignee: { select: { displayName: true } },
      mergedInto: { select: { number: true } },
      events: { orderBy: { id: 'asc' }, include: { actor: { select: { displayName: true } } } },
      attachments: { orderBy: { id: 'asc' } },
      ratings: { orderBy: { id: 'asc' } },
    },
  });
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  return {
    number: c.number,
    status: c.status,
    statusLabel: STATUS_LABELS[c.status as CaseStatus] ?? c.status,
    text: c.text,
    lat: c.lat,
    lng: c.lng,
    address: c.address,
    street: c.street?.name ?? null,
    post: c.post,
    department: c.department?.name ?? null,
    handling: c.handling,
    urgent: c.urgent,
    confidence: c.confidence,
    needsTriage: c.needsTriage,
    routingReasons: parseReasons(c.routingReasons),
    mode721: c.mode721,
    outcome: c.outcome,
    channel: c.channel,
    assignee: c.assignee?.displayName ?? null,
    mergedInto: c.mergedInto?.number ?? null,
    reopenCount: c.reopenCount,
    reworkCount: c.reworkCount,
    returnCount: c.returnCount,
    unsatisfiedCount: c.unsatisfiedCount,
    postponed: c.postponed,
    overdue: isOverdue(c, now),
    responseDueAt: iso(c.responseDueAt),
    dueAt: iso(c.dueAt),
    createdAt: iso(c.createdAt),
    registeredAt: iso(c.registeredAt),
    dispatchedAt: iso(c.dispatchedAt),
    acceptedAt: iso(c.acceptedAt),
    resolvedAt: iso(c.resolvedAt),
    verifiedAt: iso(c.verifiedAt),
    closedAt: iso(c.closedAt),
    item: c.item ? { code: c.item.code, name: c.item.name, legalBasis: c.item.legalBasis, version: c.item.version.version } : null,
    events: c.events.map((e) => ({
      type: e.type,
      fromStatus: e.fromStatus,
      toStatus: e.toStatus,
      actorRole: e.actorRole,
      // Staff act in their official capacity and are named; residents never are.
      actorName: STAFF.has(e.actorRole) ? (e.actor?.displayName ?? null) : null,
      note: e.note,
      createdAt: e.createdAt.toISOString(),
    })),
    attachments: c.attachments.map((a) => ({
      id: a.id,
      mime: a.mime,
      size: a.size,
      sha256: a.sha256,
      exifTakenAt: iso(a.exifTakenAt),
      exifLat: a.exifLat,
      exifLng: a.exifLng,
      createdAt: a.createdAt.toISOString(),
      url: `/api/attachments/${a.id}`,
    })),
    ratings: c.ratings.map((r) => ({ score: r.score, scoreLabel: RATING_LABELS[r.score as RatingScore] ?? r.score, comment: r.comment, createdAt: r.createdAt.toISOString() })),
    reporter: reporterView(actor, c, c.reporter),
  };
}
