import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Calls `fn` until it succeeds, waiting 2 s, 4 s, 8 s … at most 60 s between tries, so a Telegram
 * outage at start-up delays the channel instead of leaving it off until the next restart.
 * Errors for which `fatal` is true (a refused token) end it at once, and so does the signal.
 */
export async function retryUntil<T>(
  fn: () => Promise<T>,
  opts: {
    signal: AbortSignal;
    fatal(err: unknown): boolean;
    onRetry(err: unknown, waitMs: number): void;
    maxWaitMs?: number;
  },
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (opts.fatal(err) || opts.signal.aborted) throw err;
      const waitMs = Math.min(opts.maxWaitMs ?? 60_000, 2_000 * 2 ** attempt);
      opts.onRetry(err, waitMs);
      await sleep(waitMs, undefined, { signal: opts.signal });
    }
  }
}
