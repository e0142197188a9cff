import type { Logger } from '../../config/logger.ts';
import {
  decideAfterFailure,
  DEFAULT_RETRY_POLICY,
  describeError,
  messageCost,
  type RetryPolicy,
} from './delivery-fns.ts';
import type { ChannelSender } from './outbound-types.ts';
import type { ClaimedMessage, OutboxPort } from './outbox-port.ts';
import { createRateLimiter, DEFAULT_RATE_LIMITS, isGroupChat, type RateLimits } from './rate-limiter.ts';
import type { SendBudgetPort } from './send-budget-port.ts';

export interface DeliveryWorkerDeps {
  store: OutboxPort;
  senders: ChannelSender[];
  clock: () => Date;
  logger: Logger;
  /** Per-channel sending limits; DEFAULT_RATE_LIMITS when omitted, `{}` for none. */
  limits?: RateLimits;
  /**
   * The send rates several processes share (PostgreSQL). Without it the limits are counted in
   * this process alone, which is right for one server process (SQLite).
   */
  budget?: SendBudgetPort;
  pollIntervalMs?: number;
  /**
   * With nothing to send, each empty poll doubles the wait up to this (default pollIntervalMs: no
   * backing off). A kick, a claim or a retry coming due brings it back to pollIntervalMs. Every
   * process of a cluster polls: idle ones should cost the database little.
   */
  idlePollMaxMs?: number;
  batchSize?: number;
  /** A send that hangs longer than this counts as failed; keep it well under the store's lease. */
  sendTimeoutMs?: number;
  retryPolicy?: RetryPolicy;
  random?: () => number;
}

export interface DeliveryWorker {
  /** Recovers rows a crashed worker left in `sending`, then polls until stop(). */
  start(): Promise<void>;
  /** Stops polling and waits for the sends in flight. */
  stop(): Promise<void>;
  /** Delivers until nothing is due (for tests and shutdown); returns the rows handled. */
  drain(): Promise<number>;
  /** Wake the loop now (after an enqueue) instead of at the next poll. */
  kick(): void;
}

/** How often rows a crashed worker left in `sending`, and rows no sender takes, are looked for. */
const SWEEP_EVERY_MS = 10_000;

/**
 * Lease a claim must still have when its send starts, beyond the send timeout: for the
 * bookkeeping after the send (markSent) and for processes whose clocks disagree a little.
 */
const LEASE_MARGIN_MS = 15_000;

/**
 * The worker never claims a row it cannot send at once. Before each claim it asks the rate
 * limiter how many sends each channel may start now and which chats it must leave alone, and
 * claims only that much; when a channel is full it sleeps until the limiter says a slot frees up.
 * (Claiming rows and putting them back cost a commit each, over and over, under a backlog.)
 *
 * With a shared budget (several processes) the in-process limiter is only a pre-filter: the
 * claim is also sized by what the budget says every process together may still send, and each
 * claimed row is sent only once the budget has reserved it. Another process may have taken the
 * budget in between: such a row goes back to the queue until the budget says it fits, without
 * counting an attempt, and the loop sleeps until then.
 */
