import { describe, expect, it } from 'vitest';
import { backoffDelayMs, decideAfterFailure, DEFAULT_RETRY_POLICY, describeError } from './delivery-fns.ts';
import { ChatUnreachableError, RetryAfterError } from './outbound-types.ts';

const now = new Date('2026-03-02T00:00:00Z');
const noJitter = () => 0;

describe('backoffDelayMs', () => {
  it('doubles from 5 s and is capped at 10 min', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8, 12, 40].map((n) => backoffDelayMs(n, DEFAULT_RETRY_POLICY, noJitter));
    expect(delays).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 600_000, 600_000, 600_000]);
  });

  it('jitter only shortens the delay, by at most the jitter fraction', () => {
    expect(backoffDelayMs(1, DEFAULT_RETRY_POLICY, () => 0.999)).toBeGreaterThanOrEqual(4_000);
    expect(backoffDelayMs(20, DEFAULT_RETRY_POLICY, () => 0.5)).toBeLessThanOrEqual(600_000);
    expect(backoffDelayMs(20, DEFAULT_RETRY_POLICY, () => 0.5)).toBe(540_000);
  });
});

describe('decideAfterFailure', () => {
  it('retries an ordinary error with backoff and counts the attempt', () => {
    const d = decideAfterFailure(new Error('ECONNRESET'), 2, now, DEFAULT_RETRY_POLICY, noJitter);
    expect(d).toMatchObject({ kind: 'retry', countAttempt: true });
    expect(d.kind === 'retry' && d.nextAttemptAt.getTime() - now.getTime()).toBe(20_000);
  });

  it('honours retry_after exactly plus the margin, without counting an attempt', () => {
    const d = decideAfterFailure(new RetryAfterError(37), 11, now, DEFAULT_RETRY_POLICY, noJitter);
    expect(d).toMatchObject({ kind: 'retry', countAttempt: false });
    expect(d.kind === 'retry' && d.nextAttemptAt.getTime() - now.getTime()).toBe(37_500);
  });

  it('never makes a message due again at the same instant', () => {
    const d = decideAfterFailure(new RetryAfterError(0), 0, now, { ...DEFAULT_RETRY_POLICY, retryAfterMarginMs: 0 });
    expect(d.kind === 'retry' && d.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime());
  });

  it('gives up after maxAttempts failures', () => {
    expect(decideAfterFailure(new Error('x'), 10, now).kind).toBe('retry');
    expect(decideAfterFailure(new Error('x'), 11, now)).toMatchObject({ kind: 'dead', blockChat: false });
  });

  it('an unreachable chat is dead at once and the chat is blocked', () => {
    expect(decideAfterFailure(new ChatUnreachableError('bot was blocked by the user'), 0, now)).toEqual({
      kind: 'dead',
      blockChat: true,
      error: 'ChatUnreachableError: bot was blocked by the user',
    });
  });

  it('keeps error texts short', () => {
    expect(describeError(new Error('x'.repeat(2000))).length).toBe(500);
    expect(describeError('plain')).toBe('plain');
  });
});
