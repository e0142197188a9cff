import type { OutboundMessage } from './outbound-types.ts';

/** Below every channel's text limit (Telegram 4096), so a combined message is never split. */
const COMBINED_TEXT_MAX = 3_500;

/** Buttons, a location request, photos or a map pin belong to the end of a message (or are one). */
const endsMessage = (m: OutboundMessage): boolean =>
  Boolean(m.buttons?.length || m.requestLocation || m.photoAttachmentIds?.length || m.location);
const plain = (m: OutboundMessage): boolean => !m.photoAttachmentIds?.length && !m.location;

/**
 * Joins consecutive messages to one chat into as few as keep their meaning: texts one after the
 * other, and the buttons or location request of the last one. Each message sent costs one of the
 * channel's per-chat sends (one a second on Telegram), so a greeting and a question arrive
 * together instead of a second apart. Photos and pins stay messages of their own.
 */
export function combineMessages(messages: OutboundMessage[]): OutboundMessage[] {
  const out: OutboundMessage[] = [];
  for (const m of messages) {
    const prev = out.at(-1);
    const text = prev ? `${prev.text}\n\n${m.text}` : '';
    if (
      prev &&
      !endsMessage(prev) &&
      plain(prev) &&
      plain(m) &&
      prev.text &&
      m.text &&
      text.length <= COMBINED_TEXT_MAX
    )
      out[out.length - 1] = { ...m, text };
    else out.push(m);
  }
  return out;
}
