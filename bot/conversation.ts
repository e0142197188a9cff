import { DomainError } from '../core/errors.ts';
import { ACTIONS, type CaseAction, type RatingScore } from '../core/case/case-types.ts';
import type { Button } from '../core/messaging/outbound-types.ts';
import type { Logger } from '../config/logger.ts';
import { BotContext, type BotDeps } from './bot-context.ts';
import type { ChatSnapshot, FlowState } from './bot-ports.ts';
import type { ConversationHandler, HandledMessage, InboundMessage } from './inbound-types.ts';
import { COMMANDS } from './flows/command-flow.ts';
import { continueFinding, findingChoice } from './flows/finding-flow.ts';
import { continueReport, reportChoice } from './flows/report-flow.ts';
import { followFromChat } from './flows/nearby-flow.ts';
import { commentOnRating, rateCase } from './flows/rating-flow.ts';
import {
  assignTo,
  caseButton,
  continueAction,
  decidePostponement,
  dispatchToStreet,
  referTo,
  registerAs,
  returnTo,
  stepButton,
} from './flows/staff-action-flow.ts';
import { hasContent } from './flows/draft-fns.ts';
import { tryOpenCard } from './flows/case-card-flow.ts';
import { tryNamedReply } from './flows/case-reply-flow.ts';
import { trySupplement } from './flows/supplement-flow.ts';

/** Button ids carry a kind, then ids (Telegram limits them to 64 bytes). */
async function onButton(ctx: BotContext, id: string): Promise<void> {
  const [kind, a = '', b = ''] = id.split(':');
  if (kind === 'c' && (ACTIONS as readonly string[]).includes(a)) return caseButton(ctx, a as CaseAction, Number(b));
  if (kind === 'a') return assignTo(ctx, Number(a), Number(b));
  if (kind === 'x') return referTo(ctx, Number(a), b);
  if (kind === 'g') return registerAs(ctx, Number(a), b);
  if (kind === 'rt') return returnTo(ctx, Number(a), b, id.split(':')[3] ?? '');
  if (kind === 'ds') return dispatchToStreet(ctx, Number(a), b);
  if (kind === 'r' && ['satisfied', 'basic', 'unsatisfied'].includes(a))
    return rateCase(ctx, a as RatingScore, Number(b));
  if (kind === 'p' && (a === 'approve' || a === 'refuse')) return decidePostponement(ctx, a, Number(b));
  if (kind === 'd' && (a === 'confirm' || a === 'edit' || a === 'cancel')) {
    if (ctx.state?.flow === 'finding' && a === 'cancel') {
      await ctx.clearState();
      return ctx.say('draft.cancelled');
    }
    return reportChoice(ctx, a);
  }
  if (kind === 'f' && (a === 'settled' || a === 'case' || a === 'refer')) return findingChoice(ctx, a);
  if (kind === 's' || kind === 'm') return stepButton(ctx, id);
  if (kind === 'n' && a === 'follow' && b) return followFromChat(ctx, b);
  ctx.say('stale_button');
}

async function route(ctx: BotContext): Promise<void> {
  const { msg, state } = ctx;
  if (msg.edited) return ctx.say('edited');
  if (msg.command) {
    const run = COMMANDS[msg.command.name];
    return run ? run(ctx, msg.command.args) : ctx.say('unknown_command', { command: msg.command.name });
  }
  if (msg.button) return onButton(ctx, msg.button);
  if (msg.unsupported && !hasContent(msg)) return ctx.say('unsupported', { kind: msg.unsupported });
  if (state?.flow === 'action') return continueAction(ctx);
  // "1 JH-…" / "接单 JH-…" acts on the case it names; a typed or pasted case number opens its card.
  if (await tryNamedReply(ctx)) return;
  if (await tryOpenCard(ctx)) return;
  // A bare number with no menu of one case to pick from: ask for the case it is meant for.
  if (ctx.isStaff && /^\s*\d{1,2}\s*$/.test(msg.text ?? '') && !msg.photos?.length) return ctx.say('card.name_case');
  // Naming a submitted case (or replying to its card) adds to it instead of starting a report.
  if (await trySupplement(ctx)) return;
  if (state?.flow === 'rating_comment' && msg.text?.trim()) return commentOnRating(ctx);
  if (state?.flow === 'report') return continueReport(ctx);
  if (state?.flow === 'finding') return continueFinding(ctx);
  if (!hasContent(msg)) return ctx.say('help');
  if (msg.isGroup) return ctx.say('group_only_commands');
  if (ctx.actor.role === 'inspector') return continueFinding(ctx);
  return continueReport(ctx);
}

