import { dict } from '@node-rs/jieba/dict.js';
import type { PowerList } from '../power-list/power-list-types.ts';
import { buildDomainDict } from './domain-dict-fns.ts';
import type { Tokenizer } from './tokenizer.ts';
import { createTokenizer } from './tokenizer.ts';

/** jieba with its bundled dictionary (read by the package on import) plus the list's words. ~0.3 s to build. */
export function createDefaultTokenizer(powerList: PowerList): Tokenizer {
  return createTokenizer({ baseDict: dict, domainDict: buildDomainDict(powerList) });
}
