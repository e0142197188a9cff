import { SHANGHAI_OFFSET_MS } from '../deadlines/shanghai-day-fns.ts';
import type { CaseRow } from './case-port.ts';

/** '11月30日 14:00' in Shanghai time: what people read on a phone. */
export function formatShanghai(at: Date | null): string {
  if (!at) return '—';
  const d = new Date(at.getTime() + SHANGHAI_OFFSET_MS);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** 'JH-20261129-0001'. */
export function caseNumber(prefix: string, day: string, seq: number): string {
  return `${prefix}-${day.replace(/-/g, '')}-${String(seq).padStart(4, '0')}`;
}

export function handlerName(c: Pick<CaseRow, 'handling' | 'streetName' | 'departmentName'>): string {
  if (c.handling === 'district') return '区城市管理执法局';
  if (c.handling === 'department') return c.departmentName ?? '相关部门';
  if (c.handling === 'street') return c.streetName ? `${c.streetName}城管执法队` : '街道城管执法队';
  return '街道指挥中心';
}

/**
 * Why a matter goes where it goes, in one sentence a resident can read: the matter and its legal
 * basis, never the classifier's matched words.
 */
export function whyHandled(matter: string, handler: string, legalBasis: string | null | undefined): string {
  const basis = legalBasis?.trim() ? `，依据${legalBasis.trim()}` : '';
  return `“${matter}”由${handler}负责处理${basis}。`;
}

/**
 * Where the problem is, in words: the street and the address text; with no address, the street
 * and the point (a report that gave only a pin is still somewhere a team lead can find).
 */
export function placeOf(c: Pick<CaseRow, 'address' | 'lat' | 'lng' | 'streetName'>): string {
  const point = c.lat !== null && c.lng !== null ? `北纬 ${c.lat.toFixed(5)}，东经 ${c.lng.toFixed(5)}` : null;
  if (c.address) return [c.streetName, c.address].filter(Boolean).join(' ');
  if (c.streetName && point) return `${c.streetName}（${point}）`;
  if (c.streetName) return c.streetName;
  if (point) return `坐标 ${point}`;
  return '未提供';
}

export function shorten(text: string, max = 120): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
