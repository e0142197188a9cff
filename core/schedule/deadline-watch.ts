import type { Logger } from '../../config/logger.ts';
import { formatShanghai } from '../case/case-format-fns.ts';
import { DAY_MS, HOUR_MS } from '../deadlines/shanghai-day-fns.ts';
import { describeError } from '../messaging/delivery-fns.ts';
import { createTemplateCatalogue, type TemplateVars } from '../messaging/template-fns.ts';
import type { OutboundMessage } from '../messaging/outbound-types.ts';
import type { DeadlineNotice, DeadlineWatchPort, WatchedCase } from './deadline-watch-port.ts';
import { SCHEDULE_MESSAGES } from './schedule-messages.ts';
import type { ScheduledJob } from './scheduler.ts';

export interface DeadlineWatchDeps {
  port: DeadlineWatchPort;
  logger: Logger;
  /** The template catalogue (with administrators' overrides); the built-in texts when omitted. */
  t?: (key: string, vars: TemplateVars) => string;
  reminderBeforeHours: number;
  overdueEscalateHours: number;
  autoVerifyDays: number;
  /**
   * The case service's 上报区局 for an overdue case. It may set Case.overdueEscalatedAt in its own
   * transaction (then the watch sends nothing more); returning null or false means it declined
   * (the case moved on), and the watch only marks the case so it is not asked again.
   */
  escalateOverdue(caseId: number): Promise<unknown>;
  /** The case service's automatic 核查 of a case resolved long enough without objection. */
  autoVerify(caseId: number): Promise<unknown>;
  /**
   * The notice about one case as case cards (the case service's cardsFor): its state and, per
   * reader, exactly the actions they may take. Plain text when omitted.
   */
  cards?(
    caseId: number,
    personIds: number[],
    text: string,
  ): Promise<Array<{ personIds: number[]; message: OutboundMessage; key: string }>>;
  /** Cases per step and pass; the rest wait for the next minute. */
  batchSize?: number;
  /**
   * Cases per pass over all five steps (default 100), shared among them. A backlog (a city
   * importing a year of old cases, none of them notified) once made every pass do up to 100
   * cases per step, escalations and verifications being whole use-cases, minute after minute for
   * hours, on the process that also takes residents' reports.
   */
  casesPerRun?: number;
}

export interface DeadlineWatch {
  notifyResponseOverdue(now: Date): Promise<number>;
  remindDueSoon(now: Date): Promise<number>;
  notifyOverdue(now: Date): Promise<number>;
  escalateOverdue(now: Date): Promise<number>;
  autoVerifyResolved(now: Date): Promise<number>;
  /** All five steps; one failing step does not hold up the others. */
  run(now: Date): Promise<void>;
  /** The minute job for the scheduler. */
  job: ScheduledJob;
}

