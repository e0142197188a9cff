import type { SignalHit } from './item-scoring-fns.ts';
import type { Lexicon } from './lexicon-types.ts';
import type { NonActionableKind } from './signal-lexicon.ts';

export interface ChatAssessment {
  /** The strongest kind of non-actionable message, or null. */
  kind: NonActionableKind | null;
  /** Strength of the strongest non-advert kind (greeting, thanks, question about the bot…). */
  score: number;
  /** Strength of every kind seen. */
  perKind: Partial<Record<NonActionableKind, number>>;
  advert: number;
  /** Evidence that a problem is being reported. */
  complaint: number;
  cues: string[];
}

// Mobile numbers (also masked like 139xxxx5678) and landlines: adverts carry them, complaints rarely do.
const PHONE = /(?:^|[^\d])(?:1[3-9]\d[\dx*]{4}\d{4}|0\d{2,3}-?\d{7,8}|\d{3,4}-\d{7,8})(?!\d)/;
const PHONE_WEIGHT = 1.5;

export function assessChat(lexicon: Lexicon, text: string, signals: readonly SignalHit[]): ChatAssessment {
  const perKind = new Map<NonActionableKind, number>();
  const seen = new Set<string>();
  const cues: string[] = [];
  let complaint = 0;
  for (const hit of signals) {
    const group = lexicon.groups[hit.group]!;
    if (group.family === 'urgency' || seen.has(hit.word)) continue;
    seen.add(hit.word);
    if (group.family === 'complaint') {
      complaint += hit.weight;
      continue;
    }
    if (hit.flags.denied) continue;
    cues.push(hit.word);
    perKind.set(group.kind, (perKind.get(group.kind) ?? 0) + hit.weight);
  }
  let advert = perKind.get('advert') ?? 0;
  if (PHONE.test(text)) {
    advert += PHONE_WEIGHT;
    cues.push('电话号码');
  }
  let kind: NonActionableKind | null = null;
  let score = 0;
  for (const [k, v] of perKind) {
    if (k !== 'advert' && v > score) {
      score = v;
      kind = k;
    }
  }
  if (advert > score) kind = 'advert';
  return { kind, score, perKind: Object.fromEntries(perKind), advert, complaint, cues };
}
