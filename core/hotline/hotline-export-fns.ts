import { redactPersonalData } from '../case/anonymise-fns.ts';
import type { CaseStatus, Handling } from '../case/case-types.ts';
import { formatHotlineDate } from './hotline-date-fns.ts';
import type { ExportField, HotlineMapping, ResultKey } from './hotline-mapping.ts';

/** A filed order with the state of the case that answers it (the surviving one when merged). */
export interface HotlineResultRow {
  ref: string;
  caseNumber: string;
  status: CaseStatus;
  handling: Handling | null;
  handler: string | null;
  outcome: string | null;
  /** Why the case was not taken on (不予受理), from its event. */
  rejectionNote: string | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  dueAt: Date | null;
}

/** The hotline hears "done" only for checked cases (结案): closed must mean checked fixed. */
export function resultKey(r: Pick<HotlineResultRow, 'status' | 'handling'>): ResultKey {
  if (r.status === 'closed') return 'done';
  if (r.status === 'rejected') return 'rejected';
  if (r.status === 'triage') return 'pending';
  return r.handling === 'department' ? 'referred' : 'in_progress';
}

/** The reply (答复意见) is public-facing text: personal data typed into it is redacted. */
function reply(r: HotlineResultRow, key: ResultKey): string | null {
  const text = key === 'rejected' ? (r.rejectionNote ?? r.outcome) : key === 'done' ? r.outcome : null;
  return text ? redactPersonalData(text) : null;
}

/** Rows in the hotline's own layout (the mapping's export columns and values). */
export function hotlineExportTable(
  rows: readonly HotlineResultRow[],
  mapping: HotlineMapping,
): { sheet: string; headers: string[]; rows: Array<Array<string | null>> } {
  const { columns, results, dateFormat, sheet } = mapping.export;
  const date = (d: Date | null) => (d ? formatHotlineDate(d, dateFormat) : null);
  const cell = (r: HotlineResultRow, f: ExportField): string | null => {
    const key = resultKey(r);
    switch (f) {
      case 'ref':
        return r.ref;
      case 'result':
        return results[key];
      case 'reply':
        return reply(r, key);
      case 'finishedAt':
        return key === 'done' || key === 'rejected' ? date(r.closedAt ?? r.resolvedAt) : null;
      case 'handler':
        return r.handler;
      case 'caseNumber':
        return r.caseNumber;
      case 'status':
        return key;
      case 'dueAt':
        return date(r.dueAt);
    }
  };
  return {
    sheet,
    headers: columns.map((c) => c.header),
    rows: rows.map((r) => columns.map((c) => cell(r, c.field))),
  };
}
