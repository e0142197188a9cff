import { formatYmd, shanghaiDay } from '../deadlines/shanghai-day-fns.ts';
import { TooManyRequestsError } from '../errors.ts';
import type { MessageRenderer } from './case-messages.ts';
import type { CaseRow, CaseStore, CaseTx, ItemRef, NewEvent } from './case-port.ts';
import type { AssistRecord } from '../routing/assisted-router.ts';
import type { CaseStatus, Handling } from './case-types.ts';
import { handlerName } from './case-format-fns.ts';
import { message, notifyStaff } from './case-notices.ts';
import { assertAttachable } from '../evidence/attachment-access-fns.ts';

/** What the router concluded about a report (adapted from core/routing's decision). */
export interface RoutedReport {
  handling: Handling;
  itemCode: string | null;
  department: string | null;
  streetName: string | null;
  confidence: number;
  urgent: boolean;
  needsTriage: boolean;
  reasons: string[];
  /** The model's view beside the rules', when LLM assistance was asked. */
  assist?: AssistRecord | null;
}

export interface IntakeReport {
  text: string;
  lat: number | null;
  lng: number | null;
  address: string | null;
  channel: string;
  reporterId: number;
  /** Staff (inspectors on patrol) file more than residents do: they get the higher limit. */
  reporterIsStaff?: boolean;
  attachmentIds?: number[];
  /** The chat answers the reporter at once (number, handler, deadline): no separate push to them. */
  answeredInChat?: boolean;
  /** An order handed over by another system (a 12345 work order): kept with the case. */
  external?: ExternalOrder;
}

export interface ExternalOrder {
  source: string;
  /** The other system's number (工单编号), unique per source. */
  ref: string;
  receivedAt: Date;
  /** The other system's deadline (办理时限): the case's deadline when it is the earlier one. */
  dueAt: Date;
  /** Recorded with the submission: the order's category and the like. */
  data?: Record<string, unknown>;
}

/**
 * A handed-over order must be answered by its own deadline: when the power-list item allows
 * longer, the order's deadline wins (both are stored: Case.externalDueAt keeps the order's).
 */
export function capDeadline(due: { responseDueAt: Date; dueAt: Date }, externalDueAt: Date | null | undefined) {
  if (!externalDueAt || externalDueAt.getTime() >= due.dueAt.getTime()) return due;
  const responseDueAt = due.responseDueAt.getTime() > externalDueAt.getTime() ? externalDueAt : due.responseDueAt;
  return { responseDueAt, dueAt: externalDueAt };
}

/**
 * A department nobody is bound to would never see its cases: the district bureau holds them
 * instead (and may dispatch them to a street or refer them elsewhere). Null when the department
 * has someone, or when no department is meant.
 */
export async function unstaffedDepartment(
  tx: Pick<CaseTx, 'departmentStaffed'>,
  handling: Handling | null,
  departmentId: number | null,
): Promise<boolean> {
  return handling === 'department' && departmentId !== null && !(await tx.departmentStaffed(departmentId));
}

export type DeadlineFn = (item: ItemRef, from: Date, urgent: boolean) => { responseDueAt: Date; dueAt: Date };

export interface IntakeSettings {
  casePrefix: string;
  duplicateRadiusM: number;
  duplicateWindowHours: number;
  /**
   * New cases one person may open in any hour, whatever the channel (a flood of reports would
   * each notify a team lead). Counted in the database, so every process and restart agrees.
   * Absent: no limit.
   */
  reportsPerHour?: { resident: number; staff: number };
}

export interface CaseIntakeDeps {
  store: CaseStore;
  clock: () => Date;
  messages: MessageRenderer;
  deadlines: DeadlineFn;
  settings: IntakeSettings;
}

const HOUR_MS = 3_600_000;

export type SubmitResult = { kind: 'created'; case: CaseRow } | { kind: 'duplicate'; case: CaseRow; existing: CaseRow };

/**
 * Registers a report as a case: automatically registered (立案) and dispatched when routing is
 * confident, otherwise left for manual triage at the street centre; a report of the same matter
 * close by and recent joins the open case instead (its reporter then follows that case).
 */
