import { ForbiddenError, InvalidTransitionError, NotFoundError } from '../../core/errors.ts';
import type { BotContext } from '../bot-context.ts';

/** A case number as the bot writes it (JH-20261201-0001), whatever the configured prefix. */
const CASE_NUMBER = /\b([A-Z]{2,8}-\d{8}-\d{4})\b/i;

/** The case a message is about: named in its text, or the card it replies to. */
export function namedCaseNumber(text: string | undefined, replyToText: string | undefined): string | null {
  const m = CASE_NUMBER.exec(text ?? '') ?? CASE_NUMBER.exec(replyToText ?? '');
  return m ? m[1]!.toUpperCase() : null;
}

/**
 * More photos, words or a corrected place for a case already submitted, sent by naming its number
 * or by replying to its card. Returns false when the message is not that (no number, or a case the
 * person does not follow): it is then handled as any other message, e.g. as a new report.
 */
export async function trySupplement(ctx: BotContext): Promise<boolean> {
  const { msg } = ctx;
  if (ctx.isStaff || msg.isGroup) return false;
  const number = namedCaseNumber(msg.text, msg.replyToText);
  if (!number) return false;
  const words = (msg.text ?? '').replace(new RegExp(number, 'ig'), '').trim();
  const place = msg.location
    ? `更正位置：${msg.location.address ?? msg.location.title ?? `北纬${msg.location.lat.toFixed(5)}，东经${msg.location.lng.toFixed(5)}`}`
    : '';
  const note = [words, place].filter(Boolean).join('\n') || null;
  const photos = (msg.photos ?? []).map((p) => p.attachmentId);
  if (!note && !photos.length) return false; // a bare number is a question about the case (/status)
  try {
    const c = await ctx.deps.cases.feedback.supplement({ number }, ctx.actor, { note, attachmentIds: photos });
    ctx.say('supplement.done', {
      number: c.number,
      what: photos.length ? `（照片 ${photos.length} 张${note ? '及文字' : ''}）` : '',
    });
    return true;
  } catch (err) {
    if (err instanceof NotFoundError || err instanceof ForbiddenError) return false;
    if (err instanceof InvalidTransitionError) {
      ctx.reply({ text: err.message });
      return true;
    }
    throw err;
  }
}
