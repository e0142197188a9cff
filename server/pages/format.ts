import { ROLE_LABELS as CORE_ROLE_LABELS } from '../../core/case/case-types.ts';
import type { Handling } from '../../core/case/case-types.ts';
import { DISTRICT_OFFSET_MS } from '../../core/stats/period-fns.ts';

/** Display helpers shared by the pages and the exports; all times in district time (UTC+8). */

const pad = (n: number) => String(n).padStart(2, '0');

function local(at: Date | string): Date {
  return new Date(new Date(at).getTime() + DISTRICT_OFFSET_MS);
}

/** '2026-11-30 14:05' */
export function dateTime(at: Date | string | null | undefined): string {
  if (!at) return '—';
  const d = local(at);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** '11-30 14:05': short enough for a phone table cell. */
export function shortDateTime(at: Date | string | null | undefined): string {
  if (!at) return '—';
  const d = local(at);
  return `${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

export function percent(rate: number | null | undefined): string {
  return rate === null || rate === undefined ? '—' : `${(rate * 100).toFixed(1)}%`;
}

export function hours(h: number | null | undefined): string {
  return h === null || h === undefined ? '—' : `${h.toFixed(1)} 小时`;
}

export const HANDLING_LABELS: Record<Handling, string> = {
  street: '街道',
  district: '区局',
  department: '移送部门',
  none: '无需处理',
};

export function handlingLabel(h: string | null): string {
  return h ? (HANDLING_LABELS[h as Handling] ?? h) : '—';
}

/** The roles, and the actors an event may also name (the reporter, the system). */
export const ROLE_LABELS: Record<string, string> = {
  ...CORE_ROLE_LABELS,
  reporter: '报告人',
  system: '系统',
};

export const EVENT_LABELS: Record<string, string> = {
  supplemented: '报告人补充',
  submitted: '提交报告',
  triage: '待人工分拣',
  registered: '立案',
  dispatched: '派遣',
  accepted: '接单',
  assigned: '转派',
  returned: '退回',
  escalated: '上报区局',
  referred: '移送部门',
  rejected: '不予受理',
  resolved: '办结',
  verified: '核查通过',
  rework: '核查不通过（返工）',
  closed: '结案',
  reopened: '重新办理',
  merged: '合并',
  duplicate_reported: '重复报告并入',
  rated: '评价',
  postponement_requested: '申请缓办',
  postponement_approved: '缓办获批',
  postponement_refused: '缓办未获批',
  place_confirmed: '确认位置',
};

export const eventLabel = (type: string): string => EVENT_LABELS[type] ?? type;
