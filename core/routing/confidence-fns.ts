import type { ItemScore } from '../classify/item-scoring-fns.ts';
import type { Lexicon } from '../classify/lexicon-types.ts';

/** Below this a person confirms the routing before dispatch. */
export const TRIAGE_BELOW = 0.45;
/** A rival sending the case elsewhere within this share of the winner's score also needs a person. */
const CLOSE_RIVAL = 0.9;

function routeKey(lexicon: Lexicon, s: ItemScore): string {
  const item = lexicon.items[s.index]!.item;
  return item.level === 'department' ? `department:${item.department}` : `street:${item.post}`;
}

export interface Confidence {
  confidence: number;
  rival: ItemScore | null;
  close: boolean;
}

/** Evidence strength discounted by how near the best rival with a different route comes. */
export function confidenceOf(lexicon: Lexicon, ranked: readonly ItemScore[], chosen: ItemScore): Confidence {
  const key = routeKey(lexicon, chosen);
  const rival =
    ranked.find(
      (s) =>
        s !== chosen &&
        s.index !== chosen.index &&
        lexicon.items[s.index]!.item.level !== 'district' &&
        routeKey(lexicon, s) !== key,
    ) ?? null;
  const strength = 1 - Math.exp(-chosen.score / 2);
  const margin = rival && chosen.score > 0 ? Math.max(0, (chosen.score - rival.score) / chosen.score) : 1;
  const confidence = round2(strength * (0.55 + 0.45 * margin));
  const close = rival !== null && rival.score >= CLOSE_RIVAL * chosen.score;
  return { confidence, rival, close };
}

export function round2(x: number): number {
  return Math.round(Math.min(1, Math.max(0, x)) * 100) / 100;
}
