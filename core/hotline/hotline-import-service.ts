import type { OrderInput, OrderOutcome } from '../case/report-service.ts';
import type { HolidayCalendar } from '../deadlines/holiday-calendar.ts';
import { addWorkingDays } from '../deadlines/working-time-fns.ts';
import { ConflictError, DomainError } from '../errors.ts';
import type { CellValue } from './hotline-date-fns.ts';
import type { HotlineMapping } from './hotline-mapping.ts';
import type { HotlineStore } from './hotline-port.ts';
import { emptyReport, type HotlineImportReport } from './hotline-report.ts';
import { rowToWorkOrder, type DeadlineSpec, type WorkOrder } from './hotline-row-fns.ts';

/** The channel cases filed from the hotline carry (Case.channel). */
export const HOTLINE_CHANNEL = 'hotline';

export interface HotlineImportDeps {
  /** The same filing path chat reports take (routing, then the case intake use-case). */
  intake: { fileOrder(input: OrderInput): Promise<OrderOutcome> };
  store: HotlineStore;
  clock: () => Date;
  calendar: HolidayCalendar;
  mapping: HotlineMapping;
}

export interface SourceRow {
  row: number;
  cells: Record<string, CellValue>;
}

const HOUR_MS = 3_600_000;

/** 民族街 → 民族街道: exports write the street both ways. */
export function streetHint(raw: string | null): string | null {
  if (!raw) return null;
  const s = raw.replace(/\s/g, '').replace(/^(武汉市)?(江汉区)?/, '');
  if (!s) return null;
  return s.endsWith('街') ? `${s}道` : s;
}

/**
 * Files hotline work orders as cases: each row is parsed on its own, so a malformed row is
 * reported with its number and the others go on; an order already filed (same source and
 * 工单编号) is skipped, so importing the same file twice creates nothing twice.
 */
export function createHotlineImportService(deps: HotlineImportDeps) {
  const { mapping } = deps;

  function deadline(spec: DeadlineSpec | null, receivedAt: Date): Date {
    if (!spec) return addWorkingDays(receivedAt, mapping.defaultDeadlineWorkingDays, deps.calendar);
    if (spec.kind === 'at') return spec.at;
    if (spec.kind === 'working_days') return addWorkingDays(receivedAt, spec.days, deps.calendar);
    if (spec.kind === 'hours') return new Date(receivedAt.getTime() + spec.hours * HOUR_MS);
    return new Date(receivedAt.getTime() + spec.days * 24 * HOUR_MS);
  }

  async function file(order: WorkOrder, report: HotlineImportReport): Promise<void> {
    const reporterId = await deps.store.callerPerson({ name: order.callerName, phone: order.callerPhone });
    try {
      const out = await deps.intake.fileOrder({
        text: order.text,
        address: order.address,
        streetHint: streetHint(order.street),
        channel: HOTLINE_CHANNEL,
        reporterId,
        external: {
          source: mapping.source,
          ref: order.ref,
          receivedAt: order.receivedAt,
          dueAt: deadline(order.deadline, order.receivedAt),
          data: { category: order.category, street: order.street },
        },
      });
      const c = out.kind === 'duplicate' ? out.existing : out.case;
      report.created.push({
        row: order.row,
        ref: order.ref,
        caseNumber: out.case.number,
        status: out.kind === 'duplicate' ? `已并入${c.number}` : out.case.status,
        street: c.streetName,
      });
    } catch (err) {
      // Filed meanwhile by another import (the webhook and an upload at once): nothing twice.
      if (err instanceof ConflictError) report.skipped.push({ row: order.row, ref: order.ref, reason: '已导入' });
      else if (err instanceof DomainError) report.failed.push({ row: order.row, ref: order.ref, reason: err.message });
      else throw err;
    }
  }

  async function importRows(rows: readonly SourceRow[]): Promise<HotlineImportReport> {
    const report = emptyReport();
    report.total = rows.length;
    const orders: WorkOrder[] = [];
    for (const r of rows) {
      const parsed = rowToWorkOrder(r.cells, mapping, r.row);
      if (parsed.ok) orders.push(parsed.order);
      else report.failed.push({ row: parsed.row, ref: parsed.ref, reason: parsed.reason });
    }
    const filed = await deps.store.importedRefs(
      mapping.source,
      orders.map((o) => o.ref),
    );
    const seen = new Map<string, number>();
    const now = deps.clock().getTime();
    for (const order of orders) {
      if (order.receivedAt.getTime() > now + HOUR_MS) order.warnings.push('受理时间晚于当前时间，请核对');
      for (const message of order.warnings) report.warnings.push({ row: order.row, ref: order.ref, message });
      const earlier = seen.get(order.ref);
      if (earlier !== undefined) {
        report.skipped.push({ row: order.row, ref: order.ref, reason: `与第 ${earlier} 行工单编号重复` });
        continue;
      }
      seen.set(order.ref, order.row);
      const existing = filed.get(order.ref);
      if (existing) {
        report.skipped.push({ row: order.row, ref: order.ref, reason: `已导入（案件${existing}）` });
        continue;
      }
      await file(order, report);
    }
    return report;
  }

  return { importRows };
}

export type HotlineImportService = ReturnType<typeof createHotlineImportService>;
