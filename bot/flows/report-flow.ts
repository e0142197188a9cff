import { formatShanghai, handlerName, shorten, whyHandled } from '../../core/case/case-format-fns.ts';
import { referralGuidance } from '../../core/routing/reasons-fns.ts';
import type { ItemRef } from '../../core/case/case-port.ts';
import { RESIDENT_STATUS_LABELS } from '../../core/case/case-types.ts';
import type { ReportOutcome } from '../../core/case/report-service.ts';
import { TooManyRequestsError } from '../../core/errors.ts';
import type { RoutingDecision } from '../../core/routing/routing-types.ts';
import type { BotContext } from '../bot-context.ts';
import { offerNearby } from './nearby-flow.ts';
import { IMPRECISE_M, addToDraft, asDraft, draftText, emptyDraft, typedChoice, type Draft } from './draft-fns.ts';

/** Letters (Latin, Cyrillic, Hangul, …) and no Han character at all. */
function isForeignLanguage(text: string): boolean {
  return /\p{L}{2,}/u.test(text) && !/\p{Script=Han}/u.test(text);
}

const CONFIRM_BUTTONS = [
  [
    { id: 'd:confirm', label: '确认提交' },
    { id: 'd:edit', label: '修改' },
    { id: 'd:cancel', label: '取消' },
  ],
];

function preview(ctx: BotContext, d: Draft): RoutingDecision {
  return ctx.deps.reports.preview({
    text: draftText(d),
    ...(d.location ? { lat: d.location.lat, lng: d.location.lng, crs: d.location.crs } : {}),
    address: d.address,
    reporter: ctx.actor.role,
    reporterStreetId: ctx.actor.streetId,
  });
}

function placeText(d: Draft, decision: RoutingDecision): string {
  const parts = [decision.street.street, d.address ?? d.location?.title].filter(Boolean);
  if (parts.length) return parts.join(' ');
  return d.location ? `已发送位置（${d.location.source === 'photo' ? '照片拍摄地' : '位置消息'}）` : '未提供';
}

/** What is still missing, asked for once; null when the draft can be summarised. */
function missingQuestion(
  ctx: BotContext,
  d: Draft,
  decision: RoutingDecision,
): { key: Parameters<BotContext['say']>[0]; vars?: Record<string, string | number>; asked: Draft['asked'] } | null {
  if (d.text.length === 0) return { key: 'draft.need_text', asked: 'text' };
  if (!d.location && !d.address) {
    // A place named in the text that the gazetteer or staff confirmations place in one street is
    // location enough; so is a staff reporter's own street when the report names no place.
    if (decision.street.street && ['gazetteer', 'memory', 'reporter'].includes(decision.street.method)) return null;
    return { key: ctx.msg.isGroup ? 'draft.need_location_group' : 'draft.need_location', asked: 'location' };
  }
  if (!d.location && !decision.street.street && decision.street.candidates.length > 1 && !d.askedAmbiguous) {
    // A road through several streets: ask once for a cross street or a community, never guess.
    d.askedAmbiguous = true;
    return {
      key: 'draft.ambiguous_place',
      vars: { place: decision.street.evidence ?? d.address ?? '', streets: decision.street.candidates.join('、') },
      asked: 'location',
    };
  }
  if (d.location && !d.address && (d.location.accuracyM ?? 0) > IMPRECISE_M) {
    return {
      key: 'draft.imprecise_location',
      vars: { accuracy: Math.round(d.location.accuracyM!) },
      asked: 'location',
    };
  }
  if (d.location && !d.address) {
    const named = ctx.deps.jurisdiction.locateText(draftText(d));
    const at = decision.street.street;
    if (named.street && at && named.street !== at) {
      return {
        key: 'draft.location_conflict',
        vars: { place: named.evidence ?? named.street, textStreet: named.street, pointStreet: at },
        asked: 'location',
      };
    }
  }
  return null;
}

async function summarise(ctx: BotContext, d: Draft, decision: RoutingDecision): Promise<void> {
  await offerNearby(ctx, d, decision); // an open case of the same matter nearby: follow it instead?
  const photos = d.photos.length;
  const place = placeText(d, decision);
  // The resident's own words come back to them, so they can see what they are confirming.
  const text = shorten(draftText(d), 200);
  const item = decision.item;
  if (!item || ctx.deps.reports.needsPerson(decision)) {
    const due = formatShanghai(ctx.deps.cases.triageDueAt(ctx.now));
    ctx.reply({
      text:
        ctx.t('draft.summary_triage', { text, place, photos, due }) +
        // Someone who wrote no Chinese still learns what the buttons do.
        (isForeignLanguage(draftText(d)) ? `\n\n${ctx.t('draft.summary_foreign')}` : ''),
      buttons: CONFIRM_BUTTONS,
    });
  } else {
    const due = ctx.deps.cases.deadlines({ ...item, id: 0 } as ItemRef, ctx.now, decision.urgent).dueAt;
    const handler = handlerName({
      handling: decision.handling,
      streetName: decision.street.street,
      departmentName: decision.department,
    });
    const guidance = referralGuidance(item.department);
    ctx.say(
      'draft.summary',
      {
        text,
        matter: item.name,
        handler,
        // A body outside urban management: the resident also learns where to turn themselves.
        why: whyHandled(item.name, handler, item.legalBasis) + (guidance ? `${guidance}。` : ''),
        place,
        photos,
        due: formatShanghai(due),
      },
      CONFIRM_BUTTONS,
    );
  }
  await ctx.saveState('report', 'confirm', { ...d, asked: null });
}