export function createCaseIntakeService(deps: CaseIntakeDeps) {
  const { store, clock, messages: m, settings } = deps;

  async function findDuplicate(
    tx: CaseTx,
    routed: RoutedReport,
    report: IntakeReport,
    now: Date,
  ): Promise<CaseRow | null> {
    if (!routed.itemCode || report.lat === null || report.lng === null) return null;
    const since = new Date(now.getTime() - settings.duplicateWindowHours * 3_600_000);
    return tx.findOpenDuplicate({
      itemCode: routed.itemCode,
      lat: report.lat,
      lng: report.lng,
      radiusM: settings.duplicateRadiusM,
      since,
    });
  }

  /** Inside the registering transaction, so two reports at once cannot both slip under the limit. */
  async function checkFlood(tx: CaseTx, report: IntakeReport, now: Date): Promise<void> {
    const limits = settings.reportsPerHour;
    if (!limits) return;
    const max = report.reporterIsStaff ? limits.staff : limits.resident;
    const { count, oldest } = await tx.reportedSince(report.reporterId, new Date(now.getTime() - HOUR_MS));
    if (count < max) return;
    const retryAfterSeconds = Math.max(
      1,
      Math.ceil(((oldest?.getTime() ?? now.getTime()) + HOUR_MS - now.getTime()) / 1000),
    );
    throw new TooManyRequestsError(
      `您一小时内提交的报告已达 ${max} 件，请约 ${Math.ceil(retryAfterSeconds / 60)} 分钟后再提交。`,
      retryAfterSeconds,
    );
  }

  async function submit(report: IntakeReport, routed: RoutedReport): Promise<SubmitResult> {
    const now = clock();
    return store.transaction(async (tx) => {
      // Before anything is written: a refused photo leaves no half-made case behind.
      const photos = report.attachmentIds ?? [];
      if (photos.length) assertAttachable(photos, await tx.attachmentOwnership(photos), report.reporterId, null);
      await checkFlood(tx, report, now);
      const item = routed.itemCode ? await tx.activeItem(routed.itemCode) : null;
      const streetId = routed.streetName ? await tx.streetIdByName(routed.streetName) : null;
      const meantFor =
        routed.handling === 'department' && routed.department ? await tx.departmentIdByName(routed.department) : null;
      // Nobody bound to that department would ever see it: the bureau holds it instead.
      const unbound = !routed.needsTriage && (await unstaffedDepartment(tx, routed.handling, meantFor));
      const handling: Handling = unbound ? 'district' : routed.handling;
      const departmentId = unbound ? null : meantFor;
      // Taken after the lookups. On PostgreSQL the store hands out a placeholder here and takes the
      // day's number as the unit's last write (db/case-number-alloc.ts), so the counter row is
      // locked only for the last few statements. Two reports of one matter at one place at once
      // still take turns at the duplicate search (the store locks its neighbourhood), and the
      // second joins the first.
      const number = await tx.nextCaseNumber(settings.casePrefix, formatYmd(shanghaiDay(now)));
      const existing = await findDuplicate(tx, routed, report, now);
      const base = {
        number,
        text: report.text,
        lat: report.lat,
        lng: report.lng,
        address: report.address,
        streetId,
        itemId: item?.id ?? null,
        handling,
        post: item?.post ?? null,
        departmentId,
        urgent: routed.urgent,
        confidence: routed.confidence,
        routingReasons: routed.reasons,
        channel: report.channel,
        reporterId: report.reporterId,
        createdAt: now,
        external: report.external
          ? {
              source: report.external.source,
              ref: report.external.ref,
              receivedAt: report.external.receivedAt,
              dueAt: report.external.dueAt,
            }
          : null,
      };
      const submittedData = report.external
        ? { external: { source: report.external.source, ref: report.external.ref, ...report.external.data } }
        : undefined;
      if (existing) {
        const merged = await tx.insertCase({
          ...base,
          status: 'merged',
          needsTriage: false,
          mergedIntoId: existing.id,
          registeredAt: null,
          dispatchedAt: null,
          responseDueAt: null,
          dueAt: null,
        });
        // One call: on PostgreSQL one INSERT for the three (a round trip each before).
        await tx.appendEvents([
          {
            caseId: merged.id,
            type: 'submitted',
            fromStatus: null,
            toStatus: 'merged',
            actorId: report.reporterId,
            actorRole: 'reporter',
            data: submittedData,
            attachmentIds: report.attachmentIds,
            at: now,
          },
          {
            caseId: merged.id,
            type: 'merged',
            fromStatus: null,
            toStatus: 'merged',
            actorId: null,
            actorRole: 'system',
            note: `与案件${existing.number}重复，已合并`,
            data: { into: existing.number },
            at: now,
          },
          {
            caseId: existing.id,
            type: 'duplicate_reported',
            fromStatus: existing.status,
            toStatus: existing.status,
            actorId: null,
            actorRole: 'system',
            note: `重复报告${number}已并入`,
            data: { duplicate: number },
            attachmentIds: report.attachmentIds,
            at: now,
          },
        ]);
        await tx.addSubscriber(existing.id, report.reporterId);
        if (!report.answeredInChat)
          await tx.notify({
            personIds: [report.reporterId],
            caseId: merged.id,
            dedupeKey: `case:${merged.id}:duplicate`,
            message: message(m, 'reporter.duplicate', existing),
          });
        return { kind: 'duplicate', case: merged, existing };
      }

      // Without a matter, a street, or with low confidence, a person decides: never a silent guess.
      const triage =
        routed.needsTriage ||
        !item ||
        (routed.handling === 'street' && streetId === null) ||
        (handling === 'department' && departmentId === null);
      const status: CaseStatus = triage ? 'triage' : 'dispatched';
      const itemDue = item && !triage ? deps.deadlines(item, now, routed.urgent) : null;
      const due = itemDue ? capDeadline(itemDue, report.external?.dueAt) : null;
      const c = await tx.insertCase({
        ...base,
        status,
        needsTriage: triage,
        mergedIntoId: null,
        registeredAt: triage ? null : now,
        dispatchedAt: triage ? null : now,
        responseDueAt: due?.responseDueAt ?? null,
        // In triage no item gives a deadline yet; a handed-over order still has its own.
        dueAt: due?.dueAt ?? report.external?.dueAt ?? null,
      });
      const submitted: NewEvent = {
        caseId: c.id,
        type: 'submitted',
        fromStatus: null,
        toStatus: status,
        actorId: report.reporterId,
        actorRole: 'reporter',
        data: submittedData,
        attachmentIds: report.attachmentIds,
        at: now,
      };
      if (triage) {
        await tx.appendEvents([
          submitted,
          {
            caseId: c.id,
            type: 'triage',
            fromStatus: null,
            toStatus: 'triage',
            actorId: null,
            actorRole: 'system',
            note: routed.reasons.join('；') || '系统未能确定承办事项',
            data: { confidence: routed.confidence, ...(routed.assist ? { assist: routed.assist } : {}) },
            at: now,
          },
        ]);
        if (!report.answeredInChat)
          await tx.notify({
            personIds: [report.reporterId],
            caseId: c.id,
            dedupeKey: `case:${c.id}:reporter:triage`,
            message: message(m, 'reporter.triage', c),
          });
        const centre = await tx.handlers(c.streetId !== null ? 'street' : 'district', c.streetId, null);
        await notifyStaff(tx, m, {
          personIds: centre,
          c,
          key: 'handler.triage',
          dedupeKey: `case:${c.id}:centre:triage`,
          now,
        });
        return { kind: 'created', case: c };
      }
      // The report's three events in one call: on PostgreSQL one INSERT (a round trip each before).
      await tx.appendEvents([
        submitted,
        {
          caseId: c.id,
          type: 'registered',
          fromStatus: null,
          toStatus: 'dispatched',
          actorId: null,
          actorRole: 'system',
          note: routed.reasons.join('；'),
          data: {
            item: item!.code,
            version: item!.version,
            confidence: routed.confidence,
            ...(routed.assist ? { assist: routed.assist } : {}),
          },
          at: now,
        },
        {
          caseId: c.id,
          type: 'dispatched',
          fromStatus: 'dispatched',
          toStatus: 'dispatched',
          actorId: null,
          actorRole: 'system',
          note: unbound ? `${routed.department}尚无人员接收，派遣至${handlerName(c)}` : `派遣至${handlerName(c)}`,
          at: now,
        },
      ]);
      if (!report.answeredInChat)
        await tx.notify({
          personIds: [report.reporterId],
          caseId: c.id,
          dedupeKey: `case:${c.id}:reporter:created`,
          message: message(m, 'reporter.created', c),
        });
      await notifyStaff(tx, m, {
        personIds: await tx.handlers(c.handling ?? 'street', c.streetId, c.departmentId),
        c,
        key: unbound ? 'handler.unbound' : 'handler.dispatched',
        ...(unbound ? { extra: { department: routed.department ?? '承办部门' } } : {}),
        dedupeKey: `case:${c.id}:handler:dispatched:0`,
        now,
      });
      return { kind: 'created', case: c };
    });
  }

  return { submit };
}

export type CaseIntakeService = ReturnType<typeof createCaseIntakeService>;
