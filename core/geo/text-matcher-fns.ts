/*
 * A precompiled multi-pattern matcher (Aho-Corasick over UTF-16 code units) and the text
 * normalisation it expects. locateText runs on every report, so the gazetteer is compiled
 * once and each text is scanned in a single pass whatever the number of names.
 */

export interface TextMatch {
  /** Index of the pattern in the list given to buildMatcher. */
  pattern: number;
  /** Start offset in the normalised text (inclusive) and end (exclusive). */
  start: number;
  end: number;
}

export interface TextMatcher {
  findAll(normalisedText: string): TextMatch[];
}

/**
 * Folds what people vary without meaning anything: full-width ASCII (２８号 → 28号),
 * letter case, whitespace and common punctuation inside an address.
 */
export function normaliseText(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCodePoint(code - 0xfee0);
    else if (code === 0x3000) continue;
    else out += ch;
  }
  return out.toLowerCase().replace(/[\s\u00a0·•\-—_]+/g, '');
}

interface Node {
  next: Map<number, number>;
  fail: number;
  /** Patterns ending here, including those reached through failure links. */
  out: number[];
}

export function buildMatcher(patterns: readonly string[]): TextMatcher {
  const nodes: Node[] = [{ next: new Map(), fail: 0, out: [] }];
  patterns.forEach((pattern, index) => {
    if (pattern.length === 0) return;
    let cur = 0;
    for (let i = 0; i < pattern.length; i++) {
      const c = pattern.charCodeAt(i);
      let nxt = nodes[cur]!.next.get(c);
      if (nxt === undefined) {
        nxt = nodes.length;
        nodes.push({ next: new Map(), fail: 0, out: [] });
        nodes[cur]!.next.set(c, nxt);
      }
      cur = nxt;
    }
    nodes[cur]!.out.push(index);
  });
  // Breadth-first failure links.
  const queue: number[] = [];
  for (const child of nodes[0]!.next.values()) queue.push(child);
  for (let qi = 0; qi < queue.length; qi++) {
    const u = queue[qi]!;
    for (const [c, v] of nodes[u]!.next) {
      let f = nodes[u]!.fail;
      while (f !== 0 && !nodes[f]!.next.has(c)) f = nodes[f]!.fail;
      const target = nodes[f]!.next.get(c);
      nodes[v]!.fail = target !== undefined && target !== v ? target : 0;
      nodes[v]!.out.push(...nodes[nodes[v]!.fail]!.out);
      queue.push(v);
    }
  }
  const lengths = patterns.map((p) => p.length);
  return {
    findAll(text: string): TextMatch[] {
      const found: TextMatch[] = [];
      let state = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        while (state !== 0 && !nodes[state]!.next.has(c)) state = nodes[state]!.fail;
        state = nodes[state]!.next.get(c) ?? 0;
        for (const p of nodes[state]!.out) found.push({ pattern: p, start: i + 1 - lengths[p]!, end: i + 1 });
      }
      return found;
    },
  };
}

/**
 * Keeps the longest match wherever matches overlap (leftmost first on ties), so 中山公园
 * wins over 公园 and 长江日报路28号 over 长江日报路.
 */
export function longestNonOverlapping(matches: readonly TextMatch[]): TextMatch[] {
  const sorted = [...matches].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const taken: TextMatch[] = [];
  for (const m of sorted) {
    if (taken.every((t) => m.end <= t.start || m.start >= t.end)) taken.push(m);
  }
  return taken.sort((a, b) => a.start - b.start);
}