export function createDeliveryWorker(deps: DeliveryWorkerDeps): DeliveryWorker {
  const { store, clock } = deps;
  const logger = deps.logger.child({ component: 'delivery-worker' });
  const senders = new Map(deps.senders.map((s) => [s.channel, s]));
  const limits = deps.limits ?? DEFAULT_RATE_LIMITS;
  const limiter = createRateLimiter({ clock, limits });
  const budget = deps.budget;
  // Each channel gets claims of its own, sized by the limiter.
  const channels = [...senders.keys()];
  const policy = deps.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const pollIntervalMs = deps.pollIntervalMs ?? 1_000;
  const idlePollMaxMs = Math.max(deps.idlePollMaxMs ?? pollIntervalMs, pollIntervalMs);
  // The poll's wait now (backed off while idle), and the earliest retry this worker scheduled.
  let idleMs = pollIntervalMs;
  let retryAt = Infinity;
  const batchSize = deps.batchSize ?? 20;
  const sendTimeoutMs = deps.sendTimeoutMs ?? 60_000;
  const inflight = new Set<Promise<void>>();
  let running = false;
  let loopDone: Promise<void> | null = null;
  let kicked = false;
  let wake: (() => void) | null = null;
  let lastSweep = -Infinity;

  async function deliver(row: ClaimedMessage, useId?: number): Promise<void> {
    const log = { outboxId: row.id, channel: row.channel, chatId: row.chatId };
    const sender = senders.get(row.channel);
    if (!sender) {
      await store.markDead(row, `no sender for channel ${row.channel}`);
      logger.error(log, 'no sender for this channel; message marked dead');
      return;
    }
    // Counted from now until the request has really ended (not when the timeout gives up on it).
    const done = limiter.begin(row.channel, row.chatId, messageCost(row.message));
    const sending = sender.send(row.chatId, row.message, { caseId: row.caseId, dedupeKey: row.dedupeKey });
    sending.then(done, done);
    try {
      await withTimeout(sending, sendTimeoutMs);
    } catch (err) {
      // The budget's use ends when the request really ends (also after the timeout gave up on it).
      if (useId !== undefined) void finishUse(sending, useId, log);
      await onFailure(row, err, log);
      return;
    }
    // Sent: the row and the end of its budget use in one unit (one round trip on PostgreSQL, was
    // two per message), so whoever claims the chat's next row sees when this one ended.
    await store.markSent(row.id, clock(), useId);
  }

  /** Tells the shared budget when the send's request really ended (also after a timeout gave up on it). */
  function finishUse(sending: Promise<void>, useId: number, log: Record<string, unknown>): Promise<void> {
    const finish = () => budget!.finish(useId, clock());
    return sending.then(finish, finish).catch((err: unknown) =>
      // Not fatal: the use stays held until its hold time, which only slows the channel down.
      logger.error({ ...log, err: describeError(err) }, 'could not record the end of a send in the shared budget'),
    );
  }

  async function onFailure(row: ClaimedMessage, err: unknown, log: Record<string, unknown>): Promise<void> {
    const d = decideAfterFailure(err, row.attempts, clock(), policy, deps.random);
    if (d.kind === 'dead') {
      await store.markDead(row, d.error);
      if (d.blockChat) await store.markChatBlocked(row.channel, row.chatId);
      // A user blocking the bot is an everyday event, not an operational fault.
      const fields = { ...log, attempts: row.attempts + 1, err: d.error };
      if (d.blockChat) logger.warn(fields, 'chat unreachable; message dropped and chat marked blocked');
      else logger.error(fields, 'message delivery failed for good');
      return;
    }
    const kept = await store.markRetry(row, d.nextAttemptAt, d.error, d.countAttempt);
    if (kept) retryAt = Math.min(retryAt, d.nextAttemptAt.getTime());
    const fields = { ...log, attempt: row.attempts + 1, nextAttemptAt: d.nextAttemptAt.toISOString(), err: d.error };
    if (!kept) logger.warn(fields, 'lease lost while sending; another worker owns the message now');
    else if (d.countAttempt) logger.warn(fields, 'message delivery failed; will retry');
    else logger.info(fields, 'channel asked to wait; will retry');
  }

  function track(row: ClaimedMessage, useId?: number): void {
    const p = deliver(row, useId)
      .catch((err: unknown) =>
        logger.error({ outboxId: row.id, channel: row.channel, err: describeError(err) }, 'outbox bookkeeping failed'),
      )
      .finally(() => {
        inflight.delete(p);
        // The chat's next message may be claimable now (at once on channels without limits):
        // wake the loop, or have it look again before it next sleeps.
        if (wake) wake();
        else kicked = true;
      });
    inflight.add(p);
  }

  /**
   * Right before the sends start: the claims whose lease no longer covers a whole send (the send
   * timeout plus a margin) are renewed, in one conditional statement, and those another worker
   * took over meanwhile are dropped. A worker held between claim and send (the shared budget's
   * lock, a starved CPU) past its lease would otherwise send a row the worker that recovered it
   * sends too. A claim with lease to spare is still this worker's (no one may take a row before
   * its lease ends), so the usual case costs no write.
   */
  async function stillHeld(rows: ClaimedMessage[]): Promise<ClaimedMessage[]> {
    const now = clock().getTime();
    const needed = sendTimeoutMs + LEASE_MARGIN_MS;
    const short = rows.filter((r) => r.leaseUntil.getTime() - now < needed);
    if (short.length === 0) return rows;
    const renewed = new Map((await store.renew(short, new Date(now + needed))).map((r) => [r.id, r]));
    const lost = short.filter((r) => !renewed.has(r.id));
    if (lost.length > 0)
      logger.warn(
        { outboxIds: lost.map((r) => r.id), channel: lost[0]!.channel },
        'lease ran out before the send; another worker has the message now and sends it',
      );
    const shortIds = new Set(short.map((r) => r.id));
    return rows.flatMap((r) => (shortIds.has(r.id) ? (renewed.has(r.id) ? [renewed.get(r.id)!] : []) : [r]));
  }

  /**
   * Claims what can be sent now and starts sending it (without waiting for the sends). Returns
   * the rows claimed and how long the loop may sleep before something can be claimed again
   * (null: nothing is held back, wait for the poll or a kick).
   */
  async function batch(sweep = false): Promise<{ claimed: number; sleepMs: number | null }> {
    const now = clock();
    let claimed = 0;
    let sleepMs: number | null = null;
    const soonest = (ms: number | null) => {
      const v = ms ?? pollIntervalMs;
      sleepMs = sleepMs === null ? v : Math.min(sleepMs, v);
    };
    if (sweep || now.getTime() - lastSweep >= SWEEP_EVERY_MS) {
      lastSweep = now.getTime();
      await store.recoverStale(now);
      // Rows for a channel nobody sends on (its messenger is not configured) are marked dead.
      const orphans = await store.claimDue(now, batchSize, { otherThan: channels });
      // Never sent (marked dead, lease-checked): no renewal needed.
      orphans.forEach((r) => track(r));
      claimed += orphans.length;
    }
    for (const channel of channels) {
      let capacity = limiter.capacity(channel);
      if (capacity <= 0) {
        soonest(limiter.nextChangeMs(channel));
        continue;
      }
      let skipChats = limiter.heldChats(channel);
      let nextChange = () => limiter.nextChangeMs(channel);
      const channelLimits = limits[channel];
      const shared = budget && channelLimits ? { budget, limits: channelLimits } : null;
      if (shared) {
        // Every process's sends: this process's own limiter cannot see the others'.
        const view = await shared.budget.view(channel, shared.limits, now);
        capacity = Math.min(capacity, view.capacity);
        skipChats = [...new Set([...skipChats, ...view.heldChats])];
        nextChange = () => earliest(limiter.nextChangeMs(channel), view.nextChangeMs);
        if (capacity <= 0) {
          soonest(nextChange());
          continue;
        }
      }
      const limit = Math.min(batchSize, capacity);
      const cap = channelLimits?.globalPerSecond;
      const rows = await store.claimDue(now, limit, {
        channel,
        skipChats,
        ...(Number.isFinite(capacity) ? { maxCost: capacity } : {}),
        ...(cap !== undefined ? { costCap: cap } : {}),
      });
      let sent: number;
      if (shared) {
        const reserved = await shared.budget
          .reserve(
            channel,
            shared.limits,
            rows.map((r) => ({
              chatId: r.chatId,
              group: isGroupChat(r.chatId),
              cost: messageCost(r.message),
              // Were this process to die mid-send, the send stops counting when it would have timed out.
              holdUntil: new Date(Math.min(r.leaseUntil.getTime(), now.getTime() + sendTimeoutMs)),
            })),
            now,
          )
          .catch(async (err: unknown) => {
            // Nothing was sent: the rows go back at once rather than wait out their lease as a failed attempt.
            await Promise.allSettled(rows.map((r) => store.release(r, now)));
            throw err;
          });
        const useIds = new Map<number, number>();
        const refused: Array<{ row: ClaimedMessage; waitMs: number }> = [];
        for (const [i, row] of rows.entries()) {
          const r = reserved[i]!;
          if (r.granted) useIds.set(row.id, r.useId);
          else refused.push({ row, waitMs: r.waitMs });
        }
        const granted = rows.filter((r) => useIds.has(r.id));
        const held = await stillHeld(granted);
        for (const row of held) track(row, useIds.get(row.id));
        sent = held.length;
        // A lost claim's reservation is given back, so the chat's next message need not wait for it.
        const heldIds = new Set(held.map((h) => h.id));
        const lost = granted.filter((r) => !heldIds.has(r.id));
        await Promise.all(
          lost.map((r) => finishUse(Promise.resolve(), useIds.get(r.id)!, { outboxId: r.id, channel })),
        );
        for (const { row, waitMs } of refused) {
          // Another process took the budget first: back to the queue until it fits, not an attempt.
          await store.release(row, new Date(now.getTime() + waitMs));
          soonest(waitMs);
        }
      } else {
        const held = await stillHeld(rows);
        held.forEach((r) => track(r));
        sent = held.length;
      }
      claimed += sent;
      // A full claim: more may be due at once, or once the limiter frees a slot. Held chats: once
      // they are free. Otherwise nothing is due: the poll or a kick will tell.
      // (Refused rows have set the sleep already: at once would only find them held again.)
      if (rows.length >= limit) soonest(sent < capacity && sent === rows.length ? 0 : nextChange());
      else if (skipChats.length > 0) soonest(nextChange());
    }
    return { claimed, sleepMs };
  }

  async function loop(): Promise<void> {
    while (running) {
      let sleepMs: number | null = pollIntervalMs;
      let claimed = 0;
      try {
        ({ sleepMs, claimed } = await batch());
      } catch (err) {
        logger.error({ err: describeError(err) }, 'delivery cycle failed; will try again');
      }
      if (!running) break;
      if (kicked) {
        kicked = false;
        idleMs = pollIntervalMs;
        continue;
      }
      // An empty poll waits longer next time; anything found, or held back by a limit, does not.
      idleMs = claimed > 0 || sleepMs !== null ? pollIntervalMs : Math.min(idleMs * 2, idlePollMaxMs);
      const now = clock().getTime();
      if (retryAt <= now) retryAt = Infinity;
      const ms = Math.min(sleepMs ?? idleMs, idleMs, Math.max(0, retryAt - now));
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, ms);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  }

  return {
    async start() {
      if (running) return;
      lastSweep = clock().getTime();
      const recovered = await store.recoverStale(clock());
      if (recovered > 0) logger.warn({ recovered }, 'resuming messages a stopped worker left half-sent');
      running = true;
      loopDone = loop();
    },
    async stop() {
      running = false;
      wake?.();
      await loopDone;
      await Promise.allSettled([...inflight]);
    },
    async drain() {
      // What the background loop has in hand counts too: wait for it, then send what is left.
      let handled = 0;
      for (;;) {
        await Promise.allSettled([...inflight]);
        const { claimed } = await batch(true);
        handled += claimed;
        if (claimed === 0 && inflight.size === 0) return handled;
      }
    },
    kick() {
      kicked = true;
      idleMs = pollIntervalMs;
      wake?.();
    },
  };
}

function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  return b === null ? a : Math.min(a, b);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`send timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
