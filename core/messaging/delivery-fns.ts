import { ChatUnreachableError, RetryAfterError, type OutboundMessage } from './outbound-types.ts';

/** How long to wait between attempts and when to give up. */
export interface RetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Failed attempts after which a message is dead. */
  maxAttempts: number;
  /** Fraction of the delay that is randomised, so a recovering channel is not hit by a thundering herd. */
  jitter: number;
  /** Added to a channel's retry_after: arriving a hair early earns another 429. */
  retryAfterMarginMs: number;
}

/** 5 s, 10 s, 20 s … capped at 10 min; 12 failures span about an hour before a message is dead. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 5_000,
  maxDelayMs: 10 * 60_000,
  maxAttempts: 12,
  jitter: 0.2,
  retryAfterMarginMs: 500,
};

/**
 * Delay before the next attempt after `failures` failed attempts (1 = the first failure).
 * Jitter only shortens the delay, so the cap holds.
 */
export function backoffDelayMs(
  failures: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random: () => number = Math.random,
): number {
  const exponent = Math.max(0, failures - 1);
  const raw = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(exponent, 30));
  return Math.max(1, Math.round(raw * (1 - policy.jitter * random())));
}

export function retryAfterDelayMs(retryAfterSeconds: number, policy: RetryPolicy = DEFAULT_RETRY_POLICY): number {
  return Math.max(0, retryAfterSeconds) * 1000 + policy.retryAfterMarginMs;
}

export type FailureDecision =
  | { kind: 'retry'; nextAttemptAt: Date; countAttempt: boolean; error: string }
  | { kind: 'dead'; error: string; blockChat: boolean };

/**
 * What to do after a failed send. `attemptsBefore` is the failures recorded before this one.
 * A RetryAfterError is the channel asking us to wait, not a fault of the message, so it is not
 * counted towards `maxAttempts`.
 */
export function decideAfterFailure(
  err: unknown,
  attemptsBefore: number,
  now: Date,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random: () => number = Math.random,
): FailureDecision {
  const error = describeError(err);
  if (err instanceof ChatUnreachableError) return { kind: 'dead', error, blockChat: true };
  if (err instanceof RetryAfterError) {
    // At least 1 ms, so a "retry after 0 s" can never make a message due again at the same instant.
    const waitMs = Math.max(1, retryAfterDelayMs(err.retryAfterSeconds, policy));
    return { kind: 'retry', nextAttemptAt: new Date(now.getTime() + waitMs), countAttempt: false, error };
  }
  const failures = attemptsBefore + 1;
  if (failures >= policy.maxAttempts)
    return { kind: 'dead', error: `${error} (gave up after ${failures} attempts)`, blockChat: false };
  return {
    kind: 'retry',
    nextAttemptAt: new Date(now.getTime() + backoffDelayMs(failures, policy, random)),
    countAttempt: true,
    error,
  };
}

/** A short error text for the outbox row and the log; never the message itself. */
export function describeError(err: unknown): string {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  return text.length > 500 ? `${text.slice(0, 497)}...` : text;
}

/**
 * What one message costs against a channel's limits: the text, each photo, a location, as the
 * receiving server counts messages (an album's photos are messages each). The claim query in
 * db/outbox-store.ts computes the same from the stored payload.
 */
export function messageCost(m: OutboundMessage): number {
  return 1 + (m.photoAttachmentIds?.length ?? 0) + (m.location ? 1 : 0);
}
