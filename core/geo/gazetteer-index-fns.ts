import type { Gazetteer } from './jurisdiction-data-types.ts';
import { buildMatcher, normaliseText, type TextMatcher } from './text-matcher-fns.ts';

/*
 * Turns the gazetteer into one flat list of names, each tied to what it means, and
 * compiles a single matcher over all of them. Built once per Jurisdiction.
 */

/** Lower tier = more specific; locateText decides from the most specific tier that has a match. */
export const TIER = {
  street: 0,
  community: 1,
  landmark: 2,
  road: 3,
  foreign: 4,
  ambiguousRoad: 5,
} as const;

const COMPOUND_SUFFIXES = ['小区', '花园', '片区'];

/** Community names that are also common compound names elsewhere in Wuhan. */
const GENERIC_COMPOUND_NAMES = new Set([
  '和平',
  '建设',
  '前进',
  '发展',
  '阳光',
  '新村',
  '公园',
  '青年',
  '友谊',
  '民生',
  '盛世',
  '环保',
  '正街',
  '交通路',
  '机场',
  '长堤',
  '万年',
  '永康',
  '永丰',
  '仁和',
  '华中',
  '中大',
  '江北',
  '勤劳',
  '天后',
  '桃林',
  '凌云',
]);

export type IndexEntry =
  | { kind: 'street'; name: string; street: string }
  | { kind: 'community'; name: string; street: string }
  | { kind: 'landmark'; name: string; street: string | null; candidates: string[]; address: boolean }
  | { kind: 'road'; name: string; streets: string[] }
  | { kind: 'foreign'; name: string; district: string }
  | { kind: 'otherDistrict'; name: string; district: string }
  | { kind: 'ownDistrict'; name: string }
  | { kind: 'ignore'; name: string };

export interface GazetteerIndex {
  matcher: TextMatcher;
  /** entriesByPattern[i] = the entries the i-th pattern stands for. */
  entriesByPattern: IndexEntry[][];
}

const DIGITS: Record<string, string> = {
  一: '1',
  二: '2',
  三: '3',
  四: '4',
  五: '5',
  六: '6',
  七: '7',
  八: '8',
  九: '9',
};

/** 前进一路 is also written 前进1路. */
function roadVariants(name: string): string[] {
  const digitised = name.replace(
    /([一二三四五六七八九])(路|街|巷)/g,
    (_m, d: string, s: string) => `${DIGITS[d] ?? d}${s}`,
  );
  return digitised === name ? [name] : [name, digitised];
}

export function buildGazetteerIndex(g: Gazetteer): GazetteerIndex {
  const byPattern = new Map<string, IndexEntry[]>();
  const add = (raw: string, entry: IndexEntry): void => {
    const key = normaliseText(raw);
    if (key.length === 0) return;
    const list = byPattern.get(key) ?? [];
    list.push(entry);
    byPattern.set(key, list);
  };

  for (const s of g.streets) {
    for (const n of [s.name, ...s.aliases]) add(n, { kind: 'street', name: n, street: s.name });
  }
  for (const c of g.communities) {
    const shorts = [c.short, ...(c.aliases ?? [])];
    for (const short of shorts) {
      for (const suffix of ['社区', '居委会', '社区居委会', '社区居民委员会']) {
        add(short + suffix, { kind: 'community', name: c.name, street: c.street });
      }
      // Bare names only where they are not ordinary words (see extract-communities.ts).
      if (!c.requiresSuffix) add(short, { kind: 'community', name: c.name, street: c.street });
      // 电力小区, 航空小区: a compound named like its community is that community's (an
      // inference, so not for names many compounds share: 和平小区, 阳光小区 …).
      else if (!GENERIC_COMPOUND_NAMES.has(short)) {
        for (const suffix of COMPOUND_SUFFIXES)
          add(short + suffix, { kind: 'community', name: c.name, street: c.street });
      }
    }
  }
  for (const l of g.landmarks) {
    const entry: IndexEntry = {
      kind: 'landmark',
      name: l.name,
      street: l.street,
      candidates: l.street ? [l.street] : (l.candidates ?? []),
      address: l.kind === 'address',
    };
    for (const n of [l.name, ...(l.aliases ?? [])]) add(n, entry);
  }
  for (const r of g.roads) {
    const entry: IndexEntry = { kind: 'road', name: r.name, streets: [...r.streets] };
    for (const n of [r.name, ...(r.aliases ?? [])]) for (const v of roadVariants(n)) add(v, entry);
  }
  for (const f of g.foreignPlaces) {
    for (const n of [f.name, ...(f.aliases ?? [])]) add(n, { kind: 'foreign', name: n, district: f.district });
  }
  for (const d of g.neighbours) {
    for (const n of [d.name, ...d.aliases]) add(n, { kind: 'otherDistrict', name: n, district: d.name });
  }
  for (const n of [g.district.name, ...g.district.aliases]) add(n, { kind: 'ownDistrict', name: n });
  // Longer than the names they contain, so they win the overlap and then count for nothing.
  for (const n of g.ignorePhrases ?? []) add(n, { kind: 'ignore', name: n });

  const patterns = [...byPattern.keys()];
  return { matcher: buildMatcher(patterns), entriesByPattern: patterns.map((p) => byPattern.get(p) ?? []) };
}

export function tierOf(e: IndexEntry): number | null {
  switch (e.kind) {
    case 'street':
      return TIER.street;
    case 'community':
      return TIER.community;
    case 'landmark':
      return TIER.landmark;
    case 'road':
      return e.streets.length === 1 ? TIER.road : TIER.ambiguousRoad;
    case 'foreign':
      return TIER.foreign;
    default:
      return null;
  }
}
