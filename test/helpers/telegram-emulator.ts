// A small Telegram Bot API emulator on loopback for the end-to-end tests and the benchmark.
// telegram-test-api covers text, commands and callback queries, but registers a catch-all
// "unknown method" route in its constructor (so methods cannot be added beside it), has no
// multipart parser (telegraf uploads photos as multipart/form-data), no getFile or file download,
// no albums, locations or venues, answers getUpdates without long polling, and cannot be told to
// answer 429. This one implements only what Gridline uses, with real Update and Message shapes.
import { Readable } from 'node:stream';
import multipart from '@fastify/multipart';
import Fastify, { type FastifyInstance } from 'fastify';
import { createEmulatedUser, type EmulatedUser, type UserOptions } from './telegram-emulator-user.ts';

export interface SentMessage {
  message_id: number;
  chat_id: string;
  method: string;
  text?: string;
  caption?: string;
  reply_markup?: { inline_keyboard?: Array<Array<{ text: string; callback_data: string }>>; keyboard?: unknown };
  /** Uploaded photo bytes (sendPhoto, sendMediaGroup). */
  photos?: Buffer[];
  latitude?: number;
  longitude?: number;
  at: number;
}

export interface ApiError {
  code: number;
  description: string;
  retryAfter?: number;
}

export interface StoredFile {
  /** The file as sent, piece after piece (a file may be given as pieces, so nothing is copied). */
  parts: readonly Buffer[];
  /** The pieces as one Buffer (a copy, made when asked). */
  readonly bytes: Buffer;
  /** What getFile and the message claim; may exceed the bytes (to test limits without 25 MB buffers). */
  size: number;
  path: string;
}

export interface TelegramEmulator {
  apiRoot: string;
  token: string;
  botUsername: string;
  /** Messages the bot sent successfully, in order. */
  sent: SentMessage[];
  /** Every Bot API call, with the HTTP status it got. */
  calls: Array<{ method: string; status: number; at: number; chatId?: string }>;
  /** callback_query ids created by users, and those the bot answered. */
  callbackIds: string[];
  answered: Set<string>;
  commands: unknown[];
  webhook: { url: string; secret?: string } | null;
  /** Webhook deliveries: update id and the HTTP status our server answered. */
  webhookDeliveries: Array<{ updateId: number; status: number }>;
  downloads: string[];
  files: Map<string, StoredFile>;
  /** The next `times` calls of `method` fail with `error` (e.g. 429 with retry_after). */
  failNext(method: string, error: ApiError, times?: number): void;
  /** Every send to this chat answers 403 "bot was blocked by the user". */
  block(chatId: string): void;
  addFile(
    bytes: Buffer | readonly Buffer[],
    opts?: { claimSize?: number; ext?: string },
  ): { file_id: string; file_unique_id: string; file_size: number };
  /** Queues an update from a user (or POSTs it to the webhook); returns its update_id. */
  pushUpdate(update: Record<string, unknown>): Promise<number>;
  nextMessageId(): number;
  user(opts: UserOptions): EmulatedUser;
  /** Resolves with fn()'s first truthy value, polling; throws with `what` after timeoutMs. */
  waitFor<T>(fn: () => T | undefined | null | false, what: string, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

const BOT = {
  id: 7000000001,
  is_bot: true,
  first_name: '网格通',
  username: 'gridline_test_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};
const MESSAGE_METHODS = new Set(['sendMessage', 'sendPhoto', 'sendMediaGroup', 'sendLocation']);

export async function startTelegramEmulator(opts: { token?: string } = {}): Promise<TelegramEmulator> {
  const token = opts.token ?? '123456:TEST-emulator-token';
  const app: FastifyInstance = Fastify({ bodyLimit: 60 * 1024 * 1024, forceCloseConnections: true });
  await app.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: 60 * 1024 * 1024 } });
  const queue: Array<Record<string, unknown> & { update_id: number }> = [];
  const waiters = new Set<() => void>();
  const failures: Array<{ method: string; error: ApiError; left: number }> = [];
  const blocked = new Set<string>();
  let updateId = 5000;
  let messageId = 100;
  let fileSeq = 0;

