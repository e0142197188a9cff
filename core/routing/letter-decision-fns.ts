import type { Classification } from '../classify/classifier.ts';
import type { ItemScore } from '../classify/item-scoring-fns.ts';
import type { LetterParts } from '../classify/letter-fns.ts';
import type { Lexicon } from '../classify/lexicon-types.ts';
import type { PowerItem } from '../power-list/power-list-types.ts';
import type { Decision } from './decision-fns.ts';
import * as why from './reasons-fns.ts';

/** Title evidence from which a suggestion or question still names a problem to handle on site. */
const TITLE_PROBLEM = 2;
/** A numbered matter needs this much evidence of its own to be noted for the handler. */
const OTHER_MATTER = 2;
const MAX_NOTED = 4;

function routeKey(item: PowerItem): string {
  return item.level === 'department' ? `department:${item.department}` : `post:${item.post}`;
}

function topMatter(lexicon: Lexicon, items: readonly ItemScore[], min: number): PowerItem | null {
  const s = items.find((x) => lexicon.items[x.index]!.item.level !== 'district');
  return s && s.strong && s.score >= min ? lexicon.items[s.index]!.item : null;
}

/**
 * What a letter adds to the routing decision. Suggestions and policy questions are not problems for a
 * street team: unless danger is reported or the title itself names a problem, they are answered as
 * such (another body's matter keeps its referral, so the resident still learns where to turn).
 * Numbered matters beyond the main one are noted for the handler.
 */
export function letterDecision(
  lexicon: Lexicon,
  d: Decision,
  letter: LetterParts,
  classify: (text: string) => Classification,
): Decision {
  const intent = letter.intent;
  if (
    !d.urgent &&
    (intent === 'suggestion' || intent === 'question') &&
    (d.handling === 'street' || d.handling === 'district' || d.handling === 'none') &&
    topMatter(lexicon, classify(letter.title).items, TITLE_PROBLEM) === null
  ) {
    const related = d.item ?? topMatter(lexicon, d.ranked, 0);
    return {
      handling: 'none',
      item: null,
      post: null,
      department: null,
      confidence: 0.6,
      needsTriage: false,
      urgent: false,
      urgencyKind: null,
      ranked: d.ranked,
      reasons: [why.adviceReason(intent, related)],
    };
  }
  if (letter.matters.length < 2 || d.item === null) return d;
  const chosen = routeKey(d.item);
  const noted = new Map<string, PowerItem>();
  for (const matter of letter.matters) {
    const item = topMatter(lexicon, classify(matter).items, OTHER_MATTER);
    if (item && routeKey(item) !== chosen && !noted.has(routeKey(item))) noted.set(routeKey(item), item);
    if (noted.size >= MAX_NOTED) break;
  }
  if (noted.size === 0) return d;
  return { ...d, reasons: [...d.reasons, why.otherMattersReason([...noted.values()])] };
}
