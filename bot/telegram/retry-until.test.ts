import { describe, expect, it } from 'vitest';
import { retryUntil } from './retry-until.ts';

describe('retryUntil', () => {
  it('tries again after a failure, and stops at a fatal error or when aborted', async () => {
    let calls = 0;
    const waits: number[] = [];
    const signal = new AbortController().signal;
    const value = await retryUntil(async () => (++calls < 3 ? Promise.reject(new Error('down')) : 'up'), {
      signal,
      fatal: () => false,
      onRetry: (_e, ms) => waits.push(ms),
      maxWaitMs: 5,
    });
    expect([value, calls, waits]).toEqual(['up', 3, [5, 5]]);

    await expect(
      retryUntil(async () => Promise.reject(new Error('401')), { signal, fatal: () => true, onRetry: () => {} }),
    ).rejects.toThrow('401');

    const stop = new AbortController();
    const pending = retryUntil(async () => Promise.reject(new Error('down')), {
      signal: stop.signal,
      fatal: () => false,
      onRetry: () => stop.abort(),
    });
    await expect(pending).rejects.toThrow();
  });
});
