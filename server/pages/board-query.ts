import type { CaseListQuery } from '../../db/case-queries.ts';

/**
 * The case board's GET form, shared by the board, the overdue list and the exports so an
 * export holds exactly what the board showed. Empty fields mean "no filter".
 */
export interface BoardFilters {
  street?: string;
  status?: string;
  post?: string;
  handling?: string;
  overdue?: 'true' | 'false';
  from?: string;
  to?: string;
  q?: string;
}

export const FILTER_KEYS = ['street', 'status', 'post', 'handling', 'overdue', 'from', 'to', 'q'] as const;
export const PAGE_SIZE = 20;

export type RawQuery = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined): string | undefined => {
  const s = (Array.isArray(v) ? v[0] : v)?.trim();
  return s ? s.slice(0, 100) : undefined;
};

export function parseBoardFilters(raw: RawQuery): BoardFilters {
  const f: BoardFilters = {};
  for (const key of FILTER_KEYS) {
    const v = one(raw[key]);
    if (v === undefined) continue;
    if (key === 'overdue') {
      if (v === 'true' || v === 'false') f.overdue = v;
    } else f[key] = v;
  }
  return f;
}

export function parsePage(raw: RawQuery): number {
  const n = Number(one(raw.page) ?? '1');
  return Number.isInteger(n) && n >= 1 && n <= 100_000 ? n : 1;
}

/** The filters as db/case-queries.ts takes them. */
export function toListQuery(f: BoardFilters, page: number, pageSize = PAGE_SIZE): CaseListQuery {
  return {
    street: f.street,
    status: f.status,
    post: f.post,
    handling: f.handling,
    from: f.from,
    to: f.to,
    q: f.q,
    overdue: f.overdue === undefined ? undefined : f.overdue === 'true',
    page,
    pageSize,
  };
}

export function queryString(f: BoardFilters, extra: Record<string, string | number> = {}): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (f[key]) params.set(key, f[key]!);
  for (const [k, v] of Object.entries(extra)) params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}
