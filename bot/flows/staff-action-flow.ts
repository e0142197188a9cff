import { formatShanghai } from '../../core/case/case-format-fns.ts';
import type { CaseRow } from '../../core/case/case-port.ts';
import {
  ACTION_LABELS,
  STATUS_LABELS,
  type ActionInput,
  type CaseAction,
  type Mode721,
} from '../../core/case/case-types.ts';
import { refusalFor } from '../../core/case/transition-rules-fns.ts';
import { NotFoundError } from '../../core/errors.ts';
import { message, outcomeMessage, ratingButtons } from '../../core/case/case-notices.ts';
import type { BotContext } from '../bot-context.ts';
import { ANY_INPUT } from '../../core/case/case-card-fns.ts';
import { cardFor, visibleCase } from './case-card-flow.ts';

/** Actions that need words from the person before they run, and what to call those words. */
const NOTE_PROMPTS: Partial<Record<CaseAction, string>> = {
  return: '退回理由（如非本街道辖区、非本岗位事项）',
  escalate: '上报区局的理由（如跨街道、重大复杂）',
  reject: '不予受理的理由',
  fail_verification: '核查发现的问题',
  resolve: '处置结果（做了什么、现场情况）',
};
const MODE_BUTTONS = [
  [
    { id: 'm:service', label: '服务（劝导）' },
    { id: 'm:management', label: '管理' },
    { id: 'm:enforcement', label: '执法（处罚）' },
  ],
];

async function loadCase(ctx: BotContext, caseId: number): Promise<CaseRow> {
  const c = await ctx.deps.cases.store.transaction((tx) => tx.getCase({ id: caseId }));
  if (!c) throw new NotFoundError('没有找到该案件');
  return c;
}

/** What a reporter who pressed 已解决 / 仍未解决 reads: the reporters' notice itself, said once. */
const REPORTER_ANSWERS: Partial<Record<CaseAction, string>> = {
  verify: 'reporter.closed',
  fail_verification: 'reporter.rework',
};

async function run(ctx: BotContext, caseId: number, action: CaseAction, input: ActionInput = {}): Promise<void> {
  const answerKey = ctx.isStaff ? undefined : REPORTER_ANSWERS[action];
  const updated = await ctx.deps.cases.actions.act({ id: caseId }, action, ctx.actor, {
    ...input,
    ...(answerKey ? { answeredInChat: true } : {}),
  });
  if (ctx.state?.flow === 'action') await ctx.clearState();
  if (answerKey) {
    const m = ctx.deps.messages;
    return ctx.reply(
      action === 'verify'
        ? await ctx.deps.cases.store.transaction((tx) =>
            outcomeMessage(tx, m, answerKey, updated, ratingButtons(updated)),
          )
        : message(m, answerKey, updated),
    );
  }
  const done = ctx.t('action.done', {
    action: ACTION_LABELS[action],
    number: updated.number,
    status: STATUS_LABELS[updated.status],
  });
  // The answer is the case's card as it is now, with what this person can do next (接单 → 办结).
  const found = await visibleCase(ctx, { id: updated.id });
  if (!found || found.view === 'follower') return ctx.reply({ text: done });
  ctx.reply(await cardFor(ctx, found.c, found.view, { headline: done, compact: true }));
}

/**
 * A button its card no longer allows (the case moved on, or is someone else's now): the reason,
 * then the case as it is now and what this person can do, when they may see it.
 */
async function answerStale(ctx: BotContext, c: CaseRow, reason: string): Promise<void> {
  const found = await visibleCase(ctx, { id: c.id });
  if (!found || found.view === 'follower') return ctx.reply({ text: reason });
  ctx.reply(await cardFor(ctx, found.c, found.view, { headline: `${reason}\n案件 ${c.number} 现在：`, compact: true }));
}

