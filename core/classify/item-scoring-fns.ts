import type { ContextFlags } from './context-flags-fns.ts';
import { contextFlags } from './context-flags-fns.ts';
import type { Lexicon } from './lexicon-types.ts';
import { SHADOW_ITEM, SHADOW_SIGNAL } from './lexicon-fns.ts';
import type { Occurrence } from './match-fns.ts';
import type { PatternState } from './pattern-tracker-fns.ts';
import { notePart, patternStatus } from './pattern-tracker-fns.ts';

export const PATTERN_WEIGHT = 2.2;
/** Each further piece of evidence counts less: ten weak words must not beat one clear phrase. */
const DECAY = [1, 0.7, 0.5, 0.4, 0.3];
const EXCLUDE_FACTOR = 0.4;
/** Weak words alone never make a confident match. */
const WEAK_ONLY_CAP = 0.9;

export interface ItemScore {
  index: number;
  code: string;
  score: number;
  /** Matched words, strongest first; patterns as 'A+B'. */
  evidence: string[];
  /** A keyword or a pattern matched, not only weak words. */
  strong: boolean;
  excludedBy: string[];
}

export interface SignalHit {
  group: number;
  word: string;
  weight: number;
  flags: ContextFlags;
}

interface Acc {
  contrib: Map<string, number>;
  strong: boolean;
  patterns: Map<number, PatternState>;
  excludedBy: string[];
}

function acc(map: Map<number, Acc>, owner: number): Acc {
  let a = map.get(owner);
  if (!a) map.set(owner, (a = { contrib: new Map(), strong: false, patterns: new Map(), excludedBy: [] }));
  return a;
}

/**
 * Whether the occurrence lies inside a longer keyword of an item accepted by ownerOk. Pattern parts
 * are often single characters or loose words; inside another item's keyword they mean that item
 * (砖 in 地砖翘 is paving, not a pile of bricks).
 */
function insideKeyword(lexicon: Lexicon, occ: Occurrence, ownerOk: (owner: number) => boolean, weakToo = false): boolean {
  if (occ.containers === null) return false;
  return occ.containers.some((w) =>
    lexicon.refs[w]!.some((r) => (r.role === 'keyword' || (weakToo && r.role === 'weak')) && ownerOk(r.owner)),
  );
}

const offPresent = (f: ContextFlags) => f.negated || f.hypothetical;
/** A danger item told as a risk (万一漏气, 以防掉下来) is still the matter, with less weight, and no emergency. */
const HYPOTHETICAL_FACTOR = 0.5;

/** Danger words inside a longer phrase of an ordinary item mean that phrase: 燃气泄漏 in 燃气泄漏报警装置. */
function insideOrdinaryKeyword(lexicon: Lexicon, occ: Occurrence): boolean {
  return insideKeyword(lexicon, occ, (owner) => !lexicon.items[owner]!.item.urgent);
}

export function scoreOccurrences(
  lexicon: Lexicon,
  text: string,
  occurrences: readonly Occurrence[],
  sentence: Uint16Array,
): { items: ItemScore[]; signals: SignalHit[] } {
  const accs = new Map<number, Acc>();
  const signals: SignalHit[] = [];
  const signalPatterns = new Map<number, PatternState>();
  const signalPatternFlags = new Map<number, ContextFlags>();
  for (const occ of occurrences) {
    const word = lexicon.words[occ.word]!;
    let flags: ContextFlags | null = null;
    const getFlags = () => (flags ??= contextFlags(text, occ.start, occ.end));
    const s = sentence[occ.start]!;
    for (const ref of lexicon.refs[occ.word]!) {
      if (ref.role === 'signal') {
        if (occ.shadowed & SHADOW_SIGNAL || insideOrdinaryKeyword(lexicon, occ)) continue;
        signals.push({ group: ref.owner, word, weight: ref.weight, flags: getFlags() });
        continue;
      }
      if (ref.role === 'signal-part') {
        // Inside a cue word the cue speaks, with its own negation (没有煤气味).
        if (occ.shadowed & SHADOW_SIGNAL || insideOrdinaryKeyword(lexicon, occ)) continue;
        const f = getFlags();
        notePart(signalPatterns, ref.owner, ref.part, s, word, offPresent(f) || f.past);
        signalPatternFlags.set(ref.owner, f);
        continue;
      }
      const urgentItem = lexicon.items[ref.owner]!.item.urgent;
      if (ref.role === 'part') {
        if (insideKeyword(lexicon, occ, (owner) => owner !== ref.owner)) continue;
        // For a danger item its own keyword around the part decides, negation included (没有煤气味).
        if (urgentItem && insideKeyword(lexicon, occ, (owner) => owner === ref.owner)) continue;
        notePart(acc(accs, ref.owner).patterns, ref.pattern, ref.part, s, word, urgentItem && offPresent(getFlags()));
        continue;
      }
      if (ref.role === 'exclude') {
        // An exclusion inside the item's own longer word is that word (机动车 in 非机动车), not a contrary
        // sign; nor is a contrary sign that is denied or only feared (万一漏气).
        if (insideKeyword(lexicon, occ, (owner) => owner === ref.owner, true) || offPresent(getFlags())) continue;
        const a = acc(accs, ref.owner);
        if (!a.excludedBy.includes(word)) a.excludedBy.push(word);
        continue;
      }
      if (occ.shadowed & SHADOW_ITEM) continue;
      const f = getFlags();
      // A denied matter is absent, and so is a negated danger (没有煤气味).
      if (f.denied || (urgentItem && f.negated)) continue;
      const weight = urgentItem && f.hypothetical ? ref.weight * HYPOTHETICAL_FACTOR : ref.weight;
      const a = acc(accs, ref.owner);
      if ((a.contrib.get(word) ?? 0) < weight) a.contrib.set(word, weight);
      if (ref.role === 'keyword') a.strong = true;
    }
  }
  for (const [index, state] of signalPatterns) {
    const p = lexicon.signalPatterns[index]!;
    const status = patternStatus(state, p.parts);
    if (status === 'none') continue;
    const plain = { negated: false, denied: false, hypothetical: false, past: false };
    signals.push({ group: p.group, word: state.words.join('+'), weight: p.weight, flags: status === 'clean' ? plain : signalPatternFlags.get(index) ?? plain });
  }
  return { items: rankItems(lexicon, accs), signals };
}

function rankItems(lexicon: Lexicon, accs: Map<number, Acc>): ItemScore[] {
  const items: ItemScore[] = [];
  for (const [index, a] of accs) {
    const compiled = lexicon.items[index]!;
    const contributions = [...a.contrib.entries()];
    for (const [pattern, state] of a.patterns) {
      const status = patternStatus(state, compiled.patternParts[pattern]!);
      if (status === 'none') continue;
      contributions.push([state.words.join('+'), status === 'clean' ? PATTERN_WEIGHT : PATTERN_WEIGHT * HYPOTHETICAL_FACTOR]);
      a.strong = true;
    }
    if (contributions.length === 0) continue;
    contributions.sort((x, y) => y[1] - x[1]);
    let score = 0;
    contributions.forEach(([, w], i) => (score += w * (DECAY[i] ?? DECAY[DECAY.length - 1]!)));
    if (!a.strong) score = Math.min(score, WEAK_ONLY_CAP);
    if (a.excludedBy.length > 0) score *= EXCLUDE_FACTOR;
    const evidence = contributions.map(([w]) => w);
    items.push({ index, code: compiled.item.code, score, evidence, strong: a.strong, excludedBy: a.excludedBy });
  }
  items.sort((x, y) => y.score - x.score || x.index - y.index);
  return items;
}
