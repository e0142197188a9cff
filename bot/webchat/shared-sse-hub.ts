// The web chat's live pushes across several Gridline processes (PostgreSQL): a push written in one
// process reaches the browsers connected to any of them.
import type { ChatEntry, SseHub } from './sse-hub.ts';

/** What the shared hub needs of the messaging between processes (db/pg-notify-bus.ts). */
export interface PushBus {
  publish(message: string): Promise<void>;
  onMessage(handler: (message: string) => void): void;
  close(): Promise<void>;
}

/**
 * Wraps this process's hub: a push goes to its own streams at once and, through the bus, to the
 * other processes, each of which writes it to the streams connected there. `watched` is always
 * true: the browser may be connected to another process.
 */
export function createSharedSseHub(local: SseHub, bus: PushBus, onError: (err: unknown) => void): SseHub {
  bus.onMessage((message) => {
    const { chatId, entry } = JSON.parse(message) as { chatId: string; entry: ChatEntry };
    local.publish(chatId, entry);
  });
  return {
    subscribe: (chatId, res) => local.subscribe(chatId, res),
    replay: (res, entries) => local.replay(res, entries),
    connections: () => local.connections(),
    watched: () => true,
    publish(chatId, entry) {
      local.publish(chatId, entry);
      bus.publish(JSON.stringify({ chatId, entry })).catch(onError);
    },
    async closeAll() {
      await local.closeAll();
      await bus.close();
    },
  };
}
