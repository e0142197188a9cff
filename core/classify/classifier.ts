import type { PowerList } from '../power-list/power-list-types.ts';
import type { ItemScore, SignalHit } from './item-scoring-fns.ts';
import { scoreOccurrences } from './item-scoring-fns.ts';
import { compileLexicon } from './lexicon-fns.ts';
import type { Lexicon } from './lexicon-types.ts';
import { findOccurrences } from './match-fns.ts';
import type { ChatAssessment } from './non-actionable-fns.ts';
import { assessChat } from './non-actionable-fns.ts';
import { normalizeText, sentenceIndex } from './text-normalize-fns.ts';
import type { Tokenizer } from './tokenizer.ts';
import type { UrgencyAssessment } from './urgency-fns.ts';
import { assessUrgency } from './urgency-fns.ts';

export interface Classification {
  /** The normalised text that was read. */
  text: string;
  /** Every item with evidence, best first (all levels). */
  items: ItemScore[];
  urgency: UrgencyAssessment;
  chat: ChatAssessment;
  signals: SignalHit[];
}

export interface Classifier {
  readonly lexicon: Lexicon;
  classify(text: string): Classification;
}

/** Pure apart from the tokenizer it is given: no I/O, no clock. */
export function createClassifier(options: { powerList: PowerList; tokenizer: Tokenizer }): Classifier {
  const lexicon = compileLexicon(options.powerList);
  const { tokenizer } = options;
  return {
    lexicon,
    classify(raw) {
      const text = normalizeText(raw);
      const occurrences = findOccurrences(lexicon, text, tokenizer.boundaries(text));
      const { items, signals } = scoreOccurrences(lexicon, text, occurrences, sentenceIndex(text));
      const urgentItem = items.some((s) => s.strong && s.score >= 1.5 && lexicon.items[s.index]!.item.urgent);
      return {
        text,
        items,
        urgency: assessUrgency(lexicon, signals, urgentItem),
        chat: assessChat(lexicon, text, signals),
        signals,
      };
    },
  };
}
