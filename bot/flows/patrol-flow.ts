import { SHANGHAI_OFFSET_MS } from '../../core/deadlines/shanghai-day-fns.ts';
import { formatShanghai } from '../../core/case/case-format-fns.ts';
import type { BotContext } from '../bot-context.ts';

function duration(ms: number): string {
  const minutes = Math.max(0, Math.round(ms / 60_000));
  return minutes >= 60 ? `${Math.floor(minutes / 60)} 小时 ${minutes % 60} 分钟` : `${minutes} 分钟`;
}

/** /patrol starts a patrol, or ends the open one with the daily patrol report (巡查日报) to the team lead. */
export async function togglePatrol(ctx: BotContext): Promise<void> {
  if (ctx.actor.role !== 'inspector') return ctx.say('patrol.inspector_only');
  const { patrols } = ctx.deps;
  const open = await patrols.open(ctx.actor.personId);
  if (!open) {
    await patrols.start(ctx.actor.personId, ctx.actor.streetId, ctx.now);
    return ctx.say('patrol.started', { time: formatShanghai(ctx.now) });
  }
  const date = new Date(ctx.now.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
  const summary = await patrols.end(open.id, ctx.now, (s) =>
    ctx.t('patrol.report', {
      date,
      name: ctx.actor.displayName,
      duration: duration(s.endedAt.getTime() - s.startedAt.getTime()),
      findings: s.findings,
      settled: s.settled,
      cases: s.casesOpened,
    }),
  );
  if (ctx.actor.streetId !== null) {
    const leads = await ctx.deps.staff.teamLeads(ctx.actor.streetId);
    await ctx.deps.notify(leads, { text: summary.reportText }, `patrol:${open.id}:report`);
  }
  ctx.say('patrol.ended', { report: summary.reportText });
}
