/** Longest text the classifier reads; longer letters are cut (the opening states the problem). */
export const MAX_ANALYSED_CHARS = 4000;

const ZERO_WIDTH = /[\u200b-\u200f\u2060\ufeff]/g;

/** Common voice-input and pinyin-input slips, mapped back so the vocabulary needs one spelling. */
const SLIPS: Record<string, string> = {
  成管: '城管',
  诚管: '城管',
  沾道: '占道',
  站道: '占道',
  拉圾: '垃圾',
  垃级: '垃圾',
  以经: '已经',
  怎莫: '怎么',
  广吿: '广告',
  液化汽: '液化气',
  煤汽: '煤气',
};
const SLIP_PATTERN = new RegExp(Object.keys(SLIPS).join('|'), 'g');
const SPACES = /[\s\u3000]+/g;

/**
 * Canonical form for matching: NFKC folds full-width letters and digits (ＬＥＤ → LED),
 * ASCII is lower-cased, runs of whitespace become one space (chat users separate clauses with spaces).
 */
export function normalizeText(raw: string): string {
  const cut = raw.length > MAX_ANALYSED_CHARS ? raw.slice(0, MAX_ANALYSED_CHARS) : raw;
  return cut
    .normalize('NFKC')
    .replace(ZERO_WIDTH, '')
    .replace(SPACES, ' ')
    .trim()
    .toLowerCase()
    .replace(SLIP_PATTERN, (m) => SLIPS[m] ?? m);
}

/** Ends a clause: punctuation, and the spaces chat users put between clauses. */
export function isClauseBreak(code: number): boolean {
  switch (code) {
    case 0x20: // space
    case 0x2c: // ,
    case 0x2e: // .
    case 0x21: // !
    case 0x3f: // ?
    case 0x3b: // ;
    case 0x3a: // :
    case 0x0a:
    case 0x3001: // 、
    case 0x3002: // 。
    case 0xff01: // ！
    case 0xff1f: // ？
    case 0xff1b: // ；
    case 0x2026: // …
    case 0x7e: // ~
      return true;
    default:
      return false;
  }
}

/** Ends a sentence: co-occurrence patterns must hold inside one. Spaces do not end sentences. */
export function isSentenceBreak(code: number): boolean {
  return (
    code === 0x3002 ||
    code === 0x21 ||
    code === 0x3f ||
    code === 0x3b ||
    code === 0x0a ||
    code === 0xff01 ||
    code === 0xff1f
  );
}

/** Sentence index of every position, so pattern parts can be compared cheaply. */
export function sentenceIndex(text: string): Uint16Array {
  const out = new Uint16Array(text.length + 1);
  let s = 0;
  for (let i = 0; i < text.length; i++) {
    out[i] = s;
    if (isSentenceBreak(text.charCodeAt(i)) && s < 65535) s++;
  }
  out[text.length] = s;
  return out;
}

/** True when the text has something to read: a CJK character, a letter or a digit. */
export function hasReadableContent(text: string): boolean {
  return /[\p{Script=Han}\p{L}\p{N}]/u.test(text);
}
