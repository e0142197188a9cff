import { randomUUID } from 'node:crypto';
import type { Logger } from '../config/logger.ts';
import { combineMessages } from '../core/messaging/combine-fns.ts';
import type { OutboundMessage } from '../core/messaging/outbound-types.ts';
import type { ChatSnapshot } from './bot-ports.ts';
import type { ConversationHandler, HandledMessage, InboundMessage } from './inbound-types.ts';

/**
 * Where a handled message is made durable. The update's claim is written in the same unit of
 * work as the chat's new flow state and the replies, so a crash in between loses neither: before
 * the commit nothing is claimed and a redelivery is handled afresh; after it, all of it stands.
 */
export interface HandledMessageStore {
  /** True when the update was committed before (a repeated delivery). */
  seen(channel: string, updateId: string): Promise<boolean>;
  /**
   * What the runtime asks first of each message: `seen` (false without an update id) and, where
   * the store reads them in the same round trip (PostgreSQL), the sender's account and the
   * chat's flow state for the handler.
   */
  arrive(message: InboundMessage): Promise<{ seen: boolean; snapshot?: ChatSnapshot }>;
  /**
   * Claims the update (when it has an id), writes the flow state and queues the replies, all or
   * nothing. False, with nothing written, when another process committed the same update first.
   */
  commit(c: { message: InboundMessage; handled: HandledMessage; replyKeyBase: string }): Promise<boolean>;
}

export interface ReplyQueue {
  enqueue(channel: string, chatId: string, replies: OutboundMessage[], keyBase: string): Promise<void>;
  kick(): void;
}

/** What the runtime reads first of a message (HandledMessageStore.arrive). */
export type Arrival = Awaited<ReturnType<HandledMessageStore['arrive']>>;

export interface BotRuntime {
  /**
   * Handles one inbound message once, queues the replies for delivery, and returns them.
   * `arrived`: what `arrive` read of this very message just before (its update, from the same
   * chat, handled in order), so it is not read again.
   */
  receive(message: InboundMessage, arrived?: Arrival): Promise<OutboundMessage[]>;
  /**
   * The message's first read ahead of `receive`, for an adapter that needs the sender before it
   * stores the message's photos: on PostgreSQL the sender's account comes with it (a photo cost
   * a read of the account for its uploader, and the same read again in `receive`), and an update
   * committed before is known before its photos are downloaded and stored again.
   */
  arrive?(message: InboundMessage): Promise<Arrival>;
}

/**
 * What every channel adapter calls. Repeated deliveries (webhook retries) are processed once;
 * messages of one chat are handled one at a time, in order, so flow state never races (and two
 * deliveries of one update, which come from the same chat, never overlap); replies go through
 * the outbox like every other message, so rate limits and retries apply to them too.
 */
export function createBotRuntime(deps: {
  handler: ConversationHandler;
  store: HandledMessageStore;
  kick: () => void;
  logger: Logger;
}): BotRuntime {
  const chains = new Map<string, Promise<unknown>>();

  async function process(msg: InboundMessage, arrived: Arrival | undefined): Promise<OutboundMessage[]> {
    const { seen, snapshot } = arrived ?? (await deps.store.arrive(msg));
    if (seen) {
      deps.logger.debug({ channel: msg.channel, updateId: msg.updateId }, 'repeated update ignored');
      return [];
    }
    // Nothing is claimed yet: if this throws or the process dies, a redelivery is handled anew.
    const handled = await deps.handler.handle(msg, snapshot);
    const fresh = await deps.store.commit({
      message: msg,
      // A greeting and the question after it go as one message: one send against the chat's limit.
      handled: { ...handled, replies: combineMessages(handled.replies) },
      replyKeyBase: `reply:${msg.channel}:${msg.chatId}:${msg.updateId ?? randomUUID()}`,
    });
    if (!fresh) {
      deps.logger.warn({ channel: msg.channel, updateId: msg.updateId }, 'update committed elsewhere meanwhile');
      return [];
    }
    deps.kick();
    return handled.replies;
  }

  return {
    arrive: (msg) => deps.store.arrive(msg),
    receive(msg, arrived) {
      const chat = `${msg.channel}:${msg.chatId}:${msg.userId}`;
      const previous = chains.get(chat) ?? Promise.resolve();
      const next = previous.catch(() => undefined).then(() => process(msg, arrived));
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
