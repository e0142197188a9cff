import type { DeadlineWatchPort, WatchedCase } from '../core/schedule/deadline-watch-port.ts';
import type { OutboxStore } from './outbox-store.ts';
import type { Db } from './prisma-client.ts';

/**
 * Statuses in which a case waits for its handler. `resolved` is open too, but its handling
 * deadline has been met: it waits for verification, so reminders and 督办 would nag the wrong person.
 */
const AWAITING_HANDLING = ['triage', 'dispatched', 'accepted'];

const select = {
  id: true,
  number: true,
  handling: true,
  streetId: true,
  departmentId: true,
  assigneeId: true,
  dueAt: true,
  item: { select: { name: true } },
  street: { select: { name: true } },
  department: { select: { name: true } },
} as const;

interface CaseRecord {
  id: number;
  number: string;
  handling: string | null;
  streetId: number | null;
  departmentId: number | null;
  assigneeId: number | null;
  dueAt: Date | null;
  item: { name: string } | null;
  street: { name: string } | null;
  department: { name: string } | null;
}

function unitOf(c: CaseRecord): string {
  if (c.handling === 'street') return c.street ? `${c.street.name}城管执法队` : '街道城管执法队';
  if (c.handling === 'department') return c.department?.name ?? '相关部门';
  if (c.handling === 'district') return '区城市管理执法局';
  return '街道指挥中心';
}

const toWatched = (c: CaseRecord): WatchedCase => ({
  id: c.id,
  number: c.number,
  matter: c.item?.name ?? '待确定',
  unit: unitOf(c),
  handling: c.handling,
  streetId: c.streetId,
  departmentId: c.departmentId,
  assigneeId: c.assigneeId,
  dueAt: c.dueAt!,
});

/** The deadline watch over Prisma; the range conditions on dueAt use the Case(status, dueAt) index. */
export function createDeadlineWatchStore(db: Db, outbox: Pick<OutboxStore, 'enqueueForPeople'>): DeadlineWatchPort {
  const activeIds = async (where: Record<string, unknown>) =>
    (await db.person.findMany({ where: { ...where, active: true }, select: { id: true }, orderBy: { id: 'asc' } })).map((p) => p.id);
  const districtAdmins = () => activeIds({ role: 'district_admin' });

  return {
    async dueSoon(now, horizon, limit) {
      const rows = await db.case.findMany({
        where: { status: { in: AWAITING_HANDLING }, dueAt: { gt: now, lte: horizon }, remindedAt: null },
        orderBy: { dueAt: 'asc' },
        take: limit,
        select,
      });
      return rows.map(toWatched);
    },

    async overdueUnnotified(now, limit) {
      const rows = await db.case.findMany({
        where: { status: { in: AWAITING_HANDLING }, dueAt: { lte: now }, overdueNotifiedAt: null },
        orderBy: { dueAt: 'asc' },
        take: limit,
        select,
      });
      return rows.map(toWatched);
    },

    async escalationDue(dueBefore, limit) {
      // District cases are already with the bureau; triage has no handling unit to escalate from.
      const rows = await db.case.findMany({
        where: { status: { in: AWAITING_HANDLING }, handling: { in: ['street', 'department'] }, dueAt: { lte: dueBefore }, overdueEscalatedAt: null },
        orderBy: { dueAt: 'asc' },
        take: limit,
        select,
      });
      return rows.map(toWatched);
    },

    async autoVerifyDue(resolvedBefore, limit) {
      const rows = await db.case.findMany({
        where: { status: 'resolved', resolvedAt: { lte: resolvedBefore } },
        orderBy: { resolvedAt: 'asc' },
        take: limit,
        select: { id: true },
      });
      return rows.map((r) => r.id);
    },

    async responsible(c) {
      const people =
        c.handling === 'street' && c.streetId !== null ? await activeIds({ role: 'team_lead', streetId: c.streetId })
        : c.handling === 'department' && c.departmentId !== null ? await activeIds({ role: 'dept_liaison', departmentId: c.departmentId })
        : [];
      // Nobody bound for that street or department yet: the bureau must still hear of it.
      return people.length ? people : districtAdmins();
    },

    districtAdmins,

    async flagAndNotify(caseId, flag, at, notices) {
      return db.$transaction(async (tx) => {
        // Conditional on the flag being unset: two processes racing for a case write it once.
        const { count } = await tx.case.updateMany({ where: { id: caseId, [flag]: null }, data: { [flag]: at } });
        if (count === 0) return false;
        for (const n of notices) await outbox.enqueueForPeople(tx, n.personIds, n.message, n.dedupeKeyBase, caseId);
        return true;
      });
    },
  };
}
