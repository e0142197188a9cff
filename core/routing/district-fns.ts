import type { ItemScore } from '../classify/item-scoring-fns.ts';
import type { Lexicon } from '../classify/lexicon-types.ts';
import type { PowerItem } from '../power-list/power-list-types.ts';

/** District evidence at which a street matter goes to the district bureau. */
export const DISTRICT_THRESHOLD = 2;
/** Signals from further district items (cross-street and complex together) add at this rate. */
const FURTHER_SIGNAL_RATE = 0.5;
const SAME_POST_BONUS = 0.3;

export interface DistrictAssessment {
  escalate: boolean;
  strength: number;
  /** The district item that best describes why (cross-street, complex, officer conduct…). */
  best: ItemScore | null;
  evidence: string[];
}

function affinity(lexicon: Lexicon, s: ItemScore, matter: PowerItem | null): number {
  return s.score + (matter?.post != null && lexicon.items[s.index]!.item.post === matter.post ? SAME_POST_BONUS : 0);
}

/**
 * The district bureau keeps matters not delegated to streets, cross-street matters and major,
 * important or complex cases (江政〔2021〕8号 二(一)2). Its list items carry those signals.
 */
export function assessDistrict(
  lexicon: Lexicon,
  items: readonly ItemScore[],
  matter: PowerItem | null,
): DistrictAssessment {
  const district = items.filter((s) => lexicon.items[s.index]!.item.level === 'district');
  if (district.length === 0) return { escalate: false, strength: 0, best: null, evidence: [] };
  const ranked = [...district].sort((a, b) => affinity(lexicon, b, matter) - affinity(lexicon, a, matter));
  const top = Math.max(...district.map((s) => s.score));
  const rest = district.reduce((sum, s) => sum + s.score, 0) - top;
  const strength = top + FURTHER_SIGNAL_RATE * rest;
  const evidence = [...new Set(district.flatMap((s) => s.evidence))];
  return { escalate: strength >= DISTRICT_THRESHOLD, strength, best: ranked[0] ?? null, evidence };
}
