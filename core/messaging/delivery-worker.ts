import type { Logger } from '../../config/logger.ts';
import { decideAfterFailure, DEFAULT_RETRY_POLICY, describeError, type RetryPolicy } from './delivery-fns.ts';
import type { ChannelSender } from './outbound-types.ts';
import type { ClaimedMessage, OutboxPort } from './outbox-port.ts';
import { createRateLimiter, type RateLimits } from './rate-limiter.ts';

export interface DeliveryWorkerDeps {
  store: OutboxPort;
  senders: ChannelSender[];
  clock: () => Date;
  logger: Logger;
  /** Per-channel sending limits; DEFAULT_RATE_LIMITS when omitted, `{}` for none. */
  limits?: RateLimits;
  pollIntervalMs?: number;
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

/** Batches per wake-up before the loop sleeps, so one huge backlog cannot starve the event loop. */
const MAX_BATCHES_PER_CYCLE = 50;

export function createDeliveryWorker(deps: DeliveryWorkerDeps): DeliveryWorker {
  const { store, clock } = deps;
  const logger = deps.logger.child({ component: 'delivery-worker' });
  const senders = new Map(deps.senders.map((s) => [s.channel, s]));
  const limiter = createRateLimiter({ clock, ...(deps.limits ? { limits: deps.limits } : {}) });
  const policy = deps.retryPolicy ?? DEFAULT_RETRY_POLICY;
  const pollIntervalMs = deps.pollIntervalMs ?? 1_000;
  const batchSize = deps.batchSize ?? 20;
  const sendTimeoutMs = deps.sendTimeoutMs ?? 60_000;
  const inflight = new Set<Promise<void>>();
  let running = false;
  let loopDone: Promise<void> | null = null;
  let kicked = false;
  let wake: (() => void) | null = null;

  async function deliver(row: ClaimedMessage): Promise<void> {
    const log = { outboxId: row.id, channel: row.channel, chatId: row.chatId };
    const sender = senders.get(row.channel);
    if (!sender) {
      await store.markDead(row, `no sender for channel ${row.channel}`);
      logger.error(log, 'no sender for this channel; message marked dead');
      return;
    }
    const waitMs = limiter.acquire(row.channel, row.chatId);
    if (waitMs > 0) {
      await store.release(row, new Date(clock().getTime() + waitMs));
      return;
    }
    try {
      await withTimeout(sender.send(row.chatId, row.message), sendTimeoutMs);
    } catch (err) {
      await onFailure(row, err, log);
      return;
    }
    await store.markSent(row.id, clock());
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
    const fields = { ...log, attempt: row.attempts + 1, nextAttemptAt: d.nextAttemptAt.toISOString(), err: d.error };
    if (!kept) logger.warn(fields, 'lease lost while sending; another worker owns the message now');
    else if (d.countAttempt) logger.warn(fields, 'message delivery failed; will retry');
    else logger.info(fields, 'channel asked to wait; will retry');
  }

  function track(row: ClaimedMessage): Promise<void> {
    const p = deliver(row)
      .catch((err: unknown) =>
        logger.error({ outboxId: row.id, channel: row.channel, err: describeError(err) }, 'outbox bookkeeping failed'),
      )
      .finally(() => inflight.delete(p));
    inflight.add(p);
    return p;
  }

  async function batch(): Promise<number> {
    const now = clock();
    await store.recoverStale(now);
    const rows = await store.claimDue(now, batchSize);
    // claimDue returns at most one row per chat, so these can go out side by side.
    await Promise.all(rows.map(track));
    return rows.length;
  }

  async function cycle(maxBatches: number): Promise<number> {
    let handled = 0;
    for (let i = 0; i < maxBatches; i++) {
      const n = await batch();
      handled += n;
      if (n === 0) break;
    }
    return handled;
  }

  async function loop(): Promise<void> {
    while (running) {
      try {
        await cycle(MAX_BATCHES_PER_CYCLE);
      } catch (err) {
        logger.error({ err: describeError(err) }, 'delivery cycle failed; will try again');
      }
      if (!running) break;
      if (kicked) {
        kicked = false;
        continue;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pollIntervalMs);
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
      do {
        await Promise.allSettled([...inflight]);
        handled += await cycle(Number.MAX_SAFE_INTEGER);
      } while (inflight.size > 0);
      return handled;
    },
    kick() {
      kicked = true;
      wake?.();
    },
  };
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`send timed out after ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
