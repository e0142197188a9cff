import type { DailyJobsPort, DigestScope } from '../core/schedule/daily-jobs-port.ts';
import { OUTBOX_PRIORITY } from '../core/messaging/outbox-port.ts';
import type { DeadlineNotice, DeadlineWatchPort, WatchedCase } from '../core/schedule/deadline-watch-port.ts';
import { districtAdminIds, handlerIds } from './handler-ids.ts';
import type { OutboxStore } from './outbox-store.ts';
import { sqlOf, type Db } from './prisma-client.ts';
import { dateOrNull, sqlDate } from './sql-values.ts';
import { list } from './stats-sql.ts';

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
 * The waiting cases the 督办 step has not told yet, and those the 超期上报 step has not escalated:
 * word for word the predicates of their partial indexes (schema.prisma, Case_overdue_pending_idx
 * and Case_escalation_pending_idx; the statuses from AWAITING_HANDLING, which list() spells as the
 * schema does). SQLite takes a partial index only for a statement whose WHERE
 * holds each of the index's terms as written, literals included: Prisma's `status IN (?, ?, ?)`
 * never matched, and the step walked Case_dueAt from the oldest case through every case already
 * told or closed (1.1-1.2 s a step at 1M cases). PostgreSQL proves them from the literals too,
 * in generic plans as well.
 */
const OVERDUE_PENDING = `c."status" IN ${list(AWAITING_HANDLING)} AND c."overdueNotifiedAt" IS NULL`;
const ESCALATION_PENDING = `c."status" IN ${list(AWAITING_HANDLING)} AND c."handling" IN ('street', 'department') AND c."overdueEscalatedAt" IS NULL`;

/** The pending cases due by the first parameter, oldest deadline first, at most the second. */
const pendingSql = (pending: string) =>
  `SELECT c."id" AS "id", c."number" AS "number", c."handling" AS "handling", c."streetId" AS "streetId",
          c."departmentId" AS "departmentId", c."assigneeId" AS "assigneeId", c."dueAt" AS "dueAt",
          i."name" AS "itemName", s."name" AS "streetName", d."name" AS "departmentName"
   FROM "Case" c
   LEFT JOIN "PowerItem" i ON i."id" = c."itemId"
   LEFT JOIN "Street" s ON s."id" = c."streetId"
   LEFT JOIN "Department" d ON d."id" = c."departmentId"
   WHERE ${pending} AND c."dueAt" <= ?
   ORDER BY c."dueAt" LIMIT ?`;

/** The 督办 step's statement (overdueUnnotified): (now, limit). */
export const OVERDUE_UNNOTIFIED_SQL = pendingSql(OVERDUE_PENDING);
/** The 超期上报 step's statement (escalationDue): (dueBefore, limit). */
export const ESCALATION_DUE_SQL = pendingSql(ESCALATION_PENDING);

/** A CaseRecord as the raw statement returns it: the names flat, dueAt as the driver gives it. */
type PendingRow = Omit<CaseRecord, 'dueAt' | 'item' | 'street' | 'department'> & {
  dueAt: string | Date;
  itemName: string | null;
  streetName: string | null;
  departmentName: string | null;
};

/**
 * The deadline watch over Prisma; the range conditions on dueAt use the Case(status, dueAt) index,
 * and the 督办 and 超期上报 steps the partial indexes of the cases they still have to do.
 */
export function createDeadlineWatchStore(db: Db, outbox: Enqueue): DeadlineWatchPort {
  const sql = sqlOf(db);
  const districtAdmins = () => sql.transaction(districtAdminIds);

  /** The cases one of the two statements above reads. */
  async function pendingCases(statement: string, dueBy: Date, limit: number): Promise<WatchedCase[]> {
    const rows = await sql.transaction((tx) => tx.all<PendingRow>(statement, sqlDate(dueBy), limit));
    return rows.map((r) =>
      toWatched({
        id: Number(r.id),
        number: r.number,
        handling: r.handling,
        streetId: r.streetId === null ? null : Number(r.streetId),
        departmentId: r.departmentId === null ? null : Number(r.departmentId),
        assigneeId: r.assigneeId === null ? null : Number(r.assigneeId),
        dueAt: dateOrNull(r.dueAt),
        item: r.itemName === null ? null : { name: r.itemName },
        street: r.streetName === null ? null : { name: r.streetName },
        department: r.departmentName === null ? null : { name: r.departmentName },
      }),
    );
  }

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

    overdueUnnotified: (now, limit) => pendingCases(OVERDUE_UNNOTIFIED_SQL, now, limit),

    // District cases are already with the bureau; triage has no handling unit to escalate from.
    escalationDue: (dueBefore, limit) => pendingCases(ESCALATION_DUE_SQL, dueBefore, limit),

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
