import { parseHotlineDate, type CellValue } from './hotline-date-fns.ts';
import type { HotlineMapping, OrderField } from './hotline-mapping.ts';

/** The hotline's deadline (办理时限): a point in time, or a span after 受理时间. */
export type DeadlineSpec =
  | { kind: 'at'; at: Date }
  | { kind: 'working_days'; days: number }
  | { kind: 'hours'; hours: number }
  | { kind: 'days'; days: number };

/** One hotline work order (工单), as read from a row, before it is filed. */
export interface WorkOrder {
  /** 1-based row number in the file (the header is row 1) or position in a pushed array. */
  row: number;
  ref: string;
  receivedAt: Date;
  text: string;
  address: string | null;
  street: string | null;
  category: string | null;
  deadline: DeadlineSpec | null;
  callerName: string | null;
  callerPhone: string | null;
  /** Problems that did not stop the order (Chinese), e.g. an unreadable phone number. */
  warnings: string[];
}

export type RowResult = { ok: true; order: WorkOrder } | { ok: false; row: number; ref: string | null; reason: string };

const REF = /^[A-Za-z0-9][A-Za-z0-9_-]{2,63}$/;
const MAX_TEXT = 5000;

function text(v: CellValue): string | null {
  if (v === null || v === undefined) return null;
  const s = (v instanceof Date ? v.toISOString() : String(v)).replace(/\u3000/g, ' ').trim();
  return s === '' ? null : s;
}

/** The value of a field: under any of its mapped headers, or under the field's own name (JSON pushes). */
export function cellFor(cells: Record<string, CellValue>, mapping: HotlineMapping, field: OrderField): CellValue {
  for (const h of mapping.columns[field] ?? []) if (cells[h] !== undefined && cells[h] !== null) return cells[h];
  return cells[field];
}

const halfWidth = (s: string) => s.replace(/[０-９]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));

/**
 * A phone number in the one form it is stored in: mobile 13912345678, landline 027-85551234
 * (extension after 转), or as the hotline masked it (139****1234). Null when unreadable.
 */
export function normalisePhone(raw: string): string | null {
  const s = halfWidth(raw).replace(/[\s\-()（）]/g, '');
  const masked = /^(?:\+?86)?(1[3-9]\d)(\*{4})(\d{4})$/.exec(s);
  if (masked) return `${masked[1]}****${masked[3]}`;
  const mobile = /^(?:\+?86)?(1[3-9]\d{9})$/.exec(s);
  if (mobile) return mobile[1]!;
  // Area codes: 010 and 02x have three digits, all others four.
  const land = /^(?:\+?86)?(0(?:10|2\d)|0[3-9]\d{2})(\d{7,8})(?:转(\d{1,5}))?$/.exec(s);
  if (land) return `${land[1]}-${land[2]}${land[3] ? `转${land[3]}` : ''}`;
  // Wuhan numbers are often written without the area code.
  const local = /^([2-8]\d{7})$/.exec(s);
  if (local) return `027-${local[1]}`;
  return null;
}

/** '5个工作日', '3天', '24小时', or a date in one of the mapping's formats. */
export function parseDeadline(v: CellValue, formats: readonly string[]): DeadlineSpec | null {
  const at = parseHotlineDate(v, formats);
  if (at) return { kind: 'at', at };
  const s = typeof v === 'string' ? halfWidth(v).replace(/\s/g, '') : '';
  const m = /^(\d{1,3})(个)?(工作日|天|日|小时|个小时)$/.exec(s);
  if (!m) return null;
  const n = Number(m[1]);
  if (n < 1) return null;
  if (m[3] === '工作日') return { kind: 'working_days', days: n };
  if (m[3] === '小时' || m[3] === '个小时') return { kind: 'hours', hours: n };
  return { kind: 'days', days: n };
}

/** One row → a work order, or the reason (Chinese) it cannot be one. Never throws. */
export function rowToWorkOrder(cells: Record<string, CellValue>, mapping: HotlineMapping, row: number): RowResult {
  const get = (f: OrderField) => text(cellFor(cells, mapping, f));
  const refRaw = get('ref');
  const fail = (reason: string): RowResult => ({ ok: false, row, ref: refRaw, reason });
  if (!refRaw) return fail('缺少工单编号');
  if (!REF.test(refRaw)) return fail(`工单编号“${refRaw.slice(0, 40)}”格式不正确`);
  const receivedRaw = cellFor(cells, mapping, 'receivedAt');
  if (text(receivedRaw) === null) return fail('缺少受理时间');
  const receivedAt = parseHotlineDate(receivedRaw, mapping.dateFormats);
  if (!receivedAt) return fail(`受理时间“${text(receivedRaw)!.slice(0, 30)}”无法识别`);
  const body = get('text');
  if (!body) return fail('缺少诉求内容');
  const title = get('title');
  const full = title && !body.includes(title) ? `${title}：${body}` : body;
  if (full.length > MAX_TEXT) return fail(`诉求内容超过 ${MAX_TEXT} 字`);

  const warnings: string[] = [];
  const dueRaw = cellFor(cells, mapping, 'dueAt');
  let deadline: DeadlineSpec | null = null;
  if (text(dueRaw) !== null) {
    deadline = parseDeadline(dueRaw, mapping.dateFormats);
    if (!deadline) warnings.push(`办理时限“${text(dueRaw)!.slice(0, 30)}”无法识别，按默认时限计算`);
    else if (deadline.kind === 'at' && deadline.at.getTime() <= receivedAt.getTime()) {
      warnings.push('办理时限早于受理时间，按默认时限计算');
      deadline = null;
    }
  }
  const phoneRaw = get('callerPhone');
  const callerPhone = phoneRaw ? normalisePhone(phoneRaw) : null;
  if (phoneRaw && !callerPhone) warnings.push('联系电话无法识别，未保存');
  return {
    ok: true,
    order: {
      row,
      ref: refRaw,
      receivedAt,
      text: full,
      address: get('address')?.slice(0, 200) ?? null,
      street: get('street'),
      category: get('category'),
      deadline,
      callerName: get('callerName')?.slice(0, 40) ?? null,
      callerPhone,
      warnings,
    },
  };
}
