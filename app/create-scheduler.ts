// The scheduler's jobs: deadlines (reminders, 督办, escalation, auto-verification), daily
// digests and patrol reminders, expiring drafts, and housekeeping (outbox, update ids, sessions).
import type { Config } from '../config/config-schema.ts';
import type { Logger } from '../config/logger.ts';
import { createDraftExpiryJob } from '../bot/draft-expiry-job.ts';
import { createDailyJobs } from '../core/schedule/daily-jobs.ts';
import { createDeadlineWatch } from '../core/schedule/deadline-watch.ts';
import { createScheduler, type Scheduler } from '../core/schedule/scheduler.ts';
import { createConversationStore } from '../db/conversation-store.ts';
import { createDailyJobsStore, createDeadlineWatchStore } from '../db/deadline-watch-store.ts';
import { createHousekeepingStore } from '../db/housekeeping-store.ts';
import type { Db } from '../db/prisma-client.ts';
import { createSchedulerRunStore } from '../db/scheduler-run-store.ts';
import type { Domain } from './create-domain.ts';
import { OUTBOX_PRIORITY } from '../core/messaging/outbox-port.ts';
import { createVerificationWatch } from '../core/schedule/verification-watch.ts';
import { createPatrolJobs } from '../core/schedule/patrol-jobs.ts';
import { createPatrolJobsStore } from '../db/patrol-jobs-store.ts';
import { createVerificationTaskStore } from '../db/verification-task-store.ts';
import { plannerStatisticsJob } from './planner-statistics-job.ts';

export function createAppScheduler(opts: {
  db: Db;
  domain: Domain;
  config: Config;
  logger: Logger;
  kick: () => void;
  tickMs?: number;
}): Scheduler {
  const { db, domain, config, logger } = opts;
  const t = (key: string, vars?: Record<string, string | number | null | undefined>) => domain.messages.t(key, vars);
  const watch = createDeadlineWatch({
    port: createDeadlineWatchStore(db, domain.outbox),
    logger,
    t,
    reminderBeforeHours: config.REMINDER_BEFORE_HOURS,
    overdueEscalateHours: config.OVERDUE_ESCALATE_HOURS,
    autoVerifyDays: config.AUTO_VERIFY_DAYS,
    escalateOverdue: (id) => domain.cases.feedback.escalateOverdue(id),
    autoVerify: (id) => domain.cases.feedback.autoVerify(id),
    cards: (id, people, text) => domain.cases.cardsFor(id, people, text),
  });
  const verification = createVerificationWatch({
    port: createVerificationTaskStore(db),
    logger,
    autoVerify: (id) => domain.cases.feedback.autoVerify(id),
  });
  const patrols = createPatrolJobs({
    port: createPatrolJobsStore(db, domain.outbox),
    logger,
    t,
    reportHour: config.PATROL_REPORT_HOUR,
    idleMinutes: config.PATROL_IDLE_MINUTES,
  });
  const daily = createDailyJobs({
    port: createDailyJobsStore(db, domain.outbox),
    logger,
    t,
    digestHour: config.DIGEST_HOUR,
    patrolReminderHour: config.PATROL_REMINDER_HOUR,
  });
  const drafts = createDraftExpiryJob({
    conversations: createConversationStore(db),
    ttlMinutes: config.DRAFT_TTL_MINUTES,
    text: (minutes) => t('draft.expired', { minutes }),
    notifyChat: async (channel, chatId, message, dedupeKey) => {
      await domain.outbox.enqueueNow([{ dedupeKey, channel, chatId, message, priority: OUTBOX_PRIORITY.bulk }]);
    },
  });
  const housekeeping = {
    name: 'outbox-purge',
    every: { dailyAt: '03:30' },
    run: async (now: Date) => {
      await domain.outbox.purgeSent(new Date(now.getTime() - 90 * 86_400_000));
    },
  };
  const purge = createHousekeepingStore(db);
  const dbHousekeeping = {
    name: 'db-purge',
    every: { dailyAt: '03:40' },
    run: async (now: Date) => {
      const purged = await purge.purge({
        processedBefore: new Date(now.getTime() - config.PROCESSED_UPDATE_RETENTION_DAYS * 86_400_000),
        expiredBefore: new Date(now.getTime() - config.EXPIRED_LOGIN_RETENTION_DAYS * 86_400_000),
      });
      logger.info({ purged }, 'old bookkeeping rows purged');
    },
  };
  // Jobs enqueue messages: wake the delivery worker after each tick instead of waiting for its poll.
  const jobs = [
    watch.job,
    verification,
    patrols.idleEnd,
    patrols.dailyReport,
    daily.digest,
    daily.patrolReminder,
    drafts,
    housekeeping,
    dbHousekeeping,
    plannerStatisticsJob(config.DATABASE_URL, logger),
  ].map((job) => ({
    ...job,
    run: async (now: Date) => {
      await job.run(now);
      opts.kick();
    },
  }));
  return createScheduler({
    jobs,
    runs: createSchedulerRunStore(db),
    clock: domain.clock,
    logger,
    ...(opts.tickMs ? { tickMs: opts.tickMs } : {}),
  });
}
