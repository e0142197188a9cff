import { redactPersonalData } from '../case/anonymise-fns.ts';
import type { CaseStatus } from '../case/case-types.ts';
import { w3cDateTime } from './open311-date-fns.ts';
import { detailedStatus, type DetailedStatus } from './open311-status-fns.ts';

/**
 * GET servicerequestupdates, from mySociety's extension ("Open311 FMS - Proposed differences
 * to Open311": Get Service Request Updates, with the Additional states): one update per step of
 * the closed loop, so a FixMyStreet-style client learns each change without polling every
 * request. Only the steps a reporter would be told about are updates; assignments, reminders
 * and internal notes are not.
 */
export const UPDATE_TYPES = [
  'dispatched',
  'accepted',
  'returned',
  'escalated',
  'referred',
  'rejected',
  'resolved',
  'closed',
  'rework',
  'reopened',
  'merged',
] as const;
type UpdateType = (typeof UPDATE_TYPES)[number];

/** What each step says publicly. Handlers' free-text notes are shown only where they are the answer. */
const DESCRIPTIONS: Record<UpdateType, string> = {
  dispatched: '已立案并派遣至承办单位',
  accepted: '承办单位已接单处置',
  returned: '已退回，重新分派承办单位',
  escalated: '已上报区城市管理执法局',
  referred: '已移送相关部门办理',
  rejected: '不予受理',
  resolved: '承办单位已办结，待核查',
  closed: '核查通过，已结案',
  rework: '核查未通过，返工处置',
  reopened: '重新办理',
  merged: '与其他案件重复，已合并办理',
};
/** Steps whose note is the public answer (办结情况, 不予受理的理由); redacted like every public text. */
const NOTE_IS_ANSWER = new Set<string>(['resolved', 'rejected']);

export interface Open311EventRecord {
  id: number;
  caseNumber: string;
  type: string;
  toStatus: CaseStatus;
  note: string | null;
  at: Date;
}

export interface Open311Update {
  update_id: string;
  service_request_id: string;
  status: DetailedStatus;
  updated_datetime: string;
  description: string;
  media_url: string | null;
  external_status_code: CaseStatus;
}

export function toOpen311Update(e: Open311EventRecord): Open311Update {
  const type = e.type as UpdateType;
  const label = DESCRIPTIONS[type] ?? '';
  const note = NOTE_IS_ANSWER.has(type) && e.note ? redactPersonalData(e.note) : null;
  return {
    update_id: String(e.id),
    service_request_id: e.caseNumber,
    status: type === 'referred' ? 'INTERNAL_REFERRAL' : detailedStatus({ status: e.toStatus, handling: null }),
    updated_datetime: w3cDateTime(e.at),
    description: note ? `${label}：${note}` : label,
    media_url: null,
    external_status_code: e.toStatus,
  };
}
