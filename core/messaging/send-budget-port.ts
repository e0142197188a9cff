import type { BudgetView } from './send-budget-fns.ts';
import type { ChannelLimits } from './rate-limiter.ts';

/** A send the worker wants to start now. */
export interface SendRequest {
  chatId: string;
  group: boolean;
  /** Messages it counts as (messageCost). */
  cost: number;
  /** Held at most until then if its process dies mid-send (the send's timeout, or the row's lease). */
  holdUntil: Date;
}

export type Reservation = { granted: true; useId: number } | { granted: false; waitMs: number };

/**
 * The send rates every process shares (several Gridline processes on one PostgreSQL): the sends
 * all processes started, counted as the in-process limiter counts its own (rate-limiter.ts).
 * db/send-budget-store.ts implements it. Timestamps come from the caller's clock.
 */
export interface SendBudgetPort {
  /** What the channel may send now: the claim's pre-filter (another process may take it first). */
  view(channel: string, limits: ChannelLimits, now: Date): Promise<BudgetView>;
  /**
   * Reserves the sends in order, each only if it fits every limit with all sends of every process
   * and those granted before it here; atomic across processes. A refused one says how long to wait.
   */
  reserve(channel: string, limits: ChannelLimits, requests: SendRequest[], now: Date): Promise<Reservation[]>;
  /** The send's request has ended, either way: it counts until one window after `endedAt`. */
  finish(useId: number, endedAt: Date): Promise<void>;
}
