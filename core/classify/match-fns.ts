import type { Lexicon } from './lexicon-types.ts';
import { straddlesTokens } from './tokenizer.ts';

const MAX_WORD_SPAN = 24;

export interface Occurrence {
  word: number;
  start: number;
  end: number;
  /** Bits of lexicon.shadows classes under which a longer overlapping word hides this one. */
  shadowed: number;
  /** Words of longer occurrences that contain this one, or null. */
  containers: number[] | null;
  /** Start of the outermost containing occurrence: context is read from there (没有|煤气味 for 味). */
  outerStart: number;
}

/**
 * All vocabulary occurrences in normalised text. Short words (≤ 2 characters) must not cut
 * through a jieba token: 楼道 is not in 大楼道路. A single character must also not start or sit
 * inside a longer word (写 in 写字楼), though it may end one (店 in 五金店). Longer words are specific enough as substrings,
 * which keeps voice-input text with odd segmentation matchable.
 */
export function findOccurrences(lexicon: Lexicon, text: string, boundary: Uint8Array): Occurrence[] {
  const found: Occurrence[] = [];
  lexicon.automaton.search(text, (word, start, end) => {
    if (end - start <= 2 && straddlesTokens(boundary, start, end)) return;
    // A single character may head a compound (店 in 五金店, 厂 in 印刷厂) but not open one (写 in 写字楼).
    if (end - start === 1 && boundary[end] !== 1 && tokenLength(boundary, start) > 2) return;
    found.push({ word, start, end, shadowed: 0, containers: null, outerStart: start });
  });
  markShadowed(lexicon, found);
  return found;
}

function tokenLength(boundary: Uint8Array, at: number): number {
  let from = at;
  while (from > 0 && boundary[from] !== 1) from--;
  let to = at + 1;
  while (to < boundary.length - 1 && boundary[to] !== 1) to++;
  return to - from;
}

function markShadowed(lexicon: Lexicon, found: Occurrence[]): void {
  // Occurrences arrive ordered by end position and words are short, so an occurrence can only
  // overlap neighbours ending within one word length after it.
  for (let i = 0; i < found.length; i++) {
    const o = found[i]!;
    for (let j = i + 1; j < found.length; j++) {
      const p = found[j]!;
      if (p.end - o.end > MAX_WORD_SPAN) break;
      applyShadow(lexicon, o, p);
      applyShadow(lexicon, p, o);
    }
  }
}

function applyShadow(lexicon: Lexicon, inner: Occurrence, outer: Occurrence): void {
  const longer = outer.end - outer.start > inner.end - inner.start;
  if (longer && outer.start <= inner.start && outer.end >= inner.end) {
    inner.shadowed |= lexicon.shadows[outer.word]!;
    (inner.containers ??= []).push(outer.word);
    if (outer.start < inner.outerStart) inner.outerStart = outer.start;
  }
}
