import type { RatingScore } from '../../core/case/case-types.ts';
import type { BotContext } from '../bot-context.ts';

/** 满意 / 基本满意 / 不满意 buttons after closing, then an optional comment. */
export async function rateCase(ctx: BotContext, score: RatingScore, caseId: number): Promise<void> {
  await ctx.deps.cases.feedback.rate({ id: caseId }, ctx.actor, score, null, true);
  ctx.say('rating.thanks');
  await ctx.saveState('rating_comment', 'comment', { caseId }, 30);
}

export async function commentOnRating(ctx: BotContext): Promise<void> {
  const { caseId } = ctx.state!.data as { caseId: number };
  await ctx.clearState();
  await ctx.deps.cases.feedback.commentOnRating({ id: caseId }, ctx.actor, ctx.msg.text!.trim());
  ctx.say('rating.comment_saved');
}
