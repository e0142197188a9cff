import type { DailyJobsPort, DigestScope } from '../core/schedule/daily-jobs-port.ts';
import { OUTBOX_PRIORITY } from '../core/messaging/outbox-port.ts';
import type { DeadlineNotice, DeadlineWatchPort, WatchedCase } from '../core/schedule/deadline-watch-port.ts';
import { districtAdminIds, handlerIds } from './handler-ids.ts';
import type { OutboxStore } from './outbox-store.ts';
import { sqlOf, type Db } from './prisma-client.ts';
import { sqlDate } from './sql-values.ts';

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

export type Enqueue = Pick<OutboxStore, 'enqueueForPeople'>;

export async function enqueueAll(db: Db, outbox: Enqueue, notices: DeadlineNotice[]): Promise<number> {
  if (notices.length === 0) return 0;
  return sqlOf(db).transaction(async (tx) => {
    // Reminders and digests are bulk: a resident's reply goes out before them when the channel is busy.
    let rows = 0;
    for (const n of notices)
      rows += await outbox.enqueueForPeople(
        tx,
        n.personIds,
        n.message,
        n.dedupeKeyBase,
        undefined,
        OUTBOX_PRIORITY.bulk,
      );
    return rows;
  });
}

/**
 * The deadline watch over Prisma; the range conditions on dueAt use the Case(status, dueAt) index,
 * and on PostgreSQL the 督办 and 超期上报 steps the partial indexes of the cases they still have to
 * do (migrations-postgres/…_deadline_watch_pending): through Case_dueAt each walked every closed case.
 */
export function createDeadlineWatchStore(db: Db, outbox: Enqueue): DeadlineWatchPort {
  const sql = sqlOf(db);
  const districtAdmins = () => sql.transaction(districtAdminIds);

  return {
    async responseOverdue(now, limit) {
      const rows = await db.case.findMany({
        where: { status: 'dispatched', responseDueAt: { lte: now }, responseOverdueNotifiedAt: null },
        orderBy: { responseDueAt: 'asc' },
        take: limit,
        select: { ...select, responseDueAt: true },
      });
      return rows.map((r) => toWatched({ ...r, dueAt: r.responseDueAt }));
    },

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
        where: {
          status: { in: AWAITING_HANDLING },
          handling: { in: ['street', 'department'] },
          dueAt: { lte: dueBefore },
          overdueEscalatedAt: null,
        },
        orderBy: { dueAt: 'asc' },
        take: limit,
        select,
      });
      return rows.map(toWatched);
    },

    async autoVerifyDue(resolvedBefore, limit) {
      // Cases with a 核查 task wait for the inspector's deadline (core/schedule/verification-watch.ts).
      // Through the store's own SQL unit: its placeholders and dates work on both engines.
      const rows = await sql.transaction((tx) =>
        tx.all<{ id: number }>(
          `SELECT c."id" AS "id" FROM "Case" c
           WHERE c."status" = 'resolved' AND c."resolvedAt" <= ?
             AND NOT EXISTS (SELECT 1 FROM "VerificationTask" t WHERE t."caseId" = c."id")
           ORDER BY c."resolvedAt" LIMIT ?`,
          sqlDate(resolvedBefore),
          limit,
        ),
      );
      return rows.map((r) => Number(r.id));
    },

    responsible: (c) => sql.transaction((tx) => handlerIds(tx, c.handling, c.streetId, c.departmentId)),

    districtAdmins,

    async flagAndNotify(caseId, flag, at, notices) {
      return sql.transaction(async (tx) => {
        // Conditional on the flag being unset: two processes racing for a case write it once.
        const stamp = sqlDate(at);
        const { changes } = await tx.run(
          `UPDATE "Case" SET "${flag}" = ?, "updatedAt" = ? WHERE "id" = ? AND "${flag}" IS NULL`,
          stamp,
          stamp,
          caseId,
        );
        if (changes === 0) return false;
        for (const n of notices)
          await outbox.enqueueForPeople(tx, n.personIds, n.message, n.dedupeKeyBase, caseId, OUTBOX_PRIORITY.bulk);
        return true;
      });
    },
  };
}

/**
 * The morning digest's figures and the evening patrol reminder's query. They live beside the
 * deadline watch because they are the same supervision (督办) seen once a day.
 */
export function createDailyJobsStore(db: Db, outbox: Enqueue): DailyJobsPort {
  const scopeWhere = (scope: DigestScope) =>
    scope.kind === 'street'
      ? { handling: 'street', streetId: scope.streetId }
      : scope.kind === 'department'
        ? { handling: 'department', departmentId: scope.departmentId }
        : {};

  return {
    async digestRecipients() {
      const people = await db.person.findMany({
        where: {
          active: true,
          OR: [
            { role: 'team_lead', streetId: { not: null } },
            { role: 'dept_liaison', departmentId: { not: null } },
            { role: 'district_admin' },
          ],
        },
        select: {
          id: true,
          role: true,
          streetId: true,
          departmentId: true,
          street: { select: { name: true } },
          department: { select: { name: true } },
        },
        orderBy: { id: 'asc' },
      });
      return people.map((p) => ({
        personId: p.id,
        scope: (p.role === 'team_lead'
          ? { kind: 'street', streetId: p.streetId!, name: p.street!.name }
          : p.role === 'dept_liaison'
            ? { kind: 'department', departmentId: p.departmentId!, name: p.department!.name }
            : { kind: 'district' }) satisfies DigestScope,
      }));
    },

    async digestCounts(scope, now, dayEnd) {
      const where = { ...scopeWhere(scope), status: { in: AWAITING_HANDLING } };
      const [open, dueToday, overdue, awaitingVerification] = await Promise.all([
        db.case.count({ where }),
        db.case.count({ where: { ...where, dueAt: { gt: now, lte: dayEnd } } }),
        db.case.count({ where: { ...where, dueAt: { lte: now } } }),
        db.case.count({ where: { ...scopeWhere(scope), status: 'resolved' } }),
      ]);
      return { open, dueToday, overdue, awaitingVerification };
    },

    async inspectorsWithOpenPatrols(from, to) {
      const patrols = await db.patrol.findMany({
        where: { startedAt: { gte: from, lt: to }, endedAt: null, inspector: { active: true } },
        select: { inspectorId: true },
        distinct: ['inspectorId'],
        orderBy: { inspectorId: 'asc' },
      });
      return patrols.map((p) => p.inspectorId);
    },

    notify: (notices) => enqueueAll(db, outbox, notices),
  };
}
