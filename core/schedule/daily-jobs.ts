import type { Logger } from '../../config/logger.ts';
import { DAY_MS, dayStartMs, formatYmd, shanghaiDay } from '../deadlines/shanghai-day-fns.ts';
import { createTemplateCatalogue, type TemplateVars } from '../messaging/template-fns.ts';
import type { DailyJobsPort, DigestCounts, DigestScope } from './daily-jobs-port.ts';
import type { DeadlineNotice } from './deadline-watch-port.ts';
import { SCHEDULE_MESSAGES } from './schedule-messages.ts';
import type { ScheduledJob } from './scheduler.ts';

export interface DailyJobsDeps {
  port: DailyJobsPort;
  logger: Logger;
  t?: (key: string, vars: TemplateVars) => string;
  /** DIGEST_HOUR and PATROL_REMINDER_HOUR (Shanghai time). */
  digestHour: number;
  patrolReminderHour: number;
}

const hhmm = (hour: number) => `${String(hour).padStart(2, '0')}:00`;
/** '3月2日' for people; the slot's ISO date for keys. */
const chineseDate = (day: number) => {
  const [, m, d] = formatYmd(day).split('-');
  return `${Number(m)}月${Number(d)}日`;
};

export function unitName(scope: DigestScope): string {
  if (scope.kind === 'street') return `${scope.name}城管执法队`;
  if (scope.kind === 'department') return scope.name;
  return '全区';
}

/** The morning digest (每日汇总) and the evening patrol-report reminder, as daily scheduler jobs. */
export function createDailyJobs(deps: DailyJobsDeps): { digest: ScheduledJob; patrolReminder: ScheduledJob } {
  const { port } = deps;
  const logger = deps.logger.child({ component: 'daily-jobs' });
  const t = deps.t ?? createTemplateCatalogue(SCHEDULE_MESSAGES).t;

  async function digest(now: Date): Promise<void> {
    const day = shanghaiDay(now);
    const dayEnd = new Date(dayStartMs(day) + DAY_MS);
    const counted = new Map<string, DigestCounts>();
    const notices: DeadlineNotice[] = [];
    for (const { personId, scope } of await port.digestRecipients()) {
      const scopeKey = JSON.stringify(scope);
      let counts = counted.get(scopeKey);
      if (!counts) counted.set(scopeKey, (counts = await port.digestCounts(scope, now, dayEnd)));
      // A unit with nothing open gets no message: a daily "0, 0, 0" teaches people to ignore the digest.
      if (counts.open === 0 && counts.awaitingVerification === 0) continue;
      const text = t('schedule.digest', { date: chineseDate(day), unit: unitName(scope), ...counts });
      notices.push({ personIds: [personId], message: { text }, dedupeKeyBase: `digest:${formatYmd(day)}:${personId}` });
    }
    const rows = await port.notify(notices);
    logger.info({ recipients: notices.length, rows }, 'daily digest enqueued');
  }

  async function patrolReminder(now: Date): Promise<void> {
    const day = shanghaiDay(now);
    const inspectors = await port.inspectorsWithOpenPatrols(
      new Date(dayStartMs(day)),
      new Date(dayStartMs(day) + DAY_MS),
    );
    const text = t('schedule.patrol_reminder', { date: chineseDate(day) });
    const rows = await port.notify(
      inspectors.map((personId) => ({
        personIds: [personId],
        message: { text },
        dedupeKeyBase: `patrol-reminder:${formatYmd(day)}:${personId}`,
      })),
    );
    logger.info({ inspectors: inspectors.length, rows }, 'patrol report reminders enqueued');
  }

  return {
    digest: { name: 'daily-digest', every: { dailyAt: hhmm(deps.digestHour) }, run: digest },
    patrolReminder: {
      name: 'patrol-report-reminder',
      every: { dailyAt: hhmm(deps.patrolReminderHour) },
      run: patrolReminder,
    },
  };
}
