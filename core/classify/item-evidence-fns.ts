import type { Lexicon } from './lexicon-types.ts';
import type { PatternState } from './pattern-tracker-fns.ts';
import { patternStatus } from './pattern-tracker-fns.ts';

export const PATTERN_WEIGHT = 2.2;
/** A danger item told as a risk (万一漏气, 以防掉下来) is still the matter, with less weight, and no emergency. */
export const HYPOTHETICAL_FACTOR = 0.5;
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

/** Evidence for one item; small arrays beat maps at the handful of words a report holds. */
export interface Acc {
  words: string[];
  weights: number[];
  strong: boolean;
  patterns: Map<number, PatternState> | null;
  excludedBy: string[];
}

export function acc(map: Map<number, Acc>, owner: number): Acc {
  let a = map.get(owner);
  if (!a) map.set(owner, (a = { words: [], weights: [], strong: false, patterns: null, excludedBy: [] }));
  return a;
}

export function addEvidence(a: Acc, word: string, weight: number): void {
  const i = a.words.indexOf(word);
  if (i < 0) {
    a.words.push(word);
    a.weights.push(weight);
  } else if (a.weights[i]! < weight) {
    a.weights[i] = weight;
  }
}

/** Scores every item with evidence, best first: decayed sum of its evidence, capped or cut where weak or contradicted. */
export function rankItems(lexicon: Lexicon, accs: Map<number, Acc>): ItemScore[] {
  const items: ItemScore[] = [];
  for (const [index, a] of accs) {
    const compiled = lexicon.items[index]!;
    if (a.patterns !== null) {
      for (const [pattern, state] of a.patterns) {
        const status = patternStatus(state, compiled.patternParts[pattern]!);
        if (status === 'none') continue;
        addEvidence(
          a,
          state.words.join('+'),
          status === 'clean' ? PATTERN_WEIGHT : PATTERN_WEIGHT * HYPOTHETICAL_FACTOR,
        );
        a.strong = true;
      }
    }
    const n = a.words.length;
    if (n === 0) continue;
    // Insertion sort, strongest first: a report brings a handful of words per item.
    const order: number[] = [];
    for (let i = 0; i < n; i++) {
      let j = order.length;
      while (j > 0 && a.weights[order[j - 1]!]! < a.weights[i]!) j--;
      order.splice(j, 0, i);
    }
    let score = 0;
    const evidence: string[] = [];
    for (let k = 0; k < n; k++) {
      score += a.weights[order[k]!]! * (DECAY[k] ?? DECAY[DECAY.length - 1]!);
      evidence.push(a.words[order[k]!]!);
    }
    if (!a.strong) score = Math.min(score, WEAK_ONLY_CAP);
    if (a.excludedBy.length > 0) score *= EXCLUDE_FACTOR;
    items.push({ index, code: compiled.item.code, score, evidence, strong: a.strong, excludedBy: a.excludedBy });
  }
  items.sort(byScore);
  return items;
}

function byScore(x: ItemScore, y: ItemScore): number {
  return y.score - x.score || x.index - y.index;
}
