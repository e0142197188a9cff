import { Jieba } from '@node-rs/jieba';

export interface Tokenizer {
  cut(text: string): string[];
  /** boundary[i] === 1 when a token starts at i (and at text.length). */
  boundaries(text: string): Uint8Array;
}

export interface TokenizerOptions {
  /** jieba's base dictionary bytes (`dict` from '@node-rs/jieba/dict.js'); passed in so this file does no I/O. */
  baseDict: Uint8Array;
  /** Domain words in jieba's "word freq" line format, e.g. from buildDomainDict(). */
  domainDict?: string;
}

export function createTokenizer(options: TokenizerOptions): Tokenizer {
  const jieba = Jieba.withDict(options.baseDict);
  if (options.domainDict && options.domainDict.length > 0) {
    jieba.loadDict(Buffer.from(options.domainDict, 'utf8'));
  }
  // HMM off: unknown runs stay single characters instead of being glued into guessed words
  // that could swallow a domain word's edge.
  const cut = (text: string): string[] => jieba.cut(text, false);
  return {
    cut,
    boundaries(text) {
      const out = new Uint8Array(text.length + 1);
      let pos = 0;
      for (const token of cut(text)) {
        out[pos] = 1;
        pos += token.length;
      }
      out[text.length] = 1;
      // jieba should return the text in pieces; if it ever does not, claim no boundaries are known.
      if (pos !== text.length) out.fill(1);
      return out;
    },
  };
}

/** True when [start, end) cuts through a token: it starts or ends inside a token and also spans a boundary. */
export function straddlesTokens(boundary: Uint8Array, start: number, end: number): boolean {
  if (boundary[start] === 1 && boundary[end] === 1) return false;
  for (let i = start + 1; i < end; i++) if (boundary[i] === 1) return true;
  return false;
}