/** A workflow button on a case message: run it, or ask first for what it needs. */
export async function caseButton(ctx: BotContext, action: CaseAction, caseId: number): Promise<void> {
  const c = await loadCase(ctx, caseId);
  // Checked before asking for a reason, so nobody types one only to be refused.
  const refusal = refusalFor(action, ctx.actor, c, ANY_INPUT);
  if (refusal) return answerStale(ctx, c, refusal.message);
  if (action === 'assign') {
    const members =
      c.streetId !== null
        ? (await ctx.deps.staff.teamMembers(c.streetId)).filter((m) => m.personId !== ctx.actor.personId)
        : [];
    if (!members.length) return ctx.say('action.no_members');
    return ctx.say(
      'action.ask_assignee',
      {},
      members.map((m) => [{ id: `a:${c.id}:${m.personId}`, label: m.name }]),
    );
  }
  if (action === 'refer') {
    const depts = await ctx.deps.staff.departments();
    const rows = [];
    for (let i = 0; i < depts.length; i += 2)
      rows.push(depts.slice(i, i + 2).map((d) => ({ id: `x:${c.id}:${d.code}`, label: d.name })));
    return ctx.say('action.ask_department', {}, rows);
  }
  if (action === 'register') {
    const decision = ctx.deps.reports.preview({ text: c.text, address: c.address, reporter: 'resident' });
    const rows = decision.candidates
      .slice(0, 5)
      .map((k) => [{ id: `g:${c.id}:${k.code}`, label: `${k.code} ${k.name}`.slice(0, 30) }]);
    ctx.say('action.ask_item', {}, rows);
    return ctx.saveState('action', 'item', { action, caseId });
  }
  if (action === 'fail_verification' && !ctx.isStaff) {
    // A resident is asked in their own terms; 核查 is the staff's word for it.
    ctx.say('verify.ask_note');
    return ctx.saveState('action', 'note', { action, caseId, photos: [] });
  }
  const prompt = NOTE_PROMPTS[action];
  if (prompt) {
    ctx.say('action.ask_note', { what: prompt, ofCase: `（案件 ${c.number}）` });
    return ctx.saveState('action', 'note', { action, caseId, photos: [] });
  }
  await run(ctx, caseId, action);
}

export async function assignTo(ctx: BotContext, caseId: number, personId: number): Promise<void> {
  await run(ctx, caseId, 'assign', { assigneeId: personId });
}

export async function referTo(ctx: BotContext, caseId: number, deptCode: string): Promise<void> {
  const dept = (await ctx.deps.staff.departments()).find((d) => d.code === deptCode);
  if (!dept) return ctx.say('stale_button');
  await run(ctx, caseId, 'refer', { departmentName: dept.name });
}

export async function registerAs(ctx: BotContext, caseId: number, itemCode: string): Promise<void> {
  await run(ctx, caseId, 'register', { itemCode: itemCode.toUpperCase() });
}

/** Text, photos or a step button while an action waits for input. */
export async function continueAction(ctx: BotContext): Promise<void> {
  const data = ctx.state!.data as { action: CaseAction; caseId: number; note?: string; photos: number[] };
  const step = ctx.state!.step;
  const text = ctx.msg.text?.trim();
  if (step === 'item') {
    if (text && /^[A-Za-z]{2}(-[A-Za-z]{2})?-\d{3}$/.test(text)) return registerAs(ctx, data.caseId, text);
    return ctx.say('action.ask_item');
  }
  if (step === 'note') {
    if (!text && data.action === 'fail_verification' && !ctx.isStaff) return ctx.say('verify.ask_note');
    if (!text) return ctx.say('action.ask_note', { what: NOTE_PROMPTS[data.action] ?? '说明', ofCase: '' });
    if (data.action !== 'resolve') return run(ctx, data.caseId, data.action, { note: text });
    ctx.say('action.ask_photos', {}, [[{ id: 's:next', label: '下一步' }]]);
    return ctx.saveState('action', 'photos', { ...data, note: text });
  }
  if (step === 'photos') {
    const photos = [...data.photos, ...(ctx.msg.photos ?? []).map((p) => p.attachmentId)];
    if (ctx.msg.photos?.length)
      ctx.say('draft.photo_added', { count: photos.length }, [[{ id: 's:next', label: '下一步' }]]);
    else ctx.say('action.ask_photos', {}, [[{ id: 's:next', label: '下一步' }]]);
    return ctx.saveState('action', 'photos', { ...data, photos });
  }
  ctx.say('action.ask_mode', {}, MODE_BUTTONS);
}

export async function stepButton(ctx: BotContext, id: string): Promise<void> {
  if (ctx.state?.flow !== 'action') return ctx.say('stale_button');
  const data = ctx.state.data as { action: CaseAction; caseId: number; note?: string; photos: number[] };
  if (id === 's:next' && ctx.state.step === 'photos') {
    ctx.say('action.ask_mode', {}, MODE_BUTTONS);
    return ctx.saveState('action', 'mode', data);
  }
  if (id.startsWith('m:') && ctx.state.step === 'mode') {
    return run(ctx, data.caseId, 'resolve', {
      note: data.note!,
      mode721: id.slice(2) as Mode721,
      attachmentIds: data.photos,
    });
  }
  ctx.say('stale_button');
}

export async function decidePostponement(ctx: BotContext, decision: string, postponementId: number): Promise<void> {
  const approve = decision === 'approve';
  const c = await ctx.deps.cases.feedback.decidePostponement(postponementId, ctx.actor, approve);
  ctx.say('postponement.done', { decision: approve ? '批准' : '驳回', number: c.number, due: formatShanghai(c.dueAt) });
}
