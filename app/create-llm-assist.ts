// Optional model assistance for routing: built only when LLM_BASE_URL and LLM_MODEL are set, so
// with no LLM configured nothing in the assembly changes.
import type { Config } from '../config/config-schema.ts';
import type { Logger } from '../config/logger.ts';
import type { PowerList } from '../core/power-list/power-list-types.ts';
import { createAssistedRouter, type AssistedRouter } from '../core/routing/assisted-router.ts';
import { createLlmClient } from '../llm/openai-llm-client.ts';
import type { Router } from '../core/routing/routing-types.ts';

export type LlmConfig = Pick<
  Config,
  'llmEnabled' | 'LLM_BASE_URL' | 'LLM_API_KEY' | 'LLM_MODEL' | 'LLM_TIMEOUT_MS' | 'LLM_MIN_CONFIDENCE'
>;

export interface LlmAssistDeps {
  /** The rule-based router and the power list it was built from. */
  router: Router;
  powerList: PowerList;
  clock?: () => Date;
}

export function createLlmAssist(config: LlmConfig, logger: Logger, deps: LlmAssistDeps): AssistedRouter | null {
  if (!config.llmEnabled || !config.LLM_BASE_URL || !config.LLM_MODEL) return null;
  const log = logger.child({ component: 'llm-assist' });
  const llm = createLlmClient({
    baseURL: config.LLM_BASE_URL,
    apiKey: config.LLM_API_KEY,
    model: config.LLM_MODEL,
    timeoutMs: config.LLM_TIMEOUT_MS,
    logger: log,
    ...(deps.clock ? { clock: deps.clock } : {}),
  });
  // The base URL may carry credentials in odd set-ups; log its host only.
  log.info(
    {
      llm: {
        model: config.LLM_MODEL,
        host: new URL(config.LLM_BASE_URL).host,
        timeout_ms: config.LLM_TIMEOUT_MS,
        min_confidence: config.LLM_MIN_CONFIDENCE,
      },
    },
    'llm routing assistance on',
  );
  return createAssistedRouter({
    router: deps.router,
    powerList: deps.powerList,
    llm,
    minModelConfidence: config.LLM_MIN_CONFIDENCE,
    logger: log,
  });
}
