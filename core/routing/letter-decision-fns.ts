import type { Classification } from '../classify/classifier.ts';
import type { ItemScore } from '../classify/item-scoring-fns.ts';
import type { LetterParts } from '../classify/letter-fns.ts';
import { objectsToPlan } from '../classify/letter-fns.ts';
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

/** A problem to handle on site: a street or district matter, or one of the ten departments' (not another body's policy). */
function onSiteProblem(lexicon: Lexicon, items: readonly ItemScore[]): PowerItem | null {
  const item = topMatter(lexicon, items, TITLE_PROBLEM);
  return item && !why.isReferralBody(item.department) ? item : null;
}

/** District evidence the title itself must carry for a letter to go to the district bureau. */
const TITLE_DISTRICT = 1;

/**
 * Letters mention 投诉, 多次, 街道 and officers in passing far more than chat reports do; the
 * district bureau takes a letter only when its title says why (跨街道, 再次投诉, 城管不作为 …).
 * Otherwise the matter stays with the street post that owns it.
 */
function keepAtStreetUnlessTitled(lexicon: Lexicon, d: Decision, titleItems: readonly ItemScore[]): Decision {
  const titled = titleItems.some((s) => lexicon.items[s.index]!.item.level === 'district' && s.score >= TITLE_DISTRICT);
  const matter = d.ranked.find((s) => lexicon.items[s.index]!.item.level !== 'district');
  if (titled || !matter) return d;
  const item = lexicon.items[matter.index]!.item;
  if (item.level !== 'street') return d;
  const reasons = d.reasons.filter((r) => !r.includes('区城市管理执法局组织查处') && !r.startsWith('依据：'));
  reasons.push(why.streetReason(item), why.legalReason(item));
  return { ...d, handling: 'street', item, post: item.post, department: null, reasons };
}

/**
 * What a letter adds to the routing decision. Suggestions and policy questions are not problems for a
 * street team: unless danger is reported or a suggestion's title names a problem on site, they are
 * answered as such, naming the related list item (and, for another body's matter, where to ask).
 * Letters stay at street level unless the title gives a district reason. Numbered matters beyond the
 * main one are noted for the handler.
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
    (intent === 'question' ||
      objectsToPlan(letter.title) ||
      onSiteProblem(lexicon, classify(letter.title).items) === null)
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
  if (d.handling === 'district' && !d.urgent) d = keepAtStreetUnlessTitled(lexicon, d, classify(letter.title).items);
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
