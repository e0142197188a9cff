import type { PowerList } from '../power-list/power-list-types.ts';
import { parsePattern, parseTerm } from '../power-list/keyword-syntax-fns.ts';

/** High enough that jieba keeps a domain word whole against its general-language splits. */
const DOMAIN_FREQ = 3000;

/** Builds jieba dictionary text ("word freq" lines) from every word of the power list plus extra words. */
export function buildDomainDict(list: PowerList, extraWords: readonly string[] = []): string {
  const words = new Set<string>();
  const add = (w: string) => {
    // Single characters and words with spaces or ASCII only gain nothing from the dictionary.
    if (w.length >= 2 && !/\s/.test(w) && /[\u4e00-\u9fff]/.test(w)) words.add(w);
  };
  for (const item of list.items) {
    for (const raw of [...item.keywords, ...(item.weak ?? [])]) add(parseTerm(raw).text);
    for (const raw of item.patterns ?? []) for (const alts of parsePattern(raw)) alts.forEach(add);
  }
  extraWords.forEach(add);
  return [...words].map((w) => `${w} ${DOMAIN_FREQ}`).join('\n');
}
