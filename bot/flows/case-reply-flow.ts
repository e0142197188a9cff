import { cardButtons, halfWidth } from '../../core/case/case-card-fns.ts';
import { ACTION_LABELS, ACTIONS, type CaseAction } from '../../core/case/case-types.ts';
import type { BotContext } from '../bot-context.ts';
import { cardFor, visibleCase } from './case-card-flow.ts';
import { caseButton } from './staff-action-flow.ts';

/** What people type for an action: the button labels, and the words a card uses for some roles. */
const ACTION_WORDS = new Map<string, CaseAction>([
  ...(Object.entries(ACTION_LABELS) as Array<[CaseAction, string]>).map(([a, l]): [string, CaseAction] => [l, a]),
  ['接收', 'accept'],
  ['派遣', 'register'],
  ['立案', 'register'],
  ['上报', 'escalate'],
  ['移送', 'refer'],
  ['合并', 'merge'],
  ['缓办', 'request_postponement'],
  ['核查不通过', 'fail_verification'],
  ['返工', 'fail_verification'],
  ['已解决', 'verify'],
  ['仍未解决', 'fail_verification'],
]);

/** "1 JH-20261206-0012", "回复 1（JH-…）", "接单 JH-…": a numbered reply or an action that names its case. */
const NAMED_REPLY =
  /^(?:回复\s*)?(\d{1,2}|[\u4e00-\u9fa5（）()]{2,12}?)\s*[（(]?\s*([A-Za-z]{1,6}-\d{8}-\d{4})\s*[)）]?$/;

/**
 * A reply that names its case acts on that case only, whichever message came last: the number
 * picks from that case's card as this person would see it now, a word names the action itself.
 * Returns false when the message is not such a reply.
 */
export async function tryNamedReply(ctx: BotContext): Promise<boolean> {
  const text = halfWidth(ctx.msg.text ?? '').trim();
  const m = NAMED_REPLY.exec(text);
  if (!m || ctx.msg.photos?.length || ctx.msg.location) return false;
  const [, pick, raw] = m as unknown as [string, string, string];
  const word = /^\d+$/.test(pick) ? null : pick.replace(/[（）()]/g, '');
  if (word !== null && !ACTION_WORDS.has(word)) return false;
  const number = raw.toUpperCase();
  const found = await visibleCase(ctx, { number });
  if (!found) {
    ctx.say('status.not_found', { number });
    return true;
  }
  const { c, view } = found;
  const action =
    word !== null
      ? ACTION_WORDS.get(word)!
      : (() => {
          const b = view === 'follower' ? undefined : cardButtons(ctx.actor, c).flat()[Number(pick) - 1];
          const a = b?.id.split(':')[1];
          return a && (ACTIONS as readonly string[]).includes(a) ? (a as CaseAction) : null;
        })();
  // A number the card does not have: the card as it is now, with what can be done.
  if (action === null) {
    ctx.reply(await cardFor(ctx, c, view, { headline: `案件 ${c.number} 没有第 ${pick} 项操作，当前可办理：` }));
    return true;
  }
  await caseButton(ctx, action, c.id);
  return true;
}
