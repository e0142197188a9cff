/** Co-occurrence bookkeeping shared by item patterns and signal patterns: every part in one sentence. */
export interface PatternState {
  /** Per sentence: parts seen (bit mask) and parts seen only in a discounted context (negated, hypothetical). */
  bySentence: Map<number, { mask: number; clean: number }>;
  words: string[];
}

export function notePart(
  states: Map<number, PatternState>,
  key: number,
  part: number,
  sentence: number,
  word: string,
  discounted: boolean,
): void {
  let state = states.get(key);
  if (!state) states.set(key, (state = { bySentence: new Map(), words: [] }));
  const slot = state.bySentence.get(sentence) ?? { mask: 0, clean: 0 };
  slot.mask |= 1 << part;
  if (!discounted) slot.clean |= 1 << part;
  state.bySentence.set(sentence, slot);
  if (!state.words.includes(word)) state.words.push(word);
}

/** 'clean' when some sentence has every part in a plain context, 'discounted' when only with flags. */
export function patternStatus(state: PatternState, parts: number): 'clean' | 'discounted' | 'none' {
  const full = (1 << parts) - 1;
  let status: 'discounted' | 'none' = 'none';
  for (const slot of state.bySentence.values()) {
    if (slot.clean === full) return 'clean';
    if (slot.mask === full) status = 'discounted';
  }
  return status;
}
