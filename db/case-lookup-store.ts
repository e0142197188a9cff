import type { CaseListItem, CaseLookupPort } from '../bot/bot-ports.ts';
import { redactPersonalData } from '../core/case/anonymise-fns.ts';
import { handlerName } from '../core/case/case-format-fns.ts';
import { STATUS_LABELS, type Actor, type CaseStatus } from '../core/case/case-types.ts';
import { caseView, isOverdue } from '../core/case/case-visibility-fns.ts';
import type { Prisma } from '../prisma/generated/client.ts';
import { visibleCaseWhere } from './case-queries.ts';
import type { Db } from './prisma-client.ts';

const OPEN: CaseStatus[] = ['triage', 'dispatched', 'accepted', 'resolved'];
const select = {
  number: true,
  status: true,
  createdAt: true,
  dueAt: true,
  urgent: true,
  item: { select: { name: true } },
  mergedInto: { select: { number: true } },
} satisfies Prisma.CaseSelect;
type Row = Prisma.CaseGetPayload<{ select: typeof select }>;

const toItem = (r: Row, now: Date): CaseListItem => ({
  number: r.number,
  status:
    r.status === 'merged' && r.mergedInto
      ? `已并入 ${r.mergedInto.number}`
      : (STATUS_LABELS[r.status as CaseStatus] ?? r.status),
  matter: r.item?.name ?? '待分拣',
  createdAt: r.createdAt,
  dueAt: r.dueAt,
  overdue: isOverdue(r, now),
  urgent: r.urgent,
});

/** What a person holds now: the street's cases for its team, the department's, or the bureau's. */
function queueWhere(actor: Actor): Prisma.CaseWhereInput | null {
  if (actor.role === 'team_lead' && actor.streetId !== null)
    return { streetId: actor.streetId, OR: [{ handling: 'street' }, { status: 'triage' }] };
  if (actor.role === 'enforcer') return { assigneeId: actor.personId };
  if (actor.role === 'dept_liaison' && actor.departmentId !== null)
    return { handling: 'department', departmentId: actor.departmentId };
  if (actor.role === 'district_admin') return { OR: [{ handling: 'district' }, { status: 'triage', streetId: null }] };
  return null;
}

/** `clock` is the domain's: overdue flags follow the same time as the deadlines (and a test's pinned clock). */
export function createCaseLookupStore(db: Db, clock: () => Date = () => new Date()): CaseLookupPort {
  return {
    async mine(personId, limit) {
      const rows = await db.case.findMany({
        where: { OR: [{ reporterId: personId }, { subscribers: { some: { personId } } }] },
        orderBy: { id: 'desc' },
        take: limit,
        select,
      });
      const now = clock();
      return rows.map((r) => toItem(r, now));
    },
    async queue(actor, now, limit) {
      const where = queueWhere(actor);
      if (!where) return [];
      const rows = await db.case.findMany({
        where: { ...where, status: { in: OPEN } },
        orderBy: [{ dueAt: 'asc' }, { id: 'asc' }],
        take: limit * 3,
        select,
      });
      // Overdue first, then urgent, then by deadline: what a lead should look at first.
      return rows
        .map((r) => toItem(r, now))
        .sort((a, b) => Number(b.overdue) - Number(a.overdue) || Number(b.urgent) - Number(a.urgent))
        .slice(0, limit);
    },
    async statusFor(actor, number) {
      const row = await db.case.findFirst({
        where: { AND: [{ number }, visibleCaseWhere(actor)] },
        select: {
          ...select,
          outcome: true,
          reporter: { select: { displayName: true } },
          handling: true,
          reporterId: true,
          streetId: true,
          departmentId: true,
          street: { select: { name: true } },
          department: { select: { name: true } },
          events: { select: { type: true, createdAt: true }, orderBy: { id: 'asc' } },
        },
      });
      if (!row) return null;
      // A follower (merged duplicate) reads the outcome as the public does: redacted.
      const follower = caseView(actor, { ...row, assigneeId: null, actorFollows: true }) === 'follower';
      return {
        item: toItem(row, clock()),
        // A follower (merged duplicate) and any resident read the outcome as the public does:
        // without names or numbers.
        outcome:
          row.outcome !== null && (follower || actor.role === 'resident')
            ? redactPersonalData(row.outcome, { names: [row.reporter.displayName] })
            : row.outcome,
        handler: handlerName({
          handling: row.handling as 'street',
          streetName: row.street?.name ?? null,
          departmentName: row.department?.name ?? null,
        }),
        events: row.events.map((e) => ({ type: e.type, at: e.createdAt })),
      };
    },
  };
}
