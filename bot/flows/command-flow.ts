import { formatShanghai } from '../../core/case/case-format-fns.ts';
import { RESIDENT_STATUS_LABELS, STATUS_LABELS, type CaseStatus, type Role } from '../../core/case/case-types.ts';
import type { CaseListItem } from '../bot-ports.ts';
import type { BotContext } from '../bot-context.ts';
import { caseNumberIn } from '../../core/case/case-card-fns.ts';
import { cardFor, openCard, visibleCase } from './case-card-flow.ts';

/** At most this many cards answer /queue: one message each, so a phone screen is not flooded. */
const QUEUE_CARDS = 10;
import { togglePatrol } from './patrol-flow.ts';

const ROLE_NAMES: Record<Role, string> = {
  resident: '居民',
  inspector: '综合巡查员',
  enforcer: '执法队员',
  team_lead: '执法队长',
  dept_liaison: '部门联络人',
  district_admin: '区城管执法局',
};
const STAFF_ROLES = new Set<Role>(['enforcer', 'team_lead', 'dept_liaison', 'district_admin', 'inspector']);

/** The lookup labels statuses in the staff's words; a resident reads them in plain ones. */
const RESIDENT_WORDS = new Map(
  (Object.keys(STATUS_LABELS) as CaseStatus[]).map((s) => [STATUS_LABELS[s], RESIDENT_STATUS_LABELS[s]]),
);
const statusFor = (ctx: BotContext, label: string) => (ctx.isStaff ? label : (RESIDENT_WORDS.get(label) ?? label));

const line = (c: CaseListItem) =>
  `${c.overdue ? '⚠️逾期 ' : c.urgent ? '🔴 ' : ''}${c.number}｜${c.matter}｜${c.status}${c.dueAt ? `｜时限 ${formatShanghai(c.dueAt)}` : ''}`;

export const COMMANDS: Record<string, (ctx: BotContext, args: string) => Promise<void>> = {
  async start(ctx) {
    // Staff are not asked to report problems: they get their own greeting and their commands.
    if (ctx.isStaff) return ctx.reply({ text: ctx.t('welcome.staff') + '\n' + ctx.t('help.staff').trim() });
    ctx.say('welcome');
  },
  async help(ctx) {
    ctx.reply({ text: ctx.t('help') + (ctx.isStaff ? ctx.t('help.staff') : '') });
  },
  async cancel(ctx) {
    const flow = ctx.state?.flow;
    if (!flow || flow === 'idle') return ctx.say('draft.nothing');
    await ctx.clearState();
    ctx.say(flow === 'report' || flow === 'finding' ? 'draft.cancelled' : 'action.cancelled');
  },
  async my(ctx) {
    const cases = await ctx.deps.lookup.mine(ctx.actor.personId, 10);
    if (!cases.length) return ctx.say('my.empty');
    ctx.say('my.list', { lines: cases.map((c) => line({ ...c, status: statusFor(ctx, c.status) })).join('\n') });
  },
  async status(ctx, args) {
    const number = caseNumberIn(args) ?? args.trim().toUpperCase();
    if (!number) return ctx.say('status.usage');
    // The case's card, as this person may see it (a resident their reporter view, without staff buttons).
    await openCard(ctx, number);
  },
  async bind(ctx, args) {
    const code = args.trim();
    if (!code) return ctx.say('bind.usage');
    const actor = await ctx.deps.identities.bind(ctx.msg.channel, ctx.msg.userId, ctx.msg.chatId, code, ctx.now);
    if (!actor) return ctx.say('bind.failed');
    ctx.say('bind.ok', { name: actor.displayName, role: ROLE_NAMES[actor.role], unit: '' });
  },
  async queue(ctx) {
    if (!STAFF_ROLES.has(ctx.actor.role) || ctx.actor.role === 'inspector') return ctx.say('staff_only');
    const listed = await ctx.deps.lookup.queue(ctx.actor, ctx.now, QUEUE_CARDS + 1);
    if (!listed.length) return ctx.say('queue.empty');
    const shown = listed.slice(0, QUEUE_CARDS);
    ctx.say('queue.header', { count: listed.length > shown.length ? `${shown.length}+` : shown.length });
    // One card each, overdue first: every case can be acted on from its own message.
    for (const item of shown) {
      const found = await visibleCase(ctx, { number: item.number });
      if (found) ctx.reply(await cardFor(ctx, found.c, found.view, { headline: line(item), compact: true }));
    }
  },
  async patrol(ctx) {
    await togglePatrol(ctx);
  },
  async login(ctx) {
    if (!ctx.isStaff) return ctx.say('staff_only');
    const token = await ctx.deps.loginLinks.create(ctx.actor.personId, ctx.now);
    ctx.say('login.link', { minutes: 15, url: `${ctx.deps.settings.publicUrl}/login/${token}` });
  },
};

export { ROLE_NAMES };
