import type { Logger } from '../../config/logger.ts';

/** Waits before each new try of a failed polled update. */
export const POLLING_RETRY_DELAYS_MS = [2_000, 10_000, 60_000];

/**
 * In polling mode Telegram never sends an update again once getUpdates has moved past it, so an
 * update whose handling failed (the database locked by another process, a full disk) would be
 * lost. It is tried again here, in the background so the polling loop goes on. (In webhook mode
 * a failure answers 500 and Telegram itself sends the update again.)
 */
export function createPollingRetry<U extends { update_id: number }>(opts: {
  handle(update: U): Promise<void>;
  logger: Logger;
  delaysMs?: number[];
}) {
  const delays = opts.delaysMs ?? POLLING_RETRY_DELAYS_MS;
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();

  function schedule(update: U, attempt: number): void {
    const wait = delays[attempt];
    if (wait === undefined) {
      opts.logger.error(
        { update_id: update.update_id, attempts: attempt + 1 },
        'telegram update failed every try; given up',
      );
      return;
    }
    const timer = setTimeout(() => {
      timers.delete(timer);
      const run = opts.handle(update).then(
        () =>
          opts.logger.info(
            { update_id: update.update_id, attempt: attempt + 2 },
            'telegram update handled on a later try',
          ),
        (err: unknown) => {
          opts.logger.warn({ err, update_id: update.update_id, attempt: attempt + 2 }, 'telegram update failed again');
          schedule(update, attempt + 1);
        },
      );
      running.add(run);
      void run.finally(() => running.delete(run));
    }, wait);
    timers.add(timer);
  }

  return {
    retry: (update: U) => schedule(update, 0),
    /** Drops the tries still waiting (logged: those updates are lost) and waits for one running. */
    async stop(): Promise<void> {
      if (timers.size)
        opts.logger.warn(
          { pending: timers.size },
          'telegram updates still waiting for another try are dropped at shutdown',
        );
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.allSettled([...running]);
    },
  };
}
