import type { CaseStatus, Handling } from '../core/case/case-types.ts';
import type { HotlineResultRow } from '../core/hotline/hotline-export-fns.ts';
import type { Db } from './prisma-client.ts';

const DISTRICT_BUREAU = '江汉区城市管理执法局';

const answerSelect = {
  number: true,
  status: true,
  handling: true,
  outcome: true,
  resolvedAt: true,
  closedAt: true,
  dueAt: true,
  street: { select: { name: true } },
  department: { select: { fullName: true } },
  events: { where: { type: 'rejected' }, orderBy: { id: 'desc' }, take: 1, select: { note: true } },
} as const;

/**
 * Orders of a source received (受理时间) in [from, to), in order of receipt, each with the
 * state of the case that answers it: a merged duplicate answers with the case it joined.
 */
export async function hotlineResults(db: Db, source: string, from: Date, to: Date): Promise<HotlineResultRow[]> {
  const cases = await db.case.findMany({
    where: { externalSource: source, externalReceivedAt: { gte: from, lt: to } },
    orderBy: [{ externalReceivedAt: 'asc' }, { id: 'asc' }],
    select: { externalRef: true, ...answerSelect, mergedInto: { select: answerSelect } },
  });
  return cases.map((c) => {
    const a = c.mergedInto ?? c;
    const handling = a.handling as Handling | null;
    return {
      ref: c.externalRef!,
      caseNumber: c.number,
      status: a.status as CaseStatus,
      handling,
      handler:
        handling === 'department'
          ? (a.department?.fullName ?? null)
          : handling === 'district'
            ? DISTRICT_BUREAU
            : (a.street?.name ?? null),
      outcome: a.outcome,
      rejectionNote: a.events[0]?.note ?? null,
      resolvedAt: a.resolvedAt,
      closedAt: a.closedAt,
      dueAt: a.dueAt,
    };
  });
}
