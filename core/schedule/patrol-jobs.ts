import type { Logger } from '../../config/logger.ts';
import { DAY_MS, dayStartMs, formatYmd, MINUTE_MS, shanghaiDay } from '../deadlines/shanghai-day-fns.ts';
import { createTemplateCatalogue, type TemplateVars } from '../messaging/template-fns.ts';
import type { DeadlineNotice } from './deadline-watch-port.ts';
import type { PatrolJobsPort } from './patrol-jobs-port.ts';
import { countFindings, durationText, reportVars, shanghaiTime } from './patrol-report-fns.ts';
import { SCHEDULE_MESSAGES } from './schedule-messages.ts';
import type { ScheduledJob } from './scheduler.ts';

export interface PatrolJobsDeps {
  port: PatrolJobsPort;
  logger: Logger;
  t?: (key: string, vars: TemplateVars) => string;
  /** PATROL_REPORT_HOUR (Shanghai): the day's reports go out then. */
  reportHour: number;
  /** PATROL_IDLE_MINUTES: a patrol with no finding for this long ends itself. */
  idleMinutes: number;
}

const chineseDate = (day: number) => {
  const [, m, d] = formatYmd(day).split('-');
  return `${Number(m)}月${Number(d)}日`;
};

/**
 * The evening 巡查日报 (one per inspector per day, whatever the number of /patrol) with one digest
 * of the team's reports per team lead, and the minute job that ends forgotten patrols.
 */
export function createPatrolJobs(deps: PatrolJobsDeps): { dailyReport: ScheduledJob; idleEnd: ScheduledJob } {
  const { port } = deps;
  const logger = deps.logger.child({ component: 'patrol-jobs' });
  const t = deps.t ?? createTemplateCatalogue(SCHEDULE_MESSAGES).t;

  async function dailyReport(now: Date): Promise<void> {
    const day = shanghaiDay(now);
    const from = new Date(dayStartMs(day));
    const to = new Date(dayStartMs(day) + DAY_MS);
    const date = chineseDate(day);
    const ymd = formatYmd(day);
    const days = await port.inspectorDays(from, to);
    const notices: DeadlineNotice[] = [];
    const byStreet = new Map<
      number,
      { street: string; reports: string[]; inspectors: number; findings: number; settled: number }
    >();
    for (const d of days) {
      const text = t('schedule.patrol_report', { date, ...reportVars(d, now) });
      notices.push({
        personIds: [d.inspectorId],
        message: { text },
        dedupeKeyBase: `patrol-report:${ymd}:${d.inspectorId}`,
      });
      if (d.streetId === null) continue;
      const team = byStreet.get(d.streetId) ?? {
        street: d.street ?? '',
        reports: [],
        inspectors: 0,
        findings: 0,
        settled: 0,
      };
      const n = countFindings(d.findings);
      team.reports.push(text);
      team.inspectors += 1;
      team.findings += n.findings;
      team.settled += n.settled;
      byStreet.set(d.streetId, team);
    }
    // The lead reads the team's day in one message rather than one per inspector (or per patrol).
    for (const [streetId, team] of byStreet) {
      const text = t('schedule.patrol_digest', {
        date,
        unit: `${team.street}城管执法队`,
        inspectors: team.inspectors,
        findings: team.findings,
        settled: team.settled,
        reports: team.reports.join('\n\n'),
      });
      for (const lead of await port.teamLeads(streetId))
        notices.push({ personIds: [lead], message: { text }, dedupeKeyBase: `patrol-digest:${ymd}:${lead}` });
    }
    const rows = await port.notify(notices);
    for (const d of days) await port.markReported(d.inspectorId, from, to, now);
    logger.info({ inspectors: days.length, streets: byStreet.size, rows }, 'daily patrol reports enqueued');
  }

  async function idleEnd(now: Date): Promise<void> {
    const idleMs = deps.idleMinutes * MINUTE_MS;
    for (const p of await port.openPatrols()) {
      const last = p.lastFindingAt && p.lastFindingAt > p.startedAt ? p.lastFindingAt : p.startedAt;
      if (now.getTime() - last.getTime() < idleMs) continue;
      // Ended when it went idle, not when the job noticed (the server may have been down meanwhile).
      const endedAt = new Date(last.getTime() + idleMs);
      if (!(await port.endPatrol(p.patrolId, endedAt))) continue;
      const text = t('schedule.patrol_auto_ended', {
        time: shanghaiTime(endedAt),
        minutes: deps.idleMinutes,
        duration: durationText(endedAt.getTime() - p.startedAt.getTime()),
      });
      await port.notify([
        { personIds: [p.inspectorId], message: { text }, dedupeKeyBase: `patrol:${p.patrolId}:auto-ended` },
      ]);
      logger.info({ patrolId: p.patrolId, inspectorId: p.inspectorId }, 'idle patrol ended');
    }
  }

  return {
    dailyReport: {
      name: 'patrol-daily-report',
      every: { dailyAt: `${String(deps.reportHour).padStart(2, '0')}:00` },
      run: dailyReport,
    },
    idleEnd: { name: 'patrol-idle-end', every: 'minute', run: idleEnd },
  };
}
