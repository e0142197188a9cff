import type { ServerResponse } from 'node:http';

/** One line of a web chat as the page renders it (history and live events share the shape). */
export interface ChatEntry {
  /** Unique within the chat: `o<outboxId>` for bot messages, `w:<clientId>` for the chat's own lines. */
  key: string;
  dir: 'in' | 'out';
  /** ISO time. */
  at: string;
  /** An OutboundMessage for bot messages; what the page posted for the person's own lines. */
  message: unknown;
  /** The outbox id, when the entry came through the outbox: the SSE event id resumes from it. */
  eventId?: number;
}

export interface SseHub {
  /** Registers a response (headers already written) for a chat; returns the unsubscribe function. */
  subscribe(chatId: string, res: ServerResponse): () => void;
  publish(chatId: string, entry: ChatEntry): void;
  /** Writes entries to one response only (a resuming browser's backlog). */
  replay(res: ServerResponse, entries: ChatEntry[]): void;
  watched(chatId: string): boolean;
  connections(): number;
  /** Ends every stream: on shutdown, or the server would wait for them forever. */
  closeAll(): void | Promise<void>;
}

/**
 * Live connections of the web chat, per chat id, in this process. Bot messages are sent with
 * `id:` (the outbox id) so EventSource's automatic Last-Event-ID resumes after a dropped
 * connection; the chat's own lines carry no id and leave the resume point alone.
 */
export function createSseHub(opts: { heartbeatMs?: number } = {}): SseHub {
  const chats = new Map<string, Set<ServerResponse>>();
  const frame = (e: ChatEntry) =>
    `${e.eventId !== undefined ? `id: ${e.eventId}\n` : ''}event: ${e.dir === 'out' && e.eventId !== undefined ? 'message' : 'line'}\ndata: ${JSON.stringify(e)}\n\n`;
  const write = (res: ServerResponse, text: string) => {
    if (!res.writableEnded && !res.destroyed) res.write(text);
  };
  // Comments keep proxies and phones from closing an idle stream.
  const heartbeat = setInterval(() => {
    for (const set of chats.values()) for (const res of set) write(res, ': hb\n\n');
  }, opts.heartbeatMs ?? 20_000);
  heartbeat.unref();

  return {
    subscribe(chatId, res) {
      let set = chats.get(chatId);
      if (!set) chats.set(chatId, (set = new Set()));
      set.add(res);
      return () => {
        set.delete(res);
        if (set.size === 0 && chats.get(chatId) === set) chats.delete(chatId);
      };
    },
    publish(chatId, entry) {
      const text = frame(entry);
      for (const res of chats.get(chatId) ?? []) write(res, text);
    },
    replay(res, entries) {
      for (const e of entries) write(res, frame(e));
    },
    watched: (chatId) => (chats.get(chatId)?.size ?? 0) > 0,
    connections: () => [...chats.values()].reduce((n, s) => n + s.size, 0),
    closeAll() {
      clearInterval(heartbeat);
      for (const set of chats.values()) for (const res of set) res.end();
      chats.clear();
    },
  };
}
