import { redactPersonalData } from '../../core/case/anonymise-fns.ts';
import { caseCard, caseNumberIn, halfWidth, type CardView } from '../../core/case/case-card-fns.ts';
import { handlerName } from '../../core/case/case-format-fns.ts';
import { CARD_PHOTOS } from '../../core/case/case-notices.ts';
import type { CaseRow } from '../../core/case/case-port.ts';
import { caseView } from '../../core/case/case-visibility-fns.ts';
import type { OutboundMessage } from '../../core/messaging/outbound-types.ts';
import type { BotContext } from '../bot-context.ts';

/** The case and how much of it this person sees; null when they may not see it at all. */
export async function visibleCase(
  ctx: BotContext,
  ref: { id: number } | { number: string },
): Promise<{ c: CaseRow; view: CardView } | null> {
  return ctx.deps.cases.store.transaction(async (tx) => {
    const c = await tx.getCase(ref);
    if (!c) return null;
    const follows = (await tx.followers(c.id)).includes(ctx.actor.personId);
    const v = caseView(ctx.actor, { ...c, actorFollows: follows });
    if (v === null) return null;
    // Staff who reported a case themselves read it as its reporter when it is not theirs to handle.
    const view: CardView = v === 'full' && ctx.isStaff ? 'staff' : v === 'follower' ? 'follower' : 'reporter';
    return { c, view };
  });
}

/**
 * The card of one case for the person asking: its state and exactly what they may do now.
 * `compact` leaves out the photos and the pin (a list of cards, one message each).
 */
export async function cardFor(
  ctx: BotContext,
  c: CaseRow,
  view: CardView,
  o: { headline?: string; compact?: boolean } = {},
): Promise<OutboundMessage> {
  const photos =
    view === 'follower' || o.compact
      ? []
      : await ctx.deps.cases.store.transaction((tx) => tx.reportPhotos(c.id, CARD_PHOTOS));
  const names = c.reporterName ? [c.reporterName] : [];
  // Staff type outcomes; a third party's phone number in them is not for residents.
  const outcome = c.outcome ? (view === 'staff' ? c.outcome : redactPersonalData(c.outcome, { names })) : null;
  const text = [
    o.headline ?? `案件 ${c.number}`,
    `承办：${handlerName(c)}`,
    ...(outcome ? [`处理结果：${outcome}`] : []),
  ].join('\n');
  const card = caseCard({
    c,
    text,
    actor: ctx.actor,
    view,
    now: ctx.now,
    photos,
    ...(view === 'staff' ? { mapUrl: `${ctx.deps.settings.publicUrl}/cases/${c.number}` } : {}),
    noActions: view === 'follower',
  });
  if (!o.compact) return card;
  const { location: _pin, ...rest } = card;
  return rest;
}

/** Replies with the card of the case `number`, or says it is not found (or not theirs to see). */
export async function openCard(ctx: BotContext, number: string): Promise<void> {
  const found = await visibleCase(ctx, { number });
  if (!found) return ctx.say('status.not_found', { number });
  ctx.reply(await cardFor(ctx, found.c, found.view));
}

/** Words around a case number that still mean "show me this case". */
const LOOKUP_WORDS = /^(?:查询?|查看|看看|进度|案件|编号|状态|情况|请问|怎么样了|[?？。.,，:：\s])*$/;

/**
 * A short message that names a case number (typed or pasted) opens its card: always when the
 * number stands alone (or with 查询 / 进度), and for staff in any short line without photos or a
 * place. A resident's longer words about their case are a supplement (supplement-flow.ts).
 */
export async function tryOpenCard(ctx: BotContext): Promise<boolean> {
  const { msg } = ctx;
  const text = halfWidth(msg.text ?? '').trim();
  if (!text || msg.photos?.length || msg.location) return false;
  const number = caseNumberIn(text);
  if (!number) return false;
  const rest = text.replace(new RegExp(number, 'i'), '');
  if (!LOOKUP_WORDS.test(rest) && !(ctx.isStaff && text.length <= 60)) return false;
  await openCard(ctx, number);
  return true;
}
