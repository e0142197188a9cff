import type { SignalHit } from './item-scoring-fns.ts';
import type { Lexicon } from './lexicon-types.ts';
import type { UrgencyKind } from './signal-lexicon.ts';

/** Score at which a report describes danger now. */
export const URGENT_THRESHOLD = 2;
/** A danger matter (gas leak, fire, trapped lift…) matched by a keyword adds this much. */
export const URGENT_ITEM_BONUS = 1;

export interface UrgencyAssessment {
  urgent: boolean;
  score: number;
  /** The danger with most evidence; null when only alarm words were seen. */
  kind: Exclude<UrgencyKind, 'alarm'> | null;
  cues: string[];
}

/**
 * Present danger from cue words. Negated (没有煤气味), hypothetical (万一着火, 怕掉下来砸人,
 * 火灾隐患) and past mentions (上个月掉了一层) do not count: those are reports of a risk,
 * handled at normal pace.
 */
export function assessUrgency(
  lexicon: Lexicon,
  signals: readonly SignalHit[],
  urgentItemMatched: boolean,
): UrgencyAssessment {
  const perKind = new Map<UrgencyKind, number>();
  const seen = new Set<string>();
  const cues: string[] = [];
  let score = 0;
  for (const hit of signals) {
    const group = lexicon.groups[hit.group]!;
    if (group.family !== 'urgency') continue;
    if (hit.flags.negated || hit.flags.hypothetical || hit.flags.denied || hit.flags.past || seen.has(hit.word))
      continue;
    seen.add(hit.word);
    cues.push(hit.word);
    score += hit.weight;
    perKind.set(group.kind, (perKind.get(group.kind) ?? 0) + hit.weight);
  }
  // A danger matter confirms a clear cue; it does not turn one vague word (裂开了) into an emergency.
  if (urgentItemMatched && score >= 1.5) score += URGENT_ITEM_BONUS;
  let kind: UrgencyAssessment['kind'] = null;
  let best = 0;
  for (const [k, v] of perKind) {
    if (k !== 'alarm' && v > best) {
      best = v;
      kind = k;
    }
  }
  return { urgent: score >= URGENT_THRESHOLD, score, kind, cues };
}