/** Gathers text, photos and a location in any order, then shows a summary to confirm. */
export async function continueReport(ctx: BotContext): Promise<void> {
  const d = ctx.state?.flow === 'report' ? asDraft(ctx.state.data) : emptyDraft();
  if (ctx.state?.step === 'confirm') {
    const choice = typedChoice(ctx.msg.text);
    if (choice) return reportChoice(ctx, choice);
  }
  let fromPhoto = addToDraft(d, ctx.msg);
  if (ctx.msg.photos?.length) ctx.say('draft.photo_added', { count: d.photos.length });
  if (ctx.msg.voice && !ctx.msg.voice.transcript) ctx.say(ctx.msg.voice.attachmentId ? 'voice.kept' : 'voice.not_kept');
  let decision = preview(ctx, d);
  let photoOutside = false;
  if (decision.street.outsideDistrict && d.location?.source === 'photo') {
    // A photo's GPS says where the camera was (maybe another day, maybe a forwarded picture), not
    // where the problem is: outside the district it is set aside, and the text or a question decides.
    d.location = null;
    fromPhoto = false;
    photoOutside = true;
    decision = preview(ctx, d);
  }
  if (fromPhoto) ctx.say('draft.photo_location');
  if (decision.urgent && !d.urgentShown && decision.urgentAdvice) {
    // Danger first: the advice comes before anything else the bot says.
    ctx.replies.unshift({ text: ctx.t('urgent', { advice: decision.urgentAdvice }) });
    d.urgentShown = true;
  }
  if (ctx.msg.voice && !ctx.msg.voice.transcript && d.text.length === 0) {
    // The voice answer above already asked for words: wait for them.
    return ctx.saveState('report', 'collecting', { ...d, asked: 'text' });
  }
  if (decision.handling === 'none' && d.photos.length === 0 && !d.voices?.length && !d.location && !d.address) {
    await ctx.clearState();
    // Words without a single Chinese character: the reporter may not read a Chinese refusal.
    if (isForeignLanguage(draftText(d))) return ctx.say('foreign_language');
    return ctx.say(
      /谢|感谢/.test(draftText(d))
        ? 'thanks'
        : /^(你好|您好|hi|hello|在吗)/i.test(draftText(d))
          ? 'greeting'
          : 'not_actionable',
    );
  }
  if (decision.street.outsideDistrict) {
    d.location = null;
    d.address = null;
    ctx.say('draft.outside', { neighbour: decision.street.neighbour ? `（疑似属${decision.street.neighbour}）` : '' });
    return ctx.saveState('report', 'collecting', { ...d, asked: 'location' });
  }
  const question = missingQuestion(ctx, d, decision);
  if (question && photoOutside) ctx.say('draft.photo_outside');
  if (question) {
    if (question.asked === 'location' && d.asked === 'location' && d.address) d.address = null;
    // After a voice message the bot has just asked for words; asking twice is noise.
    if (question.key === 'draft.need_text' && ctx.msg.voice && !ctx.msg.voice.transcript)
      return ctx.saveState('report', 'collecting', { ...d, asked: question.asked });
    // Each channel names the control it has: the web chat has a 📍 button, no 📎.
    const key =
      question.key === 'draft.need_location' && ctx.msg.channel === 'web' ? 'draft.need_location_web' : question.key;
    ctx.reply({
      text: ctx.t(key, question.vars),
      // The share-location button (Telegram's reply keyboard) works in private chats only.
      ...(question.key === 'draft.need_location' ? { requestLocation: true } : {}),
    });
    return ctx.saveState('report', 'collecting', { ...d, asked: question.asked });
  }
  await summarise(ctx, d, decision);
}

export async function reportChoice(ctx: BotContext, choice: 'confirm' | 'edit' | 'cancel'): Promise<void> {
  if (ctx.state?.flow !== 'report') return ctx.say('draft.nothing');
  const d = asDraft(ctx.state.data);
  if (choice === 'cancel') {
    await ctx.clearState();
    return ctx.say('draft.cancelled');
  }
  if (choice === 'edit') {
    ctx.say('draft.edit');
    return ctx.saveState('report', 'collecting', { ...d, text: [], asked: 'text' });
  }
  if (ctx.state.step !== 'confirm') return continueReport(ctx);
  let outcome: ReportOutcome;
  try {
    outcome = await ctx.deps.reports.submit({
      text: draftText(d),
      ...(d.location ? { lat: d.location.lat, lng: d.location.lng, crs: d.location.crs } : {}),
      address: d.address,
      channel: ctx.msg.channel,
      reporter: ctx.actor,
      attachmentIds: [...d.photos, ...(d.voices ?? [])],
      // The reply below is the reporter's acknowledgement: no second message with the same news.
      answeredInChat: true,
    });
  } catch (err) {
    // Too many reports in an hour: the draft stays at the confirm step, ready to submit later.
    if (err instanceof TooManyRequestsError)
      return ctx.say('draft.rate_limited', { reason: err.message }, CONFIRM_BUTTONS);
    throw err;
  }
  await ctx.clearState();
  if (outcome.kind === 'duplicate')
    return ctx.say('draft.duplicate', {
      number: outcome.existing.number,
      status: RESIDENT_STATUS_LABELS[outcome.existing.status],
    });
  if (outcome.kind === 'created' && outcome.case.status === 'triage')
    return ctx.say('draft.submitted_triage', {
      number: outcome.case.number,
      due: formatShanghai(ctx.deps.cases.triageDueAt(ctx.now)),
    });
  if (outcome.kind === 'created')
    return ctx.say('draft.submitted', {
      number: outcome.case.number,
      handler: handlerName(outcome.case),
      due: formatShanghai(outcome.case.dueAt),
    });
  if (outcome.kind === 'outside') return ctx.say('draft.outside', { neighbour: '' });
  return ctx.say('not_actionable');
}
