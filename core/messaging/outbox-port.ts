import type { OutboundMessage } from './outbound-types.ts';

/**
 * A message the worker has claimed. `leaseUntil` is both the lease expiry and the claim's token:
 * a worker that lost its lease (it stalled past it, the row was recovered and claimed again)
 * cannot overwrite what the new owner did, because its updates match on (id, leaseUntil).
 */
export interface ClaimedMessage {
  id: number;
  dedupeKey: string;
  channel: string;
  chatId: string;
  personId: number | null;
  caseId: number | null;
  message: OutboundMessage;
  /** Failed attempts so far (not counting this one). */
  attempts: number;
  leaseUntil: Date;
}

/**
 * Which waiting message goes first when a channel's rate limit holds messages back (lower first;
 * each chat still gets its own messages in order): a reply to what the person just sent, then a
 * push an event caused (a new case for a team lead), then bulk (digests, reminders, 督办).
 */
export const OUTBOX_PRIORITY = { reply: 0, push: 1, bulk: 2 } as const;

/** Which rows a claim may take. */
export interface ClaimSelect {
  /** Only this channel's rows. */
  channel?: string;
  /** Rows of every channel but these. */
  otherThan?: string[];
  /** Chats the rate limiter holds back now: left alone, not claimed and put back. */
  skipChats?: string[];
  /** The sends the claimed rows may add up to (a message is one send, each photo or location one more). */
  maxCost?: number;
  /** A single message counts at most this much (a message bigger than the whole limit goes alone). */
  costCap?: number;
}

/** What the delivery worker needs from the outbox; db/outbox-store.ts implements it. */
export interface OutboxPort {
  /**
   * Atomically moves due `pending` rows to `sending` and returns them. Only the oldest
   * unsent row of each chat is claimable, so one chat's messages go out in order.
   */
  claimDue(now: Date, limit: number, select?: ClaimSelect): Promise<ClaimedMessage[]>;
  /**
   * Right before sending: extends the claims to `leaseUntil`, each only if it is still this
   * worker's (same row, still `sending`, same lease as claimed), in one statement. Returns the
   * claims still held, with their new lease; a claim missing from the answer was lost (its lease
   * ran out and another worker took the row over) and must not be sent.
   */
  renew(claims: ClaimedMessage[], leaseUntil: Date): Promise<ClaimedMessage[]>;
  /**
   * Delivered. Idempotent, and deliberately not lease-checked: once sent, never again. `endsUse`:
   * the shared budget's use of this send (SendBudgetPort.reserve) ends at `sentAt` in the same
   * unit, as SendBudgetPort.finish would end it: a delivery's bookkeeping in one round trip.
   */
  markSent(id: number, sentAt: Date, endsUse?: number): Promise<void>;
  /** Failed; try again at `nextAttemptAt`. `countAttempt: false` for waits the channel asked for. */
  markRetry(claim: ClaimedMessage, nextAttemptAt: Date, error: string, countAttempt?: boolean): Promise<boolean>;
  /** Failed for good. */
  markDead(claim: ClaimedMessage, error: string): Promise<boolean>;
  /** Not sent yet (rate limit): back to pending without counting an attempt. */
  release(claim: ClaimedMessage, notBefore: Date): Promise<boolean>;
  /** Rows left in `sending` past their lease (a worker died mid-send) go back to `pending`. */
  recoverStale(now: Date): Promise<number>;
  /** The user blocked the bot: later enqueues skip this chat. */
  markChatBlocked(channel: string, chatId: string): Promise<void>;
}
