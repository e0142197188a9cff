import type { ContextFlags } from './context-flags-fns.ts';
import { createContextScanner } from './context-flags-fns.ts';
import type { Lexicon } from './lexicon-types.ts';
import { SHADOW_ITEM, SHADOW_SIGNAL } from './lexicon-fns.ts';
import type { Occurrence } from './match-fns.ts';
import type { PatternState } from './pattern-tracker-fns.ts';
import { notePart, patternStatus } from './pattern-tracker-fns.ts';
import type { Acc, ItemScore } from './item-evidence-fns.ts';
import { acc, addEvidence, HYPOTHETICAL_FACTOR, rankItems } from './item-evidence-fns.ts';

export type { ItemScore } from './item-evidence-fns.ts';

export interface SignalHit {
  group: number;
  word: string;
  weight: number;
  flags: ContextFlags;
}

// A part inside a clearly longer phrase of another item means that phrase: 砖 in 地砖翘 is paving,
// 垃圾 in 建筑垃圾 is not household waste. (堆 in 堆满 still counts.) Plain loops: runs per reference.
function insideOtherKeyword(lexicon: Lexicon, occ: Occurrence, owner: number): boolean {
  if (occ.containers === null) return false;
  const length = occ.end - occ.start;
  for (const w of occ.containers) {
    if (lexicon.words[w]!.length < length + 2) continue;
    for (const o of lexicon.keywordOwners[w]!) if (o !== owner) return true;
  }
  return false;
}

function insideOwn(owners: readonly number[][], occ: Occurrence, owner: number): boolean {
  if (occ.containers === null) return false;
  for (const w of occ.containers) if (owners[w]!.includes(owner)) return true;
  return false;
}

/** Danger words inside a longer phrase of an ordinary item mean that phrase: 燃气泄漏 in 燃气泄漏报警装置. */
function insideOrdinaryKeyword(lexicon: Lexicon, occ: Occurrence): boolean {
  if (occ.containers === null) return false;
  for (const w of occ.containers) if (lexicon.ordinaryKeyword[w] === 1) return true;
  return false;
}

const offPresent = (f: ContextFlags) => f.negated || f.hypothetical;
const PLAIN: ContextFlags = { negated: false, denied: false, hypothetical: false, past: false };

export function scoreOccurrences(
  lexicon: Lexicon,
  text: string,
  occurrences: readonly Occurrence[],
  sentence: Uint16Array,
): { items: ItemScore[]; signals: SignalHit[] } {
  const scanner = createContextScanner(text);
  const accs = new Map<number, Acc>();
  const signals: SignalHit[] = [];
  const signalPatterns = new Map<number, PatternState>();
  for (const occ of occurrences) {
    const word = lexicon.words[occ.word]!;
    let flags: ContextFlags | null = null;
    // Parts read their context from the start of the word around them: 没有煤气味 negates 味 too.
    let outerFlags: ContextFlags | null = null;
    const s = sentence[occ.start]!;
    for (const ref of lexicon.refs[occ.word]!) {
      if (ref.role === 'signal') {
        if (occ.shadowed & SHADOW_SIGNAL || insideOrdinaryKeyword(lexicon, occ)) continue;
        flags ??= scanner.flags(occ.start, occ.end);
        signals.push({ group: ref.owner, word, weight: ref.weight, flags });
        continue;
      }
      if (ref.role === 'signal-part') {
        if (insideOrdinaryKeyword(lexicon, occ)) continue;
        const pf = (outerFlags ??= scanner.flags(occ.outerStart, occ.end));
        notePart(signalPatterns, ref.owner, ref.part, s, word, offPresent(pf) || pf.past);
        continue;
      }
      const urgentItem = lexicon.items[ref.owner]!.item.urgent;
      if (ref.role === 'part') {
        if (insideOtherKeyword(lexicon, occ, ref.owner)) continue;
        const discounted = urgentItem && offPresent((outerFlags ??= scanner.flags(occ.outerStart, occ.end)));
        const a = acc(accs, ref.owner);
        notePart((a.patterns ??= new Map()), ref.pattern, ref.part, s, word, discounted);
        continue;
      }
      if (ref.role === 'exclude') {
        // An exclusion inside the item's own longer word is that word (机动车 in 非机动车), not a contrary
        // sign; nor is a contrary sign that is denied or only feared (万一漏气).
        if (insideOwn(lexicon.vocabularyOwners, occ, ref.owner)) continue;
        flags ??= scanner.flags(occ.start, occ.end);
        if (offPresent(flags)) continue;
        const a = acc(accs, ref.owner);
        if (!a.excludedBy.includes(word)) a.excludedBy.push(word);
        continue;
      }
      if (occ.shadowed & SHADOW_ITEM) continue;
      const f = (flags ??= scanner.flags(occ.start, occ.end));
      // A denied matter is absent, and so is a negated danger (没有煤气味).
      if (f.denied || (urgentItem && f.negated)) continue;
      const weight = urgentItem && f.hypothetical ? ref.weight * HYPOTHETICAL_FACTOR : ref.weight;
      const a = acc(accs, ref.owner);
      addEvidence(a, word, weight);
      if (ref.role === 'keyword') a.strong = true;
    }
  }
  // Only a pattern whose parts all stand in plain context is present danger.
  for (const [index, state] of signalPatterns) {
    const p = lexicon.signalPatterns[index]!;
    if (patternStatus(state, p.parts) !== 'clean') continue;
    signals.push({ group: p.group, word: state.words.join('+'), weight: p.weight, flags: PLAIN });
  }
  return { items: rankItems(lexicon, accs), signals };
}
