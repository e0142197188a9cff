export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  /** Consecutive failures that open the breaker. */
  failures: number;
  /** How long it stays open before one probe call is let through. */
  openMs: number;
  clock: () => Date;
}

export interface CircuitBreaker {
  /** Whether a call may go out now; in half-open state only one probe at a time is let through. */
  allow(): boolean;
  success(): void;
  /** Returns true when this failure opened the breaker. */
  failure(): boolean;
  state(): BreakerState;
}

/** Stops calling an endpoint that keeps failing, so reports are not each delayed by a full time limit. */
export function createCircuitBreaker(opts: BreakerOptions): CircuitBreaker {
  let consecutive = 0;
  let openUntil: number | null = null;
  let probing = false;
  const now = () => opts.clock().getTime();

  function state(): BreakerState {
    if (openUntil === null) return 'closed';
    return now() < openUntil ? 'open' : 'half_open';
  }

  return {
    state,
    allow() {
      const s = state();
      if (s === 'closed') return true;
      if (s === 'open' || probing) return false;
      probing = true;
      return true;
    },
    success() {
      consecutive = 0;
      openUntil = null;
      probing = false;
    },
    failure() {
      consecutive += 1;
      const wasProbe = probing;
      probing = false;
      if (wasProbe || (openUntil === null && consecutive >= opts.failures)) {
        openUntil = now() + opts.openMs;
        return true;
      }
      return false;
    },
  };
}
