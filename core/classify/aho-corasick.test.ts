import { describe, expect, it } from 'vitest';
import { buildAutomaton } from './aho-corasick.ts';

function all(words: string[], text: string): string[] {
  const out: string[] = [];
  buildAutomaton(words).search(text, (id, start, end) => out.push(`${words[id]}@${start}-${end}`));
  return out.sort();
}

describe('buildAutomaton', () => {
  it('finds every occurrence, overlapping and nested ones included', () => {
    expect(all(['液化气', '液化气罐', '气罐', '罐'], '两个液化气罐')).toEqual([
      '气罐@4-6',
      '液化气@2-5',
      '液化气罐@2-6',
      '罐@5-6',
    ]);
  });

  it('follows failure links across partial matches', () => {
    expect(all(['占道经营', '道经'], '占道占道经营')).toEqual(['占道经营@2-6', '道经@3-5']);
  });

  it('finds nothing in unrelated text and copes with emoji surrogates', () => {
    expect(all(['垃圾'], '你好😀')).toEqual([]);
    expect(all(['😀'], '好😀')).toEqual(['😀@1-3']);
  });
});
