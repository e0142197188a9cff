import type { ItemScore } from '../classify/item-scoring-fns.ts';
import type { Lexicon } from '../classify/lexicon-types.ts';
import type { UrgencyAssessment } from '../classify/urgency-fns.ts';
import type { Department } from '../power-list/power-list-types.ts';

/** Danger matters (gas leak, fire…) move ahead of the everyday matter they mention. */
const URGENT_ITEM_BONUS = 1.5;
/** Below this the matter words say too little to keep against the danger. */
const WEAK_MATTER = 1.5;

type Kind = NonNullable<UrgencyAssessment['kind']>;

/** Who answers a danger now. 'force': this department whatever else the words say. */
const RESPONDER: Record<Kind, { department: Department; force: boolean }> = {
  gas: { department: '燃气企业', force: true },
  fire: { department: '消防救援', force: true },
  violence: { department: '公安', force: true },
  trapped: { department: '市场监管', force: false },
  collapse: { department: '住房', force: false },
  opening: { department: '市政养护', force: false },
  falling: { department: '消防救援', force: false },
  electric: { department: '消防救援', force: false },
  person: { department: '消防救援', force: false },
};

function withScore(s: ItemScore, score: number): ItemScore {
  return { index: s.index, code: s.code, score, evidence: s.evidence, strong: s.strong, excludedBy: s.excludedBy };
}

export function rerankForUrgency(
  lexicon: Lexicon,
  items: readonly ItemScore[],
  urgency: UrgencyAssessment,
): ItemScore[] {
  if (!urgency.urgent) return [...items];
  const out = items.map((s) =>
    s.strong && lexicon.items[s.index]!.item.urgent ? withScore(s, s.score + URGENT_ITEM_BONUS) : s,
  );
  out.sort((a, b) => b.score - a.score || a.index - b.index);
  if (urgency.kind === null) return out;
  const responder = RESPONDER[urgency.kind];
  const topMatter = out.find((s) => lexicon.items[s.index]!.item.level !== 'district');
  if (!responder.force && topMatter !== undefined && topMatter.score >= WEAK_MATTER) return out;
  const target = lexicon.items.findIndex(
    (c) => c.item.level === 'department' && c.item.department === responder.department && c.item.urgent,
  );
  if (target < 0) return out;
  const top = topMatter?.score ?? 0;
  const existing = out.find((s) => s.index === target);
  if (existing && existing === topMatter) return out;
  const lifted: ItemScore = {
    index: target,
    code: lexicon.items[target]!.item.code,
    score: Math.max(top + 0.5, 2.5, existing?.score ?? 0),
    evidence: existing ? existing.evidence : [...urgency.cues],
    strong: true,
    excludedBy: existing?.excludedBy ?? [],
  };
  return [lifted, ...out.filter((s) => s.index !== target)];
}
