import { randomUUID } from 'node:crypto';
import type { ChannelSender, OutboundMessage } from '../../core/messaging/outbound-types.ts';
import type { ChatEntry, SseHub } from './sse-hub.ts';

export interface DeliveringRow {
  id: number;
  payload: string;
  createdAt: Date;
}

/**
 * The built-in web chat as a channel: a message is "sent" once it is handed to the browsers
 * watching the chat. Nothing is stored here — the outbox row is the record, and the history
 * endpoint reads it — so a chat nobody has open still counts as delivered.
 *
 * ChannelSender.send() is not told which outbox row it delivers, but the page keys messages by
 * outbox id (to drop the copy it may already have from the history). The row is found as the
 * chat's one row in `sending`: the outbox claims at most one row per chat at a time.
 */
export function createWebChatSender(deps: {
  hub: SseHub;
  deliveringRow(chatId: string): Promise<DeliveringRow | null>;
  clock: () => Date;
  /** Names the message's photos by their public keys for the page (see web-chat-store). */
  publishable?: (entry: ChatEntry) => Promise<ChatEntry>;
}): ChannelSender {
  return {
    channel: 'web',
    async send(chatId: string, message: OutboundMessage): Promise<void> {
      if (!deps.hub.watched(chatId)) return;
      const row = await deps.deliveringRow(chatId);
      const same = row !== null && row.payload === JSON.stringify(message);
      const entry: ChatEntry = {
        key: same ? `o${row.id}` : `x${randomUUID()}`,
        dir: 'out',
        at: (same ? row.createdAt : deps.clock()).toISOString(),
        message,
        ...(same ? { eventId: row.id } : {}),
      };
      deps.hub.publish(chatId, deps.publishable ? await deps.publishable(entry) : entry);
    },
  };
}
