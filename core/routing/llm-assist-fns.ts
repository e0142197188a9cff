import type { Department, Level, PowerItem, Post } from '../power-list/power-list-types.ts';
import type { ModelAnswer } from './llm-answer-fns.ts';
import type { LlmCandidate } from './llm-prompt-fns.ts';
import type { RoutingDecision } from './routing-types.ts';

export interface AskOptions {
  /** Ask when the rules' confidence is below this. */
  askBelow: number;
  /** Ask when the runner-up candidate scores at least this share of the best one. */
  closeRatio: number;
}

export const DEFAULT_ASK: AskOptions = { askBelow: 0.6, closeRatio: 0.85 };

export type AskReason = 'rules_triage' | 'low_confidence' | 'close_candidates';

/** Whether the rules are unsure enough for a second opinion to be worth up to one time limit of delay. */
export function shouldAsk(d: RoutingDecision, opts: AskOptions = DEFAULT_ASK): AskReason | null {
  // Urgent reports get their advice (call 110/119) and a flagged case at once, never after a model call.
  if (d.urgent) return null;
  // A clear greeting, thanks or advert: nothing to route.
  if (d.handling === 'none' && !d.needsTriage) return null;
  if (d.candidates.length === 0) return null;
  if (d.needsTriage) return 'rules_triage';
  if (d.confidence < opts.askBelow) return 'low_confidence';
  const [first, second] = d.candidates;
  if (first && second && first.score > 0 && second.score >= opts.closeRatio * first.score) return 'close_candidates';
  return null;
}

/** The rules' candidates (best first) plus the item they chose when it ranked lower, as the model sees them. */
export function candidatesFor(d: RoutingDecision, byCode: ReadonlyMap<string, PowerItem>): LlmCandidate[] {
  const codes = d.candidates.map((c) => c.code);
  if (d.item && !codes.includes(d.item.code)) codes.push(d.item.code);
  return codes.flatMap((code) => {
    const item = byCode.get(code);
    return item ? [{ code, name: item.name, level: item.level, post: item.post, department: item.department }] : [];
  });
}

/** Who would handle a choice; two items with the same handler are the same routing. */
export interface RouteChoice {
  code: string | null;
  level: Level | null;
  post: Post | null;
  department: Department | null;
}

export function rulesChoice(d: RoutingDecision): RouteChoice {
  return {
    code: d.item?.code ?? null,
    level: d.handling === 'none' ? null : d.handling,
    post: d.post,
    department: d.department,
  };
}

export function itemChoice(item: PowerItem | null): RouteChoice {
  return item
    ? { code: item.code, level: item.level, post: item.post, department: item.department }
    : { code: null, level: null, post: null, department: null };
}

function handlerKey(c: RouteChoice): string | null {
  if (c.code === null || c.level === null) return null;
  if (c.level === 'street') return `street:${c.post}`;
  if (c.level === 'department') return `department:${c.department}`;
  return 'district';
}

export function sameRouting(a: RouteChoice, b: RouteChoice): boolean {
  if (a.code === b.code) return true;
  const ka = handlerKey(a);
  return ka !== null && ka === handlerKey(b);
}

export interface MergeInput {
  rules: RouteChoice & { confidence: number; needsTriage: boolean };
  model: { answer: ModelAnswer; choice: RouteChoice } | null;
  minModelConfidence: number;
}

export interface Merge {
  /** null when the model gave no usable answer. */
  agreed: boolean | null;
  /** Whose item the case is filed under. */
  final: 'rules' | 'model';
  needsTriage: boolean;
  confidence: number;
}

/**
 * The model never decides alone. Agreement with a confident model lets a case the rules were
 * unsure of be dispatched; disagreement sends it to a person, unless the model clears the bar and
 * chose an item at the same level, or the rules found none (then its item is taken, and the
 * rules' choice stays on record). Moving a case the rules placed between the street, the bureau
 * and a department is a question of jurisdiction, so a person decides that however sure the
 * model is. A model that finds no
 * candidate fitting can only ask for a person, never drop a report.
 */
export function mergeChoices({ rules, model, minModelConfidence }: MergeInput): Merge {
  const keep = { final: 'rules' as const, confidence: rules.confidence };
  if (model === null) return { ...keep, agreed: null, needsTriage: rules.needsTriage };
  const { answer, choice } = model;
  const confident = answer.confidence >= minModelConfidence;
  if (sameRouting(rules, choice)) {
    if (confident && rules.code !== null)
      return {
        final: 'rules',
        agreed: true,
        needsTriage: false,
        confidence: Math.max(rules.confidence, answer.confidence),
      };
    return { ...keep, agreed: true, needsTriage: rules.needsTriage };
  }
  const sameLevel = rules.code === null || choice.level === rules.level;
  if (confident && choice.code !== null && sameLevel)
    return { final: 'model', agreed: false, needsTriage: false, confidence: answer.confidence };
  return { ...keep, agreed: false, needsTriage: true };
}
