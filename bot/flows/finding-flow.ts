import { formatShanghai, handlerName } from '../../core/case/case-format-fns.ts';
import { toWgs84 } from '../../core/geo/coord-transform-fns.ts';
import type { RoutingDecision } from '../../core/routing/routing-types.ts';
import type { BotContext } from '../bot-context.ts';
import { addToDraft, asDraft, draftText, emptyDraft, type Draft } from './draft-fns.ts';

const CANCEL = [{ id: 'd:cancel', label: '取消' }];
const FINDING_BUTTONS = [
  [
    { id: 'f:settled', label: '已劝导整改' },
    { id: 'f:case', label: '需执法' },
  ],
  CANCEL,
];
// A department's matter (a broken manhole cover: 市政养护) is filed as what it is, not under 需执法.
const DEPARTMENT_BUTTONS = [
  [
    { id: 'f:settled', label: '已劝导整改' },
    { id: 'f:refer', label: '移交部门' },
  ],
  [{ id: 'f:case', label: '需执法' }, ...CANCEL],
];

function previewOf(ctx: BotContext, d: Draft): RoutingDecision {
  return ctx.deps.reports.preview({
    text: draftText(d),
    address: d.address,
    reporter: 'inspector',
    reporterStreetId: ctx.actor.streetId,
  });
}

/** The router's own sentence on why a department handles it, for the inspector's reply. */
const referralReason = (d: RoutingDecision): string =>
  d.reasons.find((r) => r.includes('移送')) ?? d.reasons.find((r) => r.includes('事项')) ?? '';

/** An inspector's finding: a photo, a location and a few words, then settled on the spot or a case. */
export async function continueFinding(ctx: BotContext): Promise<void> {
  const d = ctx.state?.flow === 'finding' ? asDraft(ctx.state.data) : emptyDraft();
  addToDraft(d, ctx.msg);
  const missing = [d.text.length ? null : '简要描述', d.location || d.address ? null : '位置（位置消息或地址）'].filter(
    Boolean,
  );
  if (missing.length) {
    ctx.say('finding.need_more', { missing: missing.join('和') });
    return ctx.saveState('finding', 'collecting', { ...d, asked: d.text.length ? 'location' : 'text' });
  }
  const decision = previewOf(ctx, d);
  if (decision.handling === 'department' && decision.department) {
    ctx.say(
      'finding.ask_department',
      { department: decision.department, reason: referralReason(decision) },
      DEPARTMENT_BUTTONS,
    );
  } else ctx.say('finding.ask', {}, FINDING_BUTTONS);
  await ctx.saveState('finding', 'choose', { ...d, asked: null });
}

export async function findingChoice(ctx: BotContext, choice: 'settled' | 'case' | 'refer'): Promise<void> {
  if (ctx.state?.flow !== 'finding' || ctx.state.step !== 'choose') return ctx.say('stale_button');
  const d = asDraft(ctx.state.data);
  const point = d.location ? toWgs84({ lat: d.location.lat, lng: d.location.lng }, d.location.crs) : null;
  const base = {
    inspectorId: ctx.actor.personId,
    text: draftText(d),
    lat: point?.lat ?? null,
    lng: point?.lng ?? null,
    address: d.address,
    attachmentIds: d.photos,
    now: ctx.now,
  };
  const decision = previewOf(ctx, d);
  if (choice === 'settled') {
    // Settled by persuasion: recorded and counted as service in the 721 ratio, no case opened.
    await ctx.deps.patrols.recordFinding({
      ...base,
      outcome: 'settled',
      caseId: null,
      itemCode: decision.item?.code ?? null,
      matter: decision.item?.name ?? null,
    });
    await ctx.clearState();
    return ctx.say('finding.settled');
  }
  if (choice === 'refer' && decision.handling !== 'department')
    return ctx.say('finding.not_department', {}, FINDING_BUTTONS);
  const outcome = await ctx.deps.reports.submit({
    text: base.text,
    ...(d.location ? { lat: d.location.lat, lng: d.location.lng, crs: d.location.crs } : {}),
    address: d.address,
    channel: ctx.msg.channel,
    reporter: ctx.actor,
    attachmentIds: d.photos,
  });
  await ctx.clearState();
  if (outcome.kind === 'created' || outcome.kind === 'duplicate') {
    const c = outcome.kind === 'duplicate' ? outcome.existing : outcome.case;
    const referred = choice === 'refer' && c.handling === 'department';
    await ctx.deps.patrols.recordFinding({
      ...base,
      outcome: referred ? 'referred' : 'case',
      caseId: c.id,
      itemCode: c.item?.code ?? null,
      matter: c.item?.name ?? null,
      attachmentIds: [],
    });
    if (outcome.kind === 'duplicate') return ctx.say('draft.duplicate', { number: c.number, status: '办理中' });
    if (referred)
      return ctx.say('finding.referred', {
        number: c.number,
        handler: handlerName(c),
        reason: referralReason(decision),
        due: c.dueAt ? formatShanghai(c.dueAt) : '人工分派后确定',
      });
    return ctx.say('draft.submitted', {
      number: c.number,
      handler: handlerName(c),
      due: c.dueAt ? formatShanghai(c.dueAt) : '人工分派后确定',
    });
  }
  ctx.say(outcome.kind === 'outside' ? 'draft.outside' : 'not_actionable', { neighbour: '' });
}
