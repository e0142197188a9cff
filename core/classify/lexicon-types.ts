import type { PowerItem } from '../power-list/power-list-types.ts';
import type { Automaton } from './aho-corasick.ts';
import type { NonActionableKind, UrgencyKind } from './signal-lexicon.ts';

export type SignalGroup =
  { family: 'urgency'; kind: UrgencyKind } | { family: 'chat'; kind: NonActionableKind } | { family: 'complaint' };

export interface TermRef {
  role: 'keyword' | 'weak' | 'part' | 'exclude' | 'signal' | 'signal-part';
  /** Item index for item roles, signal group index for 'signal', signal pattern index for 'signal-part'. */
  owner: number;
  weight: number;
  /** For 'part': which pattern of the item and which of its parts. */
  pattern: number;
  part: number;
}

export interface CompiledItem {
  item: PowerItem;
  /** Number of parts of each pattern, in the item's order. */
  patternParts: number[];
  patternText: string[];
}

export interface SignalPattern {
  group: number;
  parts: number;
  weight: number;
}

/** The power list and the signal vocabulary compiled into one automaton. */
export interface Lexicon {
  version: string;
  automaton: Automaton;
  words: string[];
  refs: TermRef[][];
  /**
   * Per word: bit 1 when it is an item keyword or weak word, bit 2 when a signal. A longer word
   * shadows shorter words of the same class inside it (液化气味 hides 液化气), as a tokenizer would.
   */
  shadows: Uint8Array;
  items: CompiledItem[];
  /** Per word: the items it is a keyword of, and the items it is a keyword or weak word of. */
  keywordOwners: number[][];
  vocabularyOwners: number[][];
  /** Per word: keyword of some item that is not a danger item. */
  ordinaryKeyword: Uint8Array;
  groups: SignalGroup[];
  signalPatterns: SignalPattern[];
}
