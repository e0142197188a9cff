import type { StreetLocation } from './geo-types.ts';
import { tierOf, type GazetteerIndex, type IndexEntry } from './gazetteer-index-fns.ts';
import { longestNonOverlapping, normaliseText } from './text-matcher-fns.ts';
import { base, evidenceOf, KIND_LABEL, plain, quote, quoteAll, shown } from './text-reason-fns.ts';

/*
 * Free text or an address → street, through the gazetteer. The most specific kind of
 * name decides: a street's own name > a community > a landmark or house-numbered address
 * > a road inside one street > a place known to be in another district > roads that run
 * through several streets (which only decide where two of them cross in one street).
 */

type CodeOf = (street: string) => string | null;

function streetsOf(e: IndexEntry): string[] {
  switch (e.kind) {
    case 'street':
    case 'community':
      return [e.street];
    case 'landmark':
      return e.candidates;
    case 'road':
      return e.streets;
    default:
      return [];
  }
}

function isDecisive(e: IndexEntry): boolean {
  return streetsOf(e).length === 1;
}

function intersectAll(sets: string[][]): string[] {
  const [first, ...rest] = sets;
  if (!first) return [];
  return [...new Set(first)].filter((s) => rest.every((r) => r.includes(s)));
}

function decided(street: string, codeOf: CodeOf, entries: IndexEntry[], reason: string): StreetLocation {
  return {
    ...base(reason),
    street,
    streetCode: codeOf(street),
    method: 'gazetteer',
    evidence: evidenceOf(entries),
  };
}

export function locateInText(index: GazetteerIndex, codeOf: CodeOf, text: string): StreetLocation {
  const norm = normaliseText(text ?? '');
  if (norm.length === 0) return base('没有地址或文字可供判断位置');
  const matches = longestNonOverlapping(index.matcher.findAll(norm));
  // Each entry carries the words actually written, so reasons quote the reporter.
  const entries: IndexEntry[] = matches.flatMap((m) =>
    (index.entriesByPattern[m.pattern] ?? [])
      .filter((e) => e.kind !== 'ignore')
      .map((e): IndexEntry => ({ ...e, name: shown(norm.slice(m.start, m.end), e.name) })),
  );
  if (entries.length === 0) return base('未能从文字中识别出江汉区的街道、社区、道路或地标');

  // An address that names another district and not 江汉区 is outside, whatever else it says.
  const other = entries.find((e) => e.kind === 'otherDistrict');
  const own = entries.some((e) => e.kind === 'ownDistrict');
  if (other && other.kind === 'otherDistrict' && !own) {
    return {
      ...base(`地址提到${other.district}，该位置不在江汉区范围内，疑似属${other.district}`),
      method: 'gazetteer',
      outsideDistrict: true,
      neighbour: other.district,
      evidence: plain(other.name),
    };
  }

  const ranked = entries
    .map((e) => ({ e, tier: tierOf(e) }))
    .filter((x): x is { e: IndexEntry; tier: number } => x.tier !== null);
  if (ranked.length === 0) return base('文字只提到江汉区，未能确定具体街道');

  const ambiguous = ranked.filter((x) => x.e.kind !== 'foreign' && !isDecisive(x.e)).map((x) => x.e);
  const constraint = intersectAll(ambiguous.map(streetsOf));

  const decisive = ranked.filter((x) => x.e.kind !== 'foreign' && isDecisive(x.e));
  if (decisive.length > 0) {
    const bestTier = Math.min(...decisive.map((x) => x.tier));
    const top = decisive.filter((x) => x.tier === bestTier).map((x) => x.e);
    let streets = [...new Set(top.flatMap(streetsOf))];
    // Names of two streets at the same level: an ambiguous name mentioned too may settle it.
    if (streets.length > 1 && constraint.length > 0) {
      const narrowed = streets.filter((s) => constraint.includes(s));
      if (narrowed.length > 0) streets = narrowed;
    }
    if (streets.length === 1) {
      const street = streets[0]!;
      const first = top[0]!;
      if (first.kind === 'street')
        return decided(street, codeOf, top, `文字提到${quoteAll(top.map((e) => e.name))}，即${street}`);
      const label = first.kind === 'landmark' && first.address ? '地址' : (KIND_LABEL[first.kind] ?? '地名');
      return decided(street, codeOf, top, `${label}${quoteAll(top.map((e) => e.name))}位于${street}`);
    }
    return {
      ...base(`文字中的${quoteAll(top.map((e) => e.name))}分属${streets.join('、')}，无法确定是哪个街道`),
      method: 'gazetteer',
      candidates: streets,
      evidence: evidenceOf(top),
    };
  }

  const foreign = ranked.find((x) => x.e.kind === 'foreign')?.e;
  if (foreign && foreign.kind === 'foreign') {
    return {
      ...base(`${quote(foreign.name)}位于${foreign.district}，该位置不在江汉区范围内`),
      method: 'gazetteer',
      outsideDistrict: true,
      neighbour: foreign.district,
      evidence: plain(foreign.name),
    };
  }

  // Only names that span several streets: where two cross inside one street, that decides.
  const names = quoteAll(ambiguous.map((e) => e.name));
  if (constraint.length === 1 && ambiguous.length > 1) {
    const street = constraint[0]!;
    return decided(street, codeOf, ambiguous, `${names}交汇处位于${street}`);
  }
  const candidates = constraint.length > 0 ? constraint : [...new Set(ambiguous.flatMap(streetsOf))];
  const what = ambiguous.every((e) => e.kind === 'road') ? '道路' : '地名';
  return {
    ...base(
      `${what}${names}跨越${candidates.length}个街道（${candidates.join('、')}），仅凭名称无法确定所属街道，请补充门牌号、社区名或发送定位`,
    ),
    method: 'gazetteer',
    candidates,
    evidence: evidenceOf(ambiguous),
  };
}
