// Messages between the Gridline processes sharing one PostgreSQL database: NOTIFY on one channel,
// and a dedicated connection per process that LISTENs to it. Uses `pg` directly: a pooled
// connection (Prisma's, Kysely's) cannot hold a LISTEN.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../config/logger.ts';

export interface NotifyBus {
  /** Sends to every other process on the channel (not back to this one). */
  publish(message: string): Promise<void>;
  /** Called with every message another process published. */
  onMessage(handler: (message: string) => void): void;
  /** Resolves once the first LISTEN is in place. */
  ready: Promise<void>;
  close(): Promise<void>;
}

// A NOTIFY payload must stay under 8000 bytes: longer messages go as numbered parts. 2,000 UTF-16
// units are at most 6,000 bytes of UTF-8, and the header is short.
const PART_CHARS = 2000;
const RECONNECT_MS = 1000;

export function createPgNotifyBus(opts: { databaseUrl: string; channel: string; logger: Logger }): NotifyBus {
  const { channel, logger } = opts;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`bad NOTIFY channel name: ${channel}`);
  const origin = randomUUID();
  const handlers: Array<(message: string) => void> = [];
  const partial = new Map<string, string[]>();
  let seq = 0;
  let client: pg.Client | null = null;
  let closed = false;
  let reconnect: NodeJS.Timeout | null = null;

  function receive(payload: string | undefined): void {
    if (!payload) return;
    // origin|seq|index|count|text
    const m = /^([^|]+)\|(\d+)\|(\d+)\|(\d+)\|/s.exec(payload);
    if (!m || m[1] === origin) return;
    const [head, from, id, index, count] = m;
    const text = payload.slice(head.length);
    const n = Number(count);
    if (n === 1) return deliver(text);
    const key = `${from}|${id}`;
    const parts = partial.get(key) ?? new Array<string>(n);
    parts[Number(index)] = text;
    partial.set(key, parts);
    if (parts.filter((p) => p !== undefined).length === n) {
      partial.delete(key);
      deliver(parts.join(''));
    }
  }

  function deliver(message: string): void {
    for (const h of handlers) {
      try {
        h(message);
      } catch (err) {
        logger.error({ err }, 'notify bus handler failed');
      }
    }
  }

  async function connect(): Promise<void> {
    const c = new pg.Client({ connectionString: opts.databaseUrl });
    c.on('notification', (n) => receive(n.payload));
    c.on('error', (err) => {
      // Pushes published while the connection is down are missed: a browser catches up on its
      // next reconnect (Last-Event-ID), as after any dropped stream.
      logger.warn({ err: String(err) }, 'notify bus connection lost; reconnecting');
      if (client === c) client = null;
      void c.end().catch(() => undefined);
      scheduleReconnect();
    });
    await c.connect();
    await c.query(`LISTEN ${channel}`);
    if (closed) {
      await c.end();
      return;
    }
    client = c;
  }

  function scheduleReconnect(): void {
    if (closed || reconnect) return;
    reconnect = setTimeout(() => {
      reconnect = null;
      connect().catch((err: unknown) => {
        logger.warn({ err: String(err) }, 'notify bus could not reconnect');
        scheduleReconnect();
      });
    }, RECONNECT_MS);
    reconnect.unref();
  }

  const ready = connect();
  ready.catch(() => scheduleReconnect());

  // Messages published and not yet sent, and the sending in progress. The bus has one connection,
  // and pg runs one statement on a connection at a time: a burst of publishes (the delivery
  // worker sends a round of messages at once) queued theirs inside pg, which pg deprecates (pg@9
  // drops that queue) and which cost a round trip each. So each statement is awaited before the
  // next, and carries every message published while the one before it ran.
  let waiting: Array<{ payloads: string[]; sent: () => void; failed: (err: unknown) => void }> = [];
  let sending: Promise<void> | null = null;

  async function sendWaiting(): Promise<void> {
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      const c =
        client ??
        (await ready.then(
          () => client,
          () => null,
        ));
      if (!c) {
        logger.warn({ channel }, 'notify bus not connected; a live push reaches this process only');
        for (const m of batch) m.sent();
        continue;
      }
      try {
        // One statement, one transaction: each message's parts are delivered together, in order
        // (the receiver orders them by index anyway), the messages in the order they were published.
        await c.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) AS t(p)', [
          channel,
          batch.flatMap((m) => m.payloads),
        ]);
        for (const m of batch) m.sent();
      } catch (err) {
        for (const m of batch) m.failed(err);
      }
    }
    sending = null;
  }

  return {
    ready,
    onMessage: (h) => void handlers.push(h),
    publish(message) {
      const id = ++seq;
      const parts: string[] = [];
      for (let i = 0; i === 0 || i * PART_CHARS < message.length; i++)
        parts.push(message.slice(i * PART_CHARS, (i + 1) * PART_CHARS));
      const payloads = parts.map((p, i) => `${origin}|${id}|${i}|${parts.length}|${p}`);
      return new Promise<void>((sent, failed) => {
        waiting.push({ payloads, sent, failed });
        sending ??= sendWaiting();
      });
    },
    async close() {
      closed = true;
      if (reconnect) clearTimeout(reconnect);
      await ready.catch(() => undefined);
      // Messages already published go out first: pg ends a connection with a statement running by
      // dropping it.
      await sending;
      const c = client;
      client = null;
      await c?.end().catch(() => undefined);
    },
  };
}
