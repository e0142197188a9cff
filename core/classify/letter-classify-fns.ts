import type { Classification } from './classifier.ts';
import type { ItemScore } from './item-scoring-fns.ts';
import type { LetterParts } from './letter-fns.ts';

/**
 * The title’s evidence counts this much again on top of the whole letter: an official files a letter
 * under the matter its title names, and the body's side remarks (the lift was also slow, the
 * property also charges too much) must not outweigh it.
 */
export const TITLE_WEIGHT = 1.5;

function withScore(s: ItemScore, score: number, strong: boolean): ItemScore {
  return { index: s.index, code: s.code, score, evidence: s.evidence, strong, excludedBy: s.excludedBy };
}

/** Text the letter is read as: title first, then the body without formulae. */
export function letterText(parts: LetterParts): string {
  return parts.title ? `${parts.title}。\n${parts.body}` : parts.body;
}

/**
 * Classifies a letter: the whole text gives danger, chat signals and every item's evidence; the
 * title's own classification then lifts the items it names.
 */
export function classifyLetter(classify: (text: string) => Classification, parts: LetterParts): Classification {
  const whole = classify(letterText(parts));
  const title = classify(parts.title);
  // Courtesy in a letter's body (您好, 感谢您百忙之中) is formula; only a title that thanks or greets means it.
  const perKind = { ...whole.chat.perKind };
  delete perKind.greeting;
  delete perKind.thanks;
  if (title.chat.perKind.greeting) perKind.greeting = title.chat.perKind.greeting;
  if (title.chat.perKind.thanks) perKind.thanks = title.chat.perKind.thanks;
  // A letter carries the writer's phone or ID number for the reply: that is no advert.
  const chat = { ...whole.chat, perKind, advert: perKind.advert ?? 0 };
  if (title.items.length === 0) return { ...whole, chat };
  const inTitle = new Map(title.items.map((s) => [s.index, s]));
  const items = whole.items.map((s) => {
    const t = inTitle.get(s.index);
    return t ? withScore(s, s.score + TITLE_WEIGHT * t.score, s.strong || t.strong) : s;
  });
  const seen = new Set(whole.items.map((s) => s.index));
  // An item the title names but the whole text excludes keeps what the title says of it.
  for (const t of title.items) if (!seen.has(t.index)) items.push(withScore(t, t.score * (1 + TITLE_WEIGHT), t.strong));
  items.sort((a, b) => b.score - a.score || a.index - b.index);
  return { text: whole.text, items, urgency: whole.urgency, chat, signals: whole.signals };
}
