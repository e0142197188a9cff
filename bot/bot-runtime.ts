import { randomUUID } from 'node:crypto';
import type { Logger } from '../config/logger.ts';
import type { OutboundMessage } from '../core/messaging/outbound-types.ts';
import type { ConversationHandler, InboundMessage } from './inbound-types.ts';

export interface ProcessedUpdatePort {
  /** Records the update; false when it was already recorded (a repeated delivery). */
  claim(channel: string, updateId: string): Promise<boolean>;
  release(channel: string, updateId: string): Promise<void>;
}

export interface ReplyQueue {
  enqueue(channel: string, chatId: string, replies: OutboundMessage[], keyBase: string): Promise<void>;
  kick(): void;
}

export interface BotRuntime {
  /** Handles one inbound message once, queues the replies for delivery, and returns them. */
  receive(message: InboundMessage): Promise<OutboundMessage[]>;
}

/**
 * What every channel adapter calls. Repeated deliveries (webhook retries) are processed once;
 * messages of one chat are handled one at a time, in order, so flow state never races; replies
 * go through the outbox like every other message, so rate limits and retries apply to them too.
 */
export function createBotRuntime(deps: {
  handler: ConversationHandler;
  processed: ProcessedUpdatePort;
  replies: ReplyQueue;
  logger: Logger;
}): BotRuntime {
  const chains = new Map<string, Promise<unknown>>();

  async function process(msg: InboundMessage): Promise<OutboundMessage[]> {
    if (msg.updateId && !(await deps.processed.claim(msg.channel, msg.updateId))) {
      deps.logger.debug({ channel: msg.channel, updateId: msg.updateId }, 'repeated update ignored');
      return [];
    }
    try {
      const replies = await deps.handler.handle(msg);
      await deps.replies.enqueue(
        msg.channel,
        msg.chatId,
        replies,
        `reply:${msg.channel}:${msg.chatId}:${msg.updateId ?? randomUUID()}`,
      );
      deps.replies.kick();
      return replies;
    } catch (err) {
      // Not handled: let a redelivery try again rather than losing the message.
      if (msg.updateId) await deps.processed.release(msg.channel, msg.updateId).catch(() => undefined);
      throw err;
    }
  }

  return {
    receive(msg) {
      const chat = `${msg.channel}:${msg.chatId}:${msg.userId}`;
      const previous = chains.get(chat) ?? Promise.resolve();
      const next = previous.catch(() => undefined).then(() => process(msg));
      chains.set(chat, next);
      void next
        .finally(() => {
          if (chains.get(chat) === next) chains.delete(chat);
        })
        .catch(() => undefined);
      return next;
    },
  };
}
