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

/**
 * A letter is written after the fact and tells history and worries at length: a sentence that dates
 * what it tells, counts it (多次), calls it an event or a problem, supposes it (可能导致, 建成之后) or
 * compares (就像爆炸) does not report danger now.
 */
const HISTORY =
  /发生过|出现过|有过|曾经|曾因|经历|历经|遭遇过|事件|多次|数次|屡次|\d{4}年|\d{1,2}月|去年|以前|之前|当时|一旦|如果|万一|假如|就像|如同|犹如|隐患|风险|担心|生怕|可能|导致|时常|经常|常常|通常|问题|预防|以防|防止|之后|建成/;

const DATED = /\d{4}年|\d{1,2}月\d{0,2}[日号]?/;

/** The title and the body's sentences that tell the present: where a letter's danger now is read. */
export function presentText(parts: LetterParts): string {
  const sentences = parts.body.split(/(?<=[。！？!?；;\n])/).filter((x) => !HISTORY.test(x));
  // A title that dates its matter (2018年10月弱电井起火) tells history too.
  const title = DATED.test(parts.title) ? '' : parts.title;
  return [title, ...sentences].filter((x) => x.length > 0).join('。');
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
  const read = classify(letterText(parts));
  // Danger now from the present sentences only; every item keeps the whole letter's evidence.
  const whole = read.urgency.urgent ? { ...read, urgency: classify(presentText(parts)).urgency } : read;
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
