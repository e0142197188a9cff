import type { ScheduledJob } from '../core/schedule/scheduler.ts';
import type { OutboundMessage } from '../core/messaging/outbound-types.ts';
import type { ConversationPort } from './bot-ports.ts';

/**
 * Drafts left unfinished expire with a notice to the chat, so nobody believes a report was
 * filed when it was not. Other flow states (a pending reason, a rating comment) just lapse.
 */
export function createDraftExpiryJob(deps: {
  conversations: ConversationPort;
  notifyChat: (channel: string, chatId: string, message: OutboundMessage, dedupeKey: string) => Promise<void>;
  text: (minutes: number) => string;
  ttlMinutes: number;
}): ScheduledJob {
  return {
    name: 'draft-expiry',
    every: 'minute',
    async run(now) {
      for (const s of await deps.conversations.expired(now, 100)) {
        if (s.flow === 'report' || s.flow === 'finding') {
          await deps.notifyChat(
            s.channel,
            s.chatId,
            { text: deps.text(deps.ttlMinutes) },
            `draft-expired:${s.channel}:${s.chatId}:${s.userId}:${s.expiresAt?.getTime()}`,
          );
        }
        await deps.conversations.clear(s);
      }
    },
  };
}
