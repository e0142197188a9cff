import type { ModelAnswer } from './llm-answer-fns.ts';
import type { LlmCandidate } from './llm-prompt-fns.ts';

// What the assisted router needs from a language model; llm/openai-llm-client.ts implements it
// over an OpenAI-compatible endpoint, so core/ never imports an SDK.

export type LlmOutcome = 'ok' | 'invalid' | 'timeout' | 'error' | 'skipped_breaker' | 'skipped_busy' | 'cache_hit';

export interface LlmResult {
  outcome: LlmOutcome;
  /** Present for 'ok' and 'cache_hit' only: a validated answer. */
  answer: ModelAnswer | null;
  latencyMs: number;
}

export interface LlmClient {
  readonly model: string;
  /** Never throws and never takes much longer than the time limit. */
  choose(req: { text: string; candidates: readonly LlmCandidate[] }): Promise<LlmResult>;
}