  const ok = (result: unknown) => ({ ok: true, result });
  const fail = (e: ApiError) => ({
    ok: false,
    error_code: e.code,
    description: e.description,
    ...(e.retryAfter !== undefined ? { parameters: { retry_after: e.retryAfter } } : {}),
  });
  const wake = () => {
    for (const w of [...waiters]) w();
  };

  const emu: TelegramEmulator = {
    apiRoot: '',
    token,
    botUsername: BOT.username,
    sent: [],
    calls: [],
    callbackIds: [],
    answered: new Set(),
    commands: [],
    webhook: null,
    webhookDeliveries: [],
    downloads: [],
    files: new Map(),
    failNext(method, error, times = 1) {
      failures.push({ method, error, left: times });
    },
    block: (chatId) => void blocked.add(chatId),
    addFile(bytes, o = {}) {
      fileSeq += 1;
      const parts = Buffer.isBuffer(bytes) ? [bytes] : [...bytes];
      const length = parts.reduce((n, p) => n + p.length, 0);
      const file_id = `F${fileSeq}-${length}`;
      emu.files.set(file_id, {
        parts,
        get bytes() {
          return Buffer.concat(parts);
        },
        size: o.claimSize ?? length,
        path: `files/file_${fileSeq}.${o.ext ?? 'jpg'}`,
      });
      return { file_id, file_unique_id: `U${fileSeq}`, file_size: o.claimSize ?? length };
    },
    async pushUpdate(update) {
      updateId += 1;
      const full = { update_id: updateId, ...update };
      if (emu.webhook) await deliverToWebhook(full);
      else {
        queue.push(full);
        wake();
      }
      return updateId;
    },
    nextMessageId: () => ++messageId,
    user: (o) => createEmulatedUser(emu, o),
    async waitFor(fn, what, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const v = fn();
        if (v) return v;
        if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 15));
      }
    },
    async close() {
      wake();
      await app.close();
    },
  };

  /** Telegram retries a webhook delivery that did not get a 2xx; so does the emulator (3 tries). */
  async function deliverToWebhook(update: { update_id: number }): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const res = await fetch(emu.webhook!.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(emu.webhook!.secret ? { 'x-telegram-bot-api-secret-token': emu.webhook!.secret } : {}),
        },
        body: JSON.stringify(update),
      });
      emu.webhookDeliveries.push({ updateId: update.update_id, status: res.status });
      await res.arrayBuffer();
      if (res.ok) return;
    }
  }

  async function getUpdates(body: Record<string, unknown>): Promise<unknown[]> {
    const offset = Number(body.offset ?? 0);
    if (offset > 0) while (queue.length && queue[0]!.update_id < offset) queue.shift(); // confirmed
    const limit = Number(body.limit ?? 100);
    const waitMs = Math.min(Number(body.timeout ?? 0), 50) * 1000;
    if (!queue.length && waitMs > 0) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        };
        const timer = setTimeout(done, waitMs);
        waiters.add(done);
      });
    }
    return queue.slice(0, limit);
  }

  function recordMessage(method: string, body: Record<string, unknown>): unknown {
    const chatId = String(body.chat_id);
    const parse = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v);
    const base = { chat_id: chatId, method, at: Date.now() };
    const make = (extra: Partial<SentMessage>): SentMessage => ({ ...base, message_id: ++messageId, ...extra });
    const markup = body.reply_markup ? { reply_markup: parse(body.reply_markup) } : {};
    let out: SentMessage[];
    if (method === 'sendMediaGroup') {
      const media = parse(body.media) as Array<{ media: string }>;
      out = media.map((m) => make({ photos: [body[m.media.replace('attach://', '')] as Buffer] }));
    } else if (method === 'sendPhoto') {
      out = [
        make({ photos: [body.photo as Buffer], ...(body.caption ? { caption: String(body.caption) } : {}), ...markup }),
      ];
    } else if (method === 'sendLocation') {
      out = [make({ latitude: Number(body.latitude), longitude: Number(body.longitude) })];
    } else {
      out = [make({ text: String(body.text), ...markup })];
    }
    emu.sent.push(...out);
    const asMessage = (m: SentMessage) => ({
      message_id: m.message_id,
      date: Math.floor(m.at / 1000),
      chat: { id: Number(chatId), type: chatId.startsWith('-') ? 'group' : 'private' },
      from: BOT,
      text: m.text,
      caption: m.caption,
    });
    return method === 'sendMediaGroup' ? out.map(asMessage) : asMessage(out[0]!);
  }

  async function call(method: string, body: Record<string, unknown>): Promise<{ status: number; payload: unknown }> {
    const f = failures.find((x) => x.method === method && x.left > 0);
    if (f) {
      f.left -= 1;
      return { status: f.error.code, payload: fail(f.error) };
    }
    if (MESSAGE_METHODS.has(method) && blocked.has(String(body.chat_id)))
      return { status: 403, payload: fail({ code: 403, description: 'Forbidden: bot was blocked by the user' }) };
    if (MESSAGE_METHODS.has(method)) return { status: 200, payload: ok(recordMessage(method, body)) };
    switch (method) {
      case 'getMe':
        return { status: 200, payload: ok(BOT) };
      case 'getUpdates':
        return { status: 200, payload: ok(await getUpdates(body)) };
      case 'setMyCommands':
        emu.commands.push(body.commands);
        return { status: 200, payload: ok(true) };
      case 'answerCallbackQuery':
        emu.answered.add(String(body.callback_query_id));
        return { status: 200, payload: ok(true) };
      case 'setWebhook':
        emu.webhook = { url: String(body.url), ...(body.secret_token ? { secret: String(body.secret_token) } : {}) };
        return { status: 200, payload: ok(true) };
      case 'deleteWebhook':
        emu.webhook = null;
        return { status: 200, payload: ok(true) };
      case 'getFile': {
        const file = emu.files.get(String(body.file_id));
        if (!file) return { status: 400, payload: fail({ code: 400, description: 'Bad Request: invalid file_id' }) };
        if (file.size > 20 * 1024 * 1024)
          return { status: 400, payload: fail({ code: 400, description: 'Bad Request: file is too big' }) };
        return {
          status: 200,
          payload: ok({
            file_id: body.file_id,
            file_unique_id: `U-${String(body.file_id)}`,
            file_size: file.size,
            file_path: file.path,
          }),
        };
      }
      default:
        return { status: 404, payload: fail({ code: 404, description: 'Not Found: method not found' }) };
    }
  }

  app.post<{ Params: { token: string; method: string } }>('/bot:token/:method', async (req, reply) => {
    if (req.params.token !== token) return reply.code(401).send(fail({ code: 401, description: 'Unauthorized' }));
    const body = (req.body ?? {}) as Record<string, unknown>;
    const { status, payload } = await call(req.params.method, body);
    emu.calls.push({
      method: req.params.method,
      status,
      at: Date.now(),
      ...(body.chat_id !== undefined ? { chatId: String(body.chat_id) } : {}),
    });
    return reply.code(status).send(payload);
  });

  app.get<{ Params: { token: string; '*': string } }>('/file/bot:token/*', async (req, reply) => {
    const file = [...emu.files.values()].find((f) => f.path === req.params['*']);
    if (req.params.token !== token || !file) return reply.code(404).send('not found');
    emu.downloads.push(file.path);
    const length = file.parts.reduce((n, p) => n + p.length, 0);
    if (file.parts.length === 1) return reply.type('application/octet-stream').send(file.parts[0]);
    return reply.type('application/octet-stream').header('content-length', length).send(Readable.from(file.parts));
  });

  await app.listen({ port: 0, host: '127.0.0.1' });
  emu.apiRoot = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  return emu;
}
