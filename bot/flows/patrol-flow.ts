import { formatShanghai } from '../../core/case/case-format-fns.ts';
import type { BotContext } from '../bot-context.ts';

export function patrolDuration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  return minutes >= 60 ? `${Math.floor(minutes / 60)} 小时 ${minutes % 60} 分钟` : `${minutes} 分钟`;
}

/**
 * /patrol starts a patrol, or ends the open one. Ending it sends nothing to the team lead: the
 * day's 巡查日报 (every patrol and finding of the day) goes out once, at PATROL_REPORT_HOUR.
 */
export async function togglePatrol(ctx: BotContext): Promise<void> {
  if (ctx.actor.role !== 'inspector') return ctx.say('patrol.inspector_only');
  const { patrols } = ctx.deps;
  const open = await patrols.open(ctx.actor.personId);
  if (!open) {
    await patrols.start(ctx.actor.personId, ctx.actor.streetId, ctx.now);
    return ctx.say('patrol.started', { time: formatShanghai(ctx.now) });
  }
  const s = await patrols.end(open.id, ctx.now);
  ctx.say('patrol.ended', {
    time: formatShanghai(s.endedAt),
    duration: patrolDuration(s.endedAt.getTime() - s.startedAt.getTime()),
    findings: s.findings,
    reportAt: `${String(ctx.deps.settings.patrolReportHour ?? 20).padStart(2, '0')}:00`,
  });
}
