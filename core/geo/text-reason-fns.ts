import type { StreetLocation } from './geo-types.ts';
import type { IndexEntry } from './gazetteer-index-fns.ts';

/*
 * Wording of locateText's answers: reasons quote what the reporter wrote, with the
 * gazetteer's name beside it when they differ (“新舞台社区”（舞台社区）).
 */

export const KIND_LABEL: Record<string, string> = {
  street: '街道名',
  community: '社区',
  landmark: '地标',
  road: '道路',
};

export function base(reason: string): StreetLocation {
  return {
    street: null,
    streetCode: null,
    method: 'none',
    outsideDistrict: false,
    neighbour: null,
    candidates: [],
    reason,
    evidence: null,
  };
}

const SEP = '\u0000';

/** The written form, plus the canonical name when they differ (新舞台社区 → 舞台社区). */
export function shown(written: string, canonical: string): string {
  return written === canonical || canonical.startsWith(written) ? canonical : `${written}${SEP}${canonical}`;
}

export function quote(name: string): string {
  const [written, canonical] = name.split(SEP);
  return canonical ? `“${written}”（${canonical}）` : `“${written}”`;
}

export function plain(name: string): string {
  return name.split(SEP)[0]!;
}

export function quoteAll(names: string[]): string {
  return [...new Set(names)].map(quote).join('、');
}

export function evidenceOf(entries: IndexEntry[]): string {
  return [...new Set(entries.map((e) => plain(e.name)))].join('、');
}
