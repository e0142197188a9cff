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
import type { Button } from '../../core/messaging/outbound-types.ts';
import type { BotContext } from '../bot-context.ts';
import { ANY_INPUT } from '../../core/case/case-card-fns.ts';
import { cardFor, visibleCase } from './case-card-flow.ts';
import { parseDueDate } from './due-date-fns.ts';

/** What an action waiting for input has gathered so far. */
interface ActionData {
  action: CaseAction;
  caseId: number;
  note?: string;
  photos: number[];
  /** 退回 / 派遣街道: where the case goes. */
  streetName?: string;
  departmentName?: string;
  toDistrict?: boolean;
}

const actionData = (ctx: BotContext): ActionData | null =>
  ctx.state?.flow === 'action' ? (ctx.state.data as unknown as ActionData) : null;

const CASE_NUMBER = /^[A-Za-z]{1,8}-\d{8}-\d{4}$/;

/** Buttons in rows of `per`, for lists longer than a phone's width. */
function rows(buttons: Button[], per: number): Button[][] {
  const out: Button[][] = [];
  for (let i = 0; i < buttons.length; i += per) out.push(buttons.slice(i, i + per));
  return out;
}

/** Actions that need words from the person before they run, and what to call those words. */
const NOTE_PROMPTS: Partial<Record<CaseAction, string>> = {
  return: '退回理由（如非本街道辖区、非本岗位事项）',
  escalate: '上报区局的理由（如跨街道、重大复杂）',
  reject: '不予受理的理由',
  fail_verification: '核查发现的问题',
  resolve: '处置结果（做了什么、现场情况）',
  request_postponement: '申请缓办的理由（如需协调其他部门、等待当事人整改期满）',
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
  if (action === 'request_postponement')
    return ctx.say('action.postponement_requested', {
      number: updated.number,
      due: formatShanghai(new Date(input.newDueAt!)),
    });
  const done = ctx.t('action.done', {
    action: ACTION_LABELS[action],
    number: updated.number,
    status: STATUS_LABELS[updated.status],
  });
  // The answer is the case's card as it is now, with what this person can do next (接单 → 办结).
  const found = await visibleCase(ctx, { id: updated.id });
  if (!found || found.view === 'follower') ctx.reply({ text: done });
  else ctx.reply(await cardFor(ctx, found.c, found.view, { headline: done, compact: true }));
  if (action === 'resolve') {
    // Accepted all the same: a phone's GPS can be off. But the resolver hears what the inspector will see.
    const task = await ctx.deps.cases.store.transaction((tx) => tx.verificationTask(updated.id));
    if (task?.warning) ctx.say('action.photo_warning', { warning: task.warning });
  }
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
        ? (await ctx.deps.staff.teamMembers(c.streetId, c.item)).filter((m) => m.personId !== ctx.actor.personId)
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
  // The bureau may send a case to any street: the street first, then the matter.
  if (action === 'register' && ctx.actor.role === 'district_admin') return askStreet(ctx, c.id);
  if (action === 'return') return askReturnDestination(ctx, c);
  if (action === 'merge') {
    ctx.say('action.ask_merge_target', { number: c.number });
    return ctx.saveState('action', 'target', { action, caseId, photos: [] } satisfies ActionData);
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
  const data = actionData(ctx);
  const streetName = data?.caseId === caseId ? data.streetName : undefined;
  await run(ctx, caseId, 'register', { itemCode: itemCode.toUpperCase(), ...(streetName ? { streetName } : {}) });
}

async function askStreet(ctx: BotContext, caseId: number, unknown?: string): Promise<void> {
  const streets = await ctx.deps.staff.streets();
  const buttons = rows(
    streets.map((s) => ({ id: `ds:${caseId}:${s.code}`, label: s.name })),
    3,
  );
  if (unknown !== undefined) ctx.say('action.unknown_street', { text: unknown }, buttons);
  else ctx.say('action.ask_street', {}, buttons);
  return ctx.saveState('action', 'street', { action: 'register', caseId, photos: [] } satisfies ActionData);
}

/** 退回 asks where the case belongs first: another street, the bureau, or a department. */
async function askReturnDestination(ctx: BotContext, c: CaseRow): Promise<void> {
  const streets = (await ctx.deps.staff.streets()).filter((s) => !(c.handling === 'street' && s.name === c.streetName));
  const buttons = rows(
    streets.map((s) => ({ id: `rt:${c.id}:s:${s.code}`, label: s.name })),
    3,
  );
  const others: Button[] = [];
  if (ctx.actor.role !== 'district_admin') others.push({ id: `rt:${c.id}:b`, label: '区城管执法局（重新分拣）' });
  others.push({ id: `rt:${c.id}:d`, label: '其他部门' });
  ctx.say('action.ask_return_to', {}, [...buttons, others]);
  await ctx.saveState('action', 'return_to', { action: 'return', caseId: c.id, photos: [] } satisfies ActionData);
}

/** A destination button of 退回: a street (s), the bureau (b), departments to choose from (d), or one (d + code). */
export async function returnTo(ctx: BotContext, caseId: number, kind: string, code: string): Promise<void> {
  if (actionData(ctx)?.caseId !== caseId) return ctx.say('stale_button');
  const data = actionData(ctx)!;
  const c = await loadCase(ctx, caseId);
  let dest: Partial<ActionData>;
  if (kind === 's') {
    const street = (await ctx.deps.staff.streets()).find((s) => s.code === code);
    if (!street) return ctx.say('stale_button');
    dest = { streetName: street.name };
  } else if (kind === 'b') {
    dest = { toDistrict: true };
  } else if (kind === 'd' && !code) {
    const depts = (await ctx.deps.staff.departments()).filter((d) => d.name !== c.departmentName);
    return ctx.say(
      'action.ask_return_department',
      {},
      rows(
        depts.map((d) => ({ id: `rt:${caseId}:d:${d.code}`, label: d.name })),
        2,
      ),
    );
  } else if (kind === 'd') {
    const dept = (await ctx.deps.staff.departments()).find((d) => d.code === code);
    if (!dept) return ctx.say('stale_button');
    dest = { departmentName: dept.name };
  } else return ctx.say('stale_button');
  ctx.say('action.ask_note', { what: NOTE_PROMPTS.return!, ofCase: '' });
  return ctx.saveState('action', 'note', { ...data, ...dest });
}

/** The bureau chose the street to dispatch to: now the matter (the case's own, or another). */
export async function dispatchToStreet(ctx: BotContext, caseId: number, streetCode: string): Promise<void> {
  if (actionData(ctx)?.caseId !== caseId) return ctx.say('stale_button');
  const street = (await ctx.deps.staff.streets()).find((s) => s.code === streetCode);
  if (!street) return ctx.say('stale_button');
  return askStreetItem(ctx, await loadCase(ctx, caseId), street.name);
}

async function askStreetItem(ctx: BotContext, c: CaseRow, streetName: string): Promise<void> {
  const decision = ctx.deps.reports.preview({ text: c.text, address: c.address, reporter: 'resident' });
  const codes = [
    ...(c.item?.level === 'street' ? [{ code: c.item.code, name: c.item.name }] : []),
    ...decision.candidates,
  ];
  const seen = new Set<string>();
  const choices = codes.filter((k) => !seen.has(k.code) && seen.add(k.code)).slice(0, 5);
  ctx.say(
    'action.ask_street_item',
    { street: streetName },
    choices.map((k) => [{ id: `g:${c.id}:${k.code}`, label: `${k.code} ${k.name}`.slice(0, 30) }]),
  );
  return ctx.saveState('action', 'item', {
    action: 'register',
    caseId: c.id,
    photos: [],
    streetName,
  } satisfies ActionData);
}

/** Text, photos or a step button while an action waits for input. */
export async function continueAction(ctx: BotContext): Promise<void> {
  const data = ctx.state!.data as unknown as ActionData;
  const step = ctx.state!.step;
  const text = ctx.msg.text?.trim();
  if (step === 'item') {
    if (text && /^[A-Za-z]{2}(-[A-Za-z]{2})?-\d{3}$/.test(text)) return registerAs(ctx, data.caseId, text);
    return ctx.say('action.ask_item');
  }
  if (step === 'street') {
    const street = text
      ? (await ctx.deps.staff.streets()).find((s) => s.name === text || s.name === `${text}街道`)
      : null;
    if (!street) return askStreet(ctx, data.caseId, text ?? '');
    return askStreetItem(ctx, await loadCase(ctx, data.caseId), street.name);
  }
  // Typed words while a destination is asked for: ask again, with the choices.
  if (step === 'return_to') return askReturnDestination(ctx, await loadCase(ctx, data.caseId));
  if (step === 'target') {
    if (!text || !CASE_NUMBER.test(text)) return ctx.say('action.bad_case_number', { text: text ?? '' });
    return run(ctx, data.caseId, 'merge', { targetCaseNumber: text.toUpperCase() });
  }
  if (step === 'date') {
    const c = await loadCase(ctx, data.caseId);
    const due = text ? parseDueDate(text, ctx.now) : null;
    if (!due) return ctx.say('action.bad_date', { text: text ?? '', due: formatShanghai(c.dueAt) });
    return run(ctx, data.caseId, 'request_postponement', { note: data.note!, newDueAt: due.toISOString() });
  }
  if (step === 'note') {
    if (!text && data.action === 'fail_verification' && !ctx.isStaff) return ctx.say('verify.ask_note');
    if (!text) return ctx.say('action.ask_note', { what: NOTE_PROMPTS[data.action] ?? '说明', ofCase: '' });
    if (data.action === 'return')
      return run(ctx, data.caseId, 'return', {
        note: text,
        ...(data.streetName ? { streetName: data.streetName } : {}),
        ...(data.departmentName ? { departmentName: data.departmentName } : {}),
        ...(data.toDistrict ? { toDistrict: true } : {}),
      });
    if (data.action === 'request_postponement') {
      const c = await loadCase(ctx, data.caseId);
      ctx.say('action.ask_new_due', { due: formatShanghai(c.dueAt) });
      return ctx.saveState('action', 'date', { ...data, note: text });
    }
    if (data.action !== 'resolve') return run(ctx, data.caseId, data.action, { note: text });
    ctx.say('action.ask_photos', {}, [[{ id: 's:next', label: '下一步' }]]);
    return ctx.saveState('action', 'photos', { ...data, note: text } satisfies ActionData);
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
