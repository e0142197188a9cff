import type { Logger } from '../../config/logger.ts';
import type { PowerItem, PowerList } from '../power-list/power-list-types.ts';
import {
  candidatesFor,
  DEFAULT_ASK,
  itemChoice,
  mergeChoices,
  rulesChoice,
  shouldAsk,
  type AskOptions,
  type AskReason,
} from './llm-assist-fns.ts';
import type { LlmClient, LlmOutcome } from './llm-port.ts';
import { assistSentence, mergedReasons } from './llm-reason-fns.ts';
import { toRoutedItem } from './router.ts';
import type { RouteInput, Router, RoutingDecision } from './routing-types.ts';

/** Both opinions side by side, as the case's event stores them. */
export interface AssistRecord {
  rulesCode: string | null;
  rulesConfidence: number;
  modelCode: string | null;
  modelConfidence: number | null;
  modelReason: string | null;
  /** null when the model gave no usable answer (see outcome). */
  agreed: boolean | null;
  /** Whose item the case is filed under. */
  final: 'rules' | 'model';
  outcome: LlmOutcome;
  asked: AskReason;
  model: string;
  latencyMs: number;
}

/** `assist` is present when the model was asked, whatever came of it. */
export type AssistedDecision = RoutingDecision & { assist?: AssistRecord };

export interface AssistedRouter {
  readonly version: string;
  route(input: RouteInput): Promise<AssistedDecision>;
}

export interface AssistedRouterDeps {
  router: Router;
  /** The list the router was built from: the model's item is taken from it with its level, post and department. */
  powerList: PowerList;
  llm: LlmClient;
  /** The model overrules the rules without a person only at or above this (LLM_MIN_CONFIDENCE). */
  minModelConfidence: number;
  logger: Logger;
  ask?: AskOptions;
}

/** Rules first; the model only for unsure reports; a failed model call leaves the rules' decision as it was. */
export function createAssistedRouter(deps: AssistedRouterDeps): AssistedRouter {
  const { router, powerList, llm, minModelConfidence, logger } = deps;
  const byCode = new Map<string, PowerItem>(powerList.items.map((i) => [i.code, i]));

  async function route(input: RouteInput): Promise<AssistedDecision> {
    const d = router.route(input);
    const asked = shouldAsk(d, deps.ask ?? DEFAULT_ASK);
    const candidates = asked ? candidatesFor(d, byCode) : [];
    if (!asked || candidates.length === 0) return d;
    const body = typeof input.text === 'string' ? input.text : '';
    // A letter's title names its matter: the model reads it first, as the rules do.
    const result = await llm.choose({ text: input.title ? `${input.title}\n${body}` : body, candidates });
    const rules = { ...rulesChoice(d), confidence: d.confidence, needsTriage: d.needsTriage };
    const answer = result.answer;
    const modelItem = answer?.code ? (byCode.get(answer.code) ?? null) : null;
    const merge = mergeChoices({
      rules,
      model: answer ? { answer, choice: itemChoice(modelItem) } : null,
      minModelConfidence,
    });
    const assist: AssistRecord = {
      rulesCode: rules.code,
      rulesConfidence: d.confidence,
      modelCode: answer?.code ?? null,
      modelConfidence: answer?.confidence ?? null,
      modelReason: answer?.reason ?? null,
      agreed: merge.agreed,
      final: merge.final,
      outcome: result.outcome,
      asked,
      model: llm.model,
      latencyMs: result.latencyMs,
    };
    logger.debug(
      {
        assist: { outcome: result.outcome, asked, agreed: merge.agreed, final: merge.final, triage: merge.needsTriage },
      },
      'routing assisted',
    );
    if (!answer) return { ...d, assist };

    const reasons = mergedReasons(
      d.reasons,
      assistSentence(rules.code, answer, merge, byCode, minModelConfidence),
      merge,
      merge.final === 'model' ? modelItem : null,
      d.street.reason || null,
    );
    const merged = { ...d, confidence: merge.confidence, needsTriage: merge.needsTriage, reasons, assist };
    if (merge.final === 'rules' || !modelItem) return merged;
    const handling = modelItem.level;
    // A district item names why the bureau takes it, not the field post: keep the matter's post the rules found.
    const post =
      handling === 'department'
        ? null
        : (modelItem.post ?? (d.handling === 'street' || d.handling === 'district' ? d.post : null));
    return {
      ...merged,
      handling,
      post,
      department: modelItem.department,
      item: toRoutedItem(modelItem, powerList.version),
    };
  }

  return { version: router.version, route };
}
