import type { Logger } from '../../config/logger.ts';
import {
  DAY_MS,
  formatYmd,
  MINUTE_MS,
  parseHhmm,
  SHANGHAI_OFFSET_MS,
  shanghaiDay,
} from '../deadlines/shanghai-day-fns.ts';
import { describeError } from '../messaging/delivery-fns.ts';

/** Every tick, or once a day at a Shanghai wall-clock time ('08:00'). */
export type JobSchedule = 'minute' | { dailyAt: string };

export interface ScheduledJob {
  name: string;
  every: JobSchedule;
  run(now: Date): Promise<void>;
}

/** Bookkeeping that makes a daily job run once per slot, across restarts and processes. */
export interface SchedulerRunPort {
  /** Records (job, slot); false if it was already recorded, i.e. the job ran (or is running) elsewhere. */
  claim(job: string, slot: string, at: Date): Promise<boolean>;
  /** Forgets a claim, so a failed run is tried again. */
  release(job: string, slot: string): Promise<void>;
  /**
   * Claims a minute job's run for the minute starting at `minute`: false if a process (this one
   * or another) already ran it in that minute. Without it, every process runs minute jobs every tick.
   */
  claimMinute?(job: string, minute: Date): Promise<boolean>;
}

export interface SchedulerDeps {
  jobs: ScheduledJob[];
  runs: SchedulerRunPort;
  clock: () => Date;
  logger: Logger;
  tickMs?: number;
  /** A daily job that failed is tried again this much later (same day only). */
  retryFailedAfterMs?: number;
}

export interface Scheduler {
  /** Ticks at once (catching up a slot missed while the server was down), then every tickMs. */
  start(): void;
  /** Stops ticking and waits for the jobs running now. */
  stop(): Promise<void>;
  /** One pass over the jobs; for tests with a fake clock. */
  tick(): Promise<void>;
}

/**
 * The slot a daily job is due for at `now`: today's Shanghai date once the time has come, else
 * null. A slot missed while the server was down is still due later the same day, and only then.
 */
export function dueDailySlot(now: Date, dailyAtMinutes: number): string | null {
  const minuteOfDay = Math.floor(((((now.getTime() + SHANGHAI_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS);
  return minuteOfDay >= dailyAtMinutes ? formatYmd(shanghaiDay(now)) : null;
}

export function createScheduler(deps: SchedulerDeps): Scheduler {
  const logger = deps.logger.child({ component: 'scheduler' });
  const tickMs = deps.tickMs ?? 30_000;
  const retryFailedAfterMs = deps.retryFailedAfterMs ?? 15 * MINUTE_MS;
  const dailyAt = new Map<string, number>();
  for (const job of deps.jobs) {
    if (job.every === 'minute') continue;
    const minutes = parseHhmm(job.every.dailyAt);
    if (minutes === null || minutes >= 24 * 60)
      throw new Error(`job ${job.name}: dailyAt must be HH:MM, got ${job.every.dailyAt}`);
    dailyAt.set(job.name, minutes);
  }
  const notBefore = new Map<string, number>();
  let current: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let running = false;

  async function runDaily(job: ScheduledJob, now: Date): Promise<void> {
    const slot = dueDailySlot(now, dailyAt.get(job.name)!);
    if (slot === null || now.getTime() < (notBefore.get(job.name) ?? 0)) return;
    // Claimed before running: a crash mid-run costs that day's run rather than risking two.
    if (!(await deps.runs.claim(job.name, slot, now))) return;
    try {
      await job.run(now);
      logger.info({ job: job.name, slot }, 'daily job done');
    } catch (err) {
      await deps.runs.release(job.name, slot);
      notBefore.set(job.name, now.getTime() + retryFailedAfterMs);
      throw err;
    }
  }

  async function pass(): Promise<void> {
    for (const job of deps.jobs) {
      const now = deps.clock();
      try {
        if (job.every === 'minute') {
          const minute = new Date(Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS);
          if (!deps.runs.claimMinute || (await deps.runs.claimMinute(job.name, minute))) {
            // Logged at debug: the multi-process test counts these lines to see one run per minute.
            logger.debug({ job: job.name, minute: minute.toISOString() }, 'minute job claimed');
            await job.run(now);
          }
        } else await runDaily(job, now);
      } catch (err) {
        // One failing job must not stop the others, nor the loop.
        logger.error({ job: job.name, err: describeError(err) }, 'scheduled job failed');
      }
    }
  }

  function tick(): Promise<void> {
    // Ticks never overlap: a slow pass delays the next one instead.
    current ??= pass().finally(() => (current = null));
    return current;
  }

  function schedule(): void {
    if (!running) return;
    timer = setTimeout(() => void tick().then(schedule), tickMs);
  }

  return {
    start() {
      if (running) return;
      running = true;
      void tick().then(schedule);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      await current;
    },
    tick,
  };
}