export function createDeadlineWatch(deps: DeadlineWatchDeps): DeadlineWatch {
  const { port } = deps;
  const logger = deps.logger.child({ component: 'deadline-watch' });
  const t = deps.t ?? createTemplateCatalogue(SCHEDULE_MESSAGES).t;
  const batchSize = deps.batchSize ?? 100;
  const casesPerRun = deps.casesPerRun ?? 100;
  // A step's cases this pass (run() narrows it to the step's share of the pass's budget), and
  // the cases the steps took up, done or not (a declined escalation costs as much as one made).
  let limit = batchSize;
  let taken = 0;
  const vars = (c: WatchedCase, extra: TemplateVars = {}): TemplateVars => ({
    number: c.number,
    matter: c.matter,
    unit: c.unit,
    due: formatShanghai(c.dueAt),
    ...extra,
  });
  /** A notice about case `c` to these people: as cards when the case service renders them. */
  const noticeOf = async (
    c: WatchedCase,
    personIds: number[],
    text: string,
    dedupeKeyBase: string,
  ): Promise<DeadlineNotice[]> => {
    if (!deps.cards) return [{ personIds, message: { text }, dedupeKeyBase }];
    const cards = await deps.cards(c.id, personIds, text);
    return cards.map((n) => ({ personIds: n.personIds, message: n.message, dedupeKeyBase: dedupeKeyBase + n.key }));
  };
  // The deadline is part of the key: after a postponement moves it, the case is reminded again.
  const key = (what: string, c: WatchedCase) => `deadline:${what}:${c.id}:${c.dueAt.getTime()}`;

  /** Runs `fn` per item; a failure is logged and the others go on (the item is retried next pass). */
  async function each<T>(
    step: string,
    items: T[],
    id: (x: T) => number,
    fn: (x: T) => Promise<boolean>,
  ): Promise<number> {
    let done = 0;
    for (const item of items) {
      taken++;
      try {
        if (await fn(item)) done++;
      } catch (err) {
        logger.error(
          { step, caseId: id(item), err: describeError(err) },
          'deadline step failed for a case; retrying next pass',
        );
      }
    }
    if (done > 0) logger.info({ step, cases: done }, 'deadline notices written');
    return done;
  }

  const watch: Omit<DeadlineWatch, 'job'> = {
    async notifyResponseOverdue(now) {
      const cases = await port.responseOverdue(now, limit);
      return each(
        'response-overdue',
        cases,
        (c) => c.id,
        async (c) => {
          const notices = await noticeOf(
            c,
            await port.responsible(c),
            t('schedule.response_overdue', vars(c)),
            key('response', c),
          );
          return port.flagAndNotify(c.id, 'responseOverdueNotifiedAt', now, notices);
        },
      );
    },

    async remindDueSoon(now) {
      const cases = await port.dueSoon(now, new Date(now.getTime() + deps.reminderBeforeHours * HOUR_MS), limit);
      return each(
        'remind',
        cases,
        (c) => c.id,
        async (c) => {
          const personIds = c.assigneeId !== null ? [c.assigneeId] : await port.responsible(c);
          return port.flagAndNotify(
            c.id,
            'remindedAt',
            now,
            await noticeOf(c, personIds, t('schedule.reminder', vars(c)), key('remind', c)),
          );
        },
      );
    },

    async notifyOverdue(now) {
      const cases = await port.overdueUnnotified(now, limit);
      return each(
        'overdue',
        cases,
        (c) => c.id,
        async (c) => {
          // 督办 goes to whoever supervises the unit, and to the person holding the case.
          const personIds = [...(await port.responsible(c)), ...(c.assigneeId !== null ? [c.assigneeId] : [])];
          return port.flagAndNotify(
            c.id,
            'overdueNotifiedAt',
            now,
            await noticeOf(c, personIds, t('schedule.overdue', vars(c)), key('overdue', c)),
          );
        },
      );
    },

    async escalateOverdue(now) {
      const cases = await port.escalationDue(new Date(now.getTime() - deps.overdueEscalateHours * HOUR_MS), limit);
      return each(
        'escalate',
        cases,
        (c) => c.id,
        async (c) => {
          const outcome = await deps.escalateOverdue(c.id);
          const declined = outcome === null || outcome === false;
          const hours = Math.floor((now.getTime() - c.dueAt.getTime()) / HOUR_MS);
          const notices = declined
            ? []
            : await noticeOf(
                c,
                await port.districtAdmins(),
                t('schedule.escalated', vars(c, { hours })),
                `deadline:escalated:${c.id}`,
              );
          await port.flagAndNotify(c.id, 'overdueEscalatedAt', now, notices);
          return !declined;
        },
      );
    },

    async autoVerifyResolved(now) {
      const ids = await port.autoVerifyDue(new Date(now.getTime() - deps.autoVerifyDays * DAY_MS), limit);
      return each(
        'auto-verify',
        ids,
        (id) => id,
        async (id) => {
          const outcome = await deps.autoVerify(id);
          return outcome !== null && outcome !== false;
        },
      );
    },

    async run(now) {
      // Overdue before escalation, so a case found late still gets its 督办 before the bureau hears.
      const steps = [
        watch.notifyResponseOverdue,
        watch.remindDueSoon,
        watch.notifyOverdue,
        watch.escalateOverdue,
        watch.autoVerifyResolved,
      ];
      // Each step may take its share of what the pass has left (so a backlog in one never holds
      // the others up); a step that had less to do leaves the rest to the steps after it.
      let left = casesPerRun;
      try {
        for (const [i, step] of steps.entries()) {
          limit = Math.min(batchSize, Math.ceil(left / (steps.length - i)));
          if (limit <= 0) break;
          const before = taken;
          try {
            await step(now);
          } catch (err) {
            logger.error({ step: step.name, err: describeError(err) }, 'deadline step failed; retrying next pass');
          }
          left -= taken - before;
        }
      } finally {
        limit = batchSize;
      }
    },
  };
  return { ...watch, job: { name: 'deadline-watch', every: 'minute', run: watch.run } };
}