/** A channel's transcript of a voice message is read as what the person typed. */
function withTranscript(msg: InboundMessage): InboundMessage {
  const transcript = msg.voice?.transcript?.trim();
  return transcript && !msg.text?.trim() ? { ...msg, text: transcript } : msg;
}

/** A bare number answers the last numbered choice (how WeChat, which has no buttons, picks one). */
function numberedChoice(msg: InboundMessage, offered: Button[] | undefined): InboundMessage {
  const n = /^\s*([1-9])\s*$/.exec(msg.text ?? '')?.[1];
  const picked = n && offered ? offered[Number(n) - 1] : undefined;
  return picked ? { ...msg, text: undefined, button: picked.id } : msg;
}

export function createConversation(deps: BotDeps, logger: Logger): ConversationHandler {
  return {
    async handle(raw: InboundMessage, snapshot?: ChatSnapshot): Promise<HandledMessage> {
      const resolved = await deps.identities.resolve(
        raw.channel,
        raw.userId,
        raw.chatId,
        raw.displayName,
        snapshot?.account,
      );
      const { actor } = resolved;
      const isNew = resolved.isNew || raw.newcomer === true;
      const key = { channel: raw.channel, chatId: raw.chatId, userId: raw.userId };
      let state = snapshot ? snapshot.state : await deps.conversations.load(key);
      // The scheduler announces expired drafts; this catches one it has not reached yet.
      const expiredFlow = state?.expiresAt && state.expiresAt <= deps.clock() ? state.flow : null;
      if (expiredFlow) state = null;
      const msg = numberedChoice(withTranscript(raw), state?.data._offered as Button[] | undefined);
      const ctx = new BotContext(deps, msg, actor, key, state?.flow === 'idle' ? null : state);
      if (expiredFlow) ctx.stateChanged = true; // the expired row goes, unless the message starts a new flow
      if (expiredFlow === 'report' || expiredFlow === 'finding')
        ctx.say('draft.expired', { minutes: deps.settings.draftTtlMinutes });
      const greetingOnly = /^(你好|您好|hi|hello|在吗)[!！。.\s]*$/i.test(msg.text?.trim() ?? '');
      if (isNew && msg.command?.name !== 'start') ctx.say(actor.role === 'resident' ? 'welcome' : 'welcome.staff');
      try {
        // A newcomer's hello is answered by the welcome alone.
        if (!(isNew && greetingOnly)) await route(ctx);
      } catch (err) {
        if (err instanceof DomainError) ctx.reply({ text: err.message });
        else {
          logger.error({ err, channel: msg.channel, updateId: msg.updateId }, 'conversation failed');
          ctx.say('error');
        }
      }
      const next = nextState(deps, ctx);
      return { replies: ctx.replies, ...(next !== undefined ? { state: { key, next } } : {}) };
    },
  };
}

/**
 * The flow state to write once per message, with the buttons just offered, so a typed number
 * can pick one later; undefined when nothing changed. The runtime commits it with the replies.
 */
function nextState(deps: BotDeps, ctx: BotContext): FlowState | null | undefined {
  const last = [...ctx.replies].reverse().find((r) => r.buttons?.length);
  // Cards of several cases in one answer (/queue): a bare number could mean any of them, so it
  // means none; each card's own lines say "1 JH-…" instead.
  const cases = new Set(ctx.replies.filter((r) => r.buttons?.length && r.card).map((r) => r.card!.caseId));
  const several = cases.size > 1;
  const offered = several ? undefined : last?.buttons?.flat();
  if (ctx.state) {
    if (!ctx.stateChanged && !offered && !ctx.state.data._offered) return undefined;
    return { ...ctx.state, data: { ...ctx.state.data, _offered: offered ?? null } };
  }
  if (offered)
    return {
      flow: 'idle',
      step: 'idle',
      data: { _offered: offered },
      expiresAt: new Date(deps.clock().getTime() + 24 * 3_600_000),
    };
  // An older menu is forgotten too: a bare number must not reach a case shown before these.
  if (several) return null;
  return ctx.stateChanged ? null : undefined;
}
