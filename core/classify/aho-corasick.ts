/**
 * Aho–Corasick automaton over UTF-16 code units: every vocabulary word is found in one
 * pass over the text, which keeps classification linear in the text whatever the list size.
 */
export interface Automaton {
  /** Calls onMatch(wordId, start, end) for every occurrence, overlapping ones included. */
  search(text: string, onMatch: (wordId: number, start: number, end: number) => void): void;
  readonly size: number;
}

export function buildAutomaton(words: readonly string[]): Automaton {
  const children: Array<Map<number, number>> = [new Map()];
  const wordAt: number[] = [-1];
  const depth: number[] = [0];

  words.forEach((word, id) => {
    let node = 0;
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i);
      let next = children[node]!.get(c);
      if (next === undefined) {
        next = children.length;
        children.push(new Map());
        wordAt.push(-1);
        depth.push(depth[node]! + 1);
        children[node]!.set(c, next);
      }
      node = next;
    }
    wordAt[node] = id;
  });

  const n = children.length;
  const fail = new Int32Array(n);
  // Nearest proper suffix state that ends a word: lets search report all matches without walking every fail link.
  const outLink = new Int32Array(n).fill(-1);
  const queue: number[] = [];
  for (const child of children[0]!.values()) queue.push(child);
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const [c, child] of children[node]!) {
      let f = fail[node]!;
      while (f !== 0 && !children[f]!.has(c)) f = fail[f]!;
      const target = children[f]!.get(c);
      fail[child] = target !== undefined && target !== child ? target : 0;
      const fc = fail[child]!;
      outLink[child] = wordAt[fc]! >= 0 ? fc : outLink[fc]!;
      queue.push(child);
    }
  }

  return {
    size: words.length,
    search(text, onMatch) {
      let node = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        let next = children[node]!.get(c);
        while (next === undefined && node !== 0) {
          node = fail[node]!;
          next = children[node]!.get(c);
        }
        node = next ?? 0;
        for (let s = wordAt[node]! >= 0 ? node : outLink[node]!; s > 0; s = outLink[s]!) {
          onMatch(wordAt[s]!, i + 1 - depth[s]!, i + 1);
        }
      }
    },
  };
}
