import { createHash } from 'node:crypto';
import { redactPersonalData } from './llm-prompt-fns.ts';

/** Same words (after redaction, width folding, spacing and case) with the same candidates: same key. */
export function normaliseForCache(text: string): string {
  return redactPersonalData(text).normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Hashed so the cache holds no report text in the clear. */
export function cacheKey(text: string, codes: readonly string[], model: string): string {
  return createHash('sha256')
    .update(`${model}\u0000${normaliseForCache(text)}\u0000${[...codes].sort().join(',')}`)
    .digest('hex');
}
