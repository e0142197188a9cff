import OpenAI, { APIConnectionTimeoutError, APIUserAbortError } from 'openai';
import type { Logger } from '../config/logger.ts';
import { parseModelAnswer, type ModelAnswer } from '../core/routing/llm-answer-fns.ts';
import { createCircuitBreaker } from '../core/routing/llm-breaker.ts';
import { cacheKey } from '../core/routing/llm-cache.ts';
import type { LlmClient, LlmOutcome, LlmResult } from '../core/routing/llm-port.ts';
import { createLruCache } from '../core/routing/lru-cache.ts';
import { buildMessages } from '../core/routing/llm-prompt-fns.ts';

export interface LlmClientOptions {
  baseURL: string;
  apiKey?: string | undefined;
  model: string;
  timeoutMs: number;
  logger: Logger;
  clock?: () => Date;
  /** Calls in flight at once; beyond that the model is skipped rather than queued (a queue is a delay). */
  maxConcurrent?: number;
  breakerFailures?: number;
  breakerOpenMs?: number;
  cacheSize?: number;
}

/** An OpenAI-compatible chat endpoint behind a time limit, a concurrency cap, a circuit breaker and a cache. */
export function createLlmClient(opts: LlmClientOptions): LlmClient {
  const { model, timeoutMs, logger } = opts;
  const maxConcurrent = opts.maxConcurrent ?? 2;
  // Local servers usually take any key; the client refuses to start without one.
  const openai = new OpenAI({
    baseURL: opts.baseURL,
    apiKey: opts.apiKey ?? 'not-needed',
    timeout: timeoutMs,
    maxRetries: 0,
  });
  const breaker = createCircuitBreaker({
    failures: opts.breakerFailures ?? 5,
    openMs: opts.breakerOpenMs ?? 30_000,
    clock: opts.clock ?? (() => new Date()),
  });
  const cache = createLruCache<ModelAnswer>(opts.cacheSize ?? 500);
  let inFlight = 0;

  // Report text never goes to the log: only what happened, how long it took and with which model.
  function done(
    outcome: LlmOutcome,
    started: number,
    answer: ModelAnswer | null,
    extra: Record<string, unknown> = {},
  ): LlmResult {
    const latencyMs = Math.round(performance.now() - started);
    logger.info({ llm: { outcome, latency_ms: latencyMs, model, ...extra } }, 'llm routing assist call');
    return { outcome, answer, latencyMs };
  }

  function failed(outcome: LlmOutcome, started: number, extra: Record<string, unknown>): LlmResult {
    if (breaker.failure())
      logger.warn(
        { llm: { model, breaker: 'open', open_ms: opts.breakerOpenMs ?? 30_000 } },
        'llm circuit breaker opened: routing on rules alone',
      );
    return done(outcome, started, null, extra);
  }

  async function call(messages: ReturnType<typeof buildMessages>, signal: AbortSignal) {
    return openai.chat.completions.create(
      { model, messages, temperature: 0, response_format: { type: 'json_object' } },
      { signal, timeout: timeoutMs, maxRetries: 0 },
    );
  }

  return {
    model,
    async choose({ text, candidates }) {
      // Latency is a measurement, not logic: a monotonic clock, not the injected one.
      const started = performance.now();
      const codes = candidates.map((c) => c.code);
      const key = cacheKey(text, codes, model);
      const cached = cache.get(key);
      if (cached) return done('cache_hit', started, cached);
      if (inFlight >= maxConcurrent) return done('skipped_busy', started, null);
      if (!breaker.allow()) return done('skipped_breaker', started, null);
      inFlight += 1;
      const controller = new AbortController();
      let timedOut = false;
      let timer: NodeJS.Timeout | undefined;
      // The abort stops the HTTP exchange; the race guarantees the caller's wait even if a body read lingers.
      const deadline = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => {
          timedOut = true;
          controller.abort();
          resolve('timeout');
        }, timeoutMs);
      });
      try {
        const res = await Promise.race([call(buildMessages(text, candidates), controller.signal), deadline]);
        if (res === 'timeout') return failed('timeout', started, {});
        const parsed = parseModelAnswer(res.choices[0]?.message?.content, codes);
        if (!parsed.ok) return failed('invalid', started, { problem: parsed.problem });
        breaker.success();
        cache.set(key, parsed.answer);
        return done('ok', started, parsed.answer, { code: parsed.answer.code, confidence: parsed.answer.confidence });
      } catch (err) {
        const timeout =
          timedOut ||
          err instanceof APIConnectionTimeoutError ||
          (err instanceof APIUserAbortError && controller.signal.aborted);
        const status = err instanceof OpenAI.APIError ? err.status : undefined;
        return failed(
          timeout ? 'timeout' : 'error',
          started,
          timeout ? {} : { status, error: err instanceof Error ? err.name : 'unknown' },
        );
      } finally {
        clearTimeout(timer);
        inFlight -= 1;
      }
    },
  };
}
