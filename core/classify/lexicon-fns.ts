import type { PowerList } from '../power-list/power-list-types.ts';
import { parsePattern, parseTerm } from '../power-list/keyword-syntax-fns.ts';
import { buildAutomaton } from './aho-corasick.ts';
import type { CompiledItem, Lexicon, SignalGroup, SignalPattern, TermRef } from './lexicon-types.ts';
import { COMPLAINT_CUES, NON_ACTIONABLE_CUES, URGENCY_CUES, URGENCY_PATTERNS } from './signal-lexicon.ts';
import type { NonActionableKind, UrgencyKind } from './signal-lexicon.ts';
import { normalizeText } from './text-normalize-fns.ts';

export const KEYWORD_BASE = 2;
export const SHADOW_ITEM = 1;
export const SHADOW_SIGNAL = 2;
export const WEAK_BASE = 0.5;

/** Longer phrasings are a little more specific; single characters are only hints. Generic words belong in `weak`. */
export function lengthFactor(length: number): number {
  if (length <= 1) return 0.5;
  if (length === 2) return 1;
  if (length === 3) return 1.05;
  return 1.15;
}

export function compileLexicon(list: PowerList): Lexicon {
  const ids = new Map<string, number>();
  const words: string[] = [];
  const refs: TermRef[][] = [];
  const add = (raw: string, ref: TermRef) => {
    const word = normalizeText(raw);
    if (word.length === 0) return;
    let id = ids.get(word);
    if (id === undefined) {
      id = words.length;
      ids.set(word, id);
      words.push(word);
      refs.push([]);
    }
    refs[id]!.push(ref);
  };

  const items: CompiledItem[] = list.items.map((item, owner) => {
    for (const raw of item.keywords) {
      const { text, weight } = parseTerm(raw);
      add(text, {
        role: 'keyword',
        owner,
        weight: weight ?? KEYWORD_BASE * lengthFactor(text.length),
        pattern: -1,
        part: -1,
      });
    }
    for (const raw of item.weak ?? []) {
      const { text, weight } = parseTerm(raw);
      add(text, { role: 'weak', owner, weight: weight ?? WEAK_BASE, pattern: -1, part: -1 });
    }
    for (const raw of item.excludes ?? []) {
      add(parseTerm(raw).text, { role: 'exclude', owner, weight: 0, pattern: -1, part: -1 });
    }
    const patterns = item.patterns ?? [];
    const patternParts = patterns.map((raw, pattern) => {
      const parts = parsePattern(raw);
      parts.forEach((alts, part) => alts.forEach((alt) => add(alt, { role: 'part', owner, weight: 0, pattern, part })));
      return parts.length;
    });
    return { item, patternParts, patternText: patterns };
  });

  const groups: SignalGroup[] = [];
  const addGroup = (group: SignalGroup, cues: ReadonlyArray<readonly [string, number]>) => {
    const owner = groups.length;
    groups.push(group);
    for (const [text, weight] of cues) add(text, { role: 'signal', owner, weight, pattern: -1, part: -1 });
  };
  const urgencyGroup = new Map<UrgencyKind, number>();
  for (const kind of Object.keys(URGENCY_CUES) as UrgencyKind[]) {
    urgencyGroup.set(kind, groups.length);
    addGroup({ family: 'urgency', kind }, URGENCY_CUES[kind]);
  }
  const signalPatterns: SignalPattern[] = URGENCY_PATTERNS.map(([kind, raw, weight], owner) => {
    const parts = parsePattern(raw);
    parts.forEach((alts, part) =>
      alts.forEach((alt) => add(alt, { role: 'signal-part', owner, weight: 0, pattern: owner, part })),
    );
    return { group: urgencyGroup.get(kind)!, parts: parts.length, weight };
  });
  for (const kind of Object.keys(NON_ACTIONABLE_CUES) as NonActionableKind[]) {
    addGroup({ family: 'chat', kind }, NON_ACTIONABLE_CUES[kind]);
  }
  addGroup({ family: 'complaint' }, COMPLAINT_CUES);

  const shadows = new Uint8Array(words.length);
  refs.forEach((rs, id) => {
    for (const r of rs) {
      if (r.role === 'keyword' || r.role === 'weak') shadows[id]! |= SHADOW_ITEM;
      if (r.role === 'signal') shadows[id]! |= SHADOW_SIGNAL;
    }
  });
  const ownersOf = (rs: TermRef[], roles: TermRef['role'][]) => [
    ...new Set(rs.filter((r) => roles.includes(r.role)).map((r) => r.owner)),
  ];
  const keywordOwners = refs.map((rs) => ownersOf(rs, ['keyword']));
  const vocabularyOwners = refs.map((rs) => ownersOf(rs, ['keyword', 'weak']));
  const ordinaryKeyword = Uint8Array.from(keywordOwners, (owners) =>
    owners.some((o) => !items[o]!.item.urgent) ? 1 : 0,
  );
  return {
    version: list.version,
    automaton: buildAutomaton(words),
    words,
    refs,
    shadows,
    items,
    keywordOwners,
    vocabularyOwners,
    ordinaryKeyword,
    groups,
    signalPatterns,
  };
}
