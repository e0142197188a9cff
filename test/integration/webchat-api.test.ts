import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { jpeg } from '../helpers/test-images.ts';
import { createWebChatApp, type WebChatApp } from '../helpers/webchat-app.ts';
import { cookiesOf } from '../helpers/cookies.ts';

let t: WebChatApp;
let seq = 0;

interface Visitor {
  cookie: string;
  csrf: string;
}

/** Opens /chat, picks an identity with the page's form, and reads the page's CSRF token. */
async function visit(as: string, app = t): Promise<Visitor> {
  const chooser = await app.app.inject({ method: 'GET', url: '/chat' });
  const formToken = /name="_csrf" value="([^"]+)"/.exec(chooser.body)![1]!;
  const start = await app.app.inject({
    method: 'POST',
    url: '/chat/start',
    headers: { cookie: cookiesOf(chooser.headers['set-cookie']), 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ _csrf: formToken, as }).toString(),
  });
  expect(start.statusCode).toBe(303);
  const cookie = cookiesOf(start.headers['set-cookie']);
  const page = await app.app.inject({ method: 'GET', url: '/chat', headers: { cookie } });
  expect(page.statusCode).toBe(200);
  const boot = JSON.parse(/<script type="application\/json" id="chat-boot">(.*?)<\/script>/s.exec(page.body)![1]!) as {
    csrf: string;
  };
  return { cookie, csrf: boot.csrf };
}

const clientId = () => `test-client-${++seq}-${Date.now()}`;

function post(v: Visitor, body: Record<string, unknown>) {
  return t.app.inject({
    method: 'POST',
    url: '/chat/api/messages',
    headers: { cookie: v.cookie, 'x-csrf-token': v.csrf },
    payload: body,
  });
}

async function history(v: Visitor) {
  const res = await t.app.inject({ method: 'GET', url: '/chat/api/history', headers: { cookie: v.cookie } });
  expect(res.statusCode).toBe(200);
  return res.json() as {
    me: { chatId: string };
    entries: Array<{ key: string; dir: string; message: { text?: string; notice?: boolean } }>;
    lastEventId: number;
  };
}

function multipart(files: Array<{ name: string; type: string; bytes: Buffer }>) {
  const boundary = `----gridline${Date.now()}`;
  const parts = files.map((f) =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="photo"; filename="${f.name}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
      f.bytes,
      Buffer.from('\r\n'),
    ]),
  );
  return {
    payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

function upload(v: Visitor, files: Array<{ name: string; type: string; bytes: Buffer }>) {
  const m = multipart(files);
  return t.app.inject({
    method: 'POST',
    url: '/chat/api/photos',
    headers: { cookie: v.cookie, 'x-csrf-token': v.csrf, 'content-type': m.contentType },
    payload: m.payload,
  });
}

/** Waits until the delivery worker has handed every queued web message over. */
async function settled(): Promise<void> {
  await t.delivery.drain();
}

beforeAll(async () => {
  t = await createWebChatApp({ heartbeatMs: 200 });
});
afterAll(async () => t.close());

describe('the web chat API', () => {
  it('refuses every endpoint without a session', async () => {
    for (const [method, url] of [
      ['GET', '/chat/api/history'],
      ['GET', '/chat/api/events'],
      ['POST', '/chat/api/messages'],
      ['POST', '/chat/api/photos'],
      ['GET', '/chat/api/photos/some-key'],
    ] as const) {
      const res = await t.app.inject({
        method,
        url,
        ...(method === 'POST' ? { payload: { clientId: 'abcdefgh1', text: 'x' } } : {}),
      });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    }
  });

  it('offers the demo identities on /chat and serves its script and styles', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/chat' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('lang="zh-CN"');
    for (const label of [
      '居民',
      '综合巡查员 · 万松街道',
      '执法队长 · 万松街道',
      '部门联络人 · 市场监管',
      '区城管执法局管理员',
    ])
      expect(page.body).toContain(label);
    for (const asset of ['/assets/chat.js', '/assets/chat.css', '/assets/map-picker.js'])
      expect((await t.app.inject({ method: 'GET', url: asset })).statusCode, asset).toBe(200);
  });

  it('gives each resident visitor a person of their own, and staff the shared demo person', async () => {
    const a = await history(await visit('resident'));
    const b = await history(await visit('resident'));
    expect(a.me.chatId).not.toBe(b.me.chatId);
    const lead1 = await history(await visit('team_lead'));
    const lead2 = await history(await visit('team_lead'));
    expect(lead1.me.chatId).toBe(lead2.me.chatId);
    const person = await t.db.chatIdentity.findFirstOrThrow({
      where: { chatId: lead1.me.chatId },
      include: { person: { include: { street: true } } },
    });
    expect(person.person).toMatchObject({ role: 'team_lead', street: { name: '万松街道' } });
  });

  it('needs the page token for writes made with the session cookie', async () => {
    const v = await visit('resident');
    const res = await t.app.inject({
      method: 'POST',
      url: '/chat/api/messages',
      headers: { cookie: v.cookie },
      payload: { clientId: clientId(), text: '你好' },
    });
    expect(res.statusCode).toBe(403);
  });

  it('handles a message once however often it is posted, and keeps the order in the history', async () => {
    const v = await visit('resident');
    const id = clientId();
    const first = await post(v, { clientId: id, text: '人行道上有人摆摊卖烤红薯，把路都占了' });
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ key: `w:${id}`, repeated: false });
    const again = await post(v, { clientId: id, text: '人行道上有人摆摊卖烤红薯，把路都占了' });
    expect(again.json()).toEqual({ key: `w:${id}`, repeated: true });
    await settled();
    const h = await history(v);
    expect(h.entries.filter((e) => e.key === `w:${id}`)).toHaveLength(1);
    const replies = h.entries.filter((e) => e.dir === 'out');
    expect(replies.map((e) => e.message.text).join()).toContain('位置');
    expect(await t.db.outboxMessage.count({ where: { chatId: h.me.chatId } })).toBe(replies.length);
    // The person's line comes before the replies it caused; replies are keyed by outbox id.
    expect(h.entries.findIndex((e) => e.key === `w:${id}`)).toBeLessThan(h.entries.findIndex((e) => e.dir === 'out'));
    expect(replies.every((e) => /^o\d+$/.test(e.key))).toBe(true);
    expect(h.lastEventId).toBe(Number(replies.at(-1)!.key.slice(1)));

    const where = await post(v, { clientId: clientId(), location: { lat: 30.5912, lng: 114.2601, accuracyM: 10 } });
    expect(where.statusCode).toBe(202);
    await settled();
    const after = await history(v);
    expect(after.entries.at(-1)!.message.text).toContain('请确认');
    expect(
      JSON.stringify(after.entries.find((e) => e.dir === 'in' && JSON.stringify(e.message).includes('114.2601'))),
    ).toContain('万松街道');
  });

  it('refuses a non-image with the evidence store’s Chinese message, and keeps the refusal in the chat', async () => {
    const v = await visit('resident');
    const res = await upload(v, [
      { name: 'notes.txt', type: 'image/jpeg', bytes: Buffer.from('这不是照片，只是文字') },
    ]);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('这不是图片文件');
    const h = await history(v);
    expect(h.entries.at(-1)).toMatchObject({ dir: 'out', message: { notice: true } });
    expect(h.entries.at(-1)!.message.text).toContain('这不是图片文件');
  });

  it('stores photos, sends them as a message, and shows them only to those allowed', async () => {
    const v = await visit('resident');
    const ok = await upload(v, [
      { name: 'a.jpg', type: 'image/jpeg', bytes: await jpeg(80, 60, { lat: 30.5912, lng: 114.2601 }) },
      { name: 'b.txt', type: 'text/plain', bytes: Buffer.from('x') },
    ]);
    expect(ok.statusCode).toBe(200);
    const body = ok.json() as { photos: Array<{ key: string; exifLat: number }>; notices: unknown[] };
    expect(body.photos).toHaveLength(1);
    expect(body.photos[0]!.exifLat).toBeCloseTo(30.5912, 3);
    expect(body.notices).toHaveLength(1);
    // Named by a random key, never by the sequential id (issue 13.1).
    expect(body.photos[0]).not.toHaveProperty('attachmentId');
    const id = body.photos[0]!.key;
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const row = await t.db.attachment.findUniqueOrThrow({ where: { publicKey: id } });

    expect((await post(v, { clientId: clientId(), photos: [id] })).statusCode).toBe(202);
    await settled();
    expect((await history(v)).entries.map((e) => e.message.text).join()).toContain('已收到 1 张照片');

    const thumb = await t.app.inject({ method: 'GET', url: `/chat/api/photos/${id}`, headers: { cookie: v.cookie } });
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    const other = await visit('resident');
    expect(
      (await t.app.inject({ method: 'GET', url: `/chat/api/photos/${id}`, headers: { cookie: other.cookie } }))
        .statusCode,
    ).toBe(404);
    const stolen = await post(other, { clientId: clientId(), photos: [id] });
    expect(stolen.statusCode).toBe(400);
    expect(stolen.json().error.message).toContain('照片');
    // The sequential id names nothing, for the uploader either.
    const byId = await t.app.inject({
      method: 'GET',
      url: `/chat/api/photos/${row.id}`,
      headers: { cookie: v.cookie },
    });
    expect(byId.statusCode).toBe(404);
  });

  it('delivers pushes live over server-sent events, with the outbox id as event id, and resumes after it', async () => {
    const base = await t.listen();
    const v = await visit('resident');
    const stream = openStream(base, v.cookie);
    await stream.opened;
    await post(v, { clientId: clientId(), command: { name: 'help' } });
    const event = await stream.next((e) => e.event === 'message');
    const entry = JSON.parse(event.data) as { key: string; message: { text: string } };
    expect(entry.message.text).toContain('/my');
    expect(entry.key).toBe(`o${event.id}`);
    // Marked sent right after the push; on PostgreSQL this read may come first, from another connection.
    await vi.waitFor(async () =>
      expect((await t.db.outboxMessage.findUniqueOrThrow({ where: { id: Number(event.id) } })).status).toBe('sent'),
    );
    stream.close();

    // A reconnecting EventSource sends Last-Event-ID: the messages after it come at once.
    await post(v, { clientId: clientId(), command: { name: 'my' } });
    await settled();
    const resumed = openStream(base, v.cookie, { 'last-event-id': String(Number(event.id) - 1) });
    const replay = await resumed.next((e) => e.event === 'message');
    expect(replay.id).toBe(event.id);
    const missed = await resumed.next((e) => e.event === 'message' && Number(e.id) > Number(event.id));
    expect(JSON.parse(missed.data).message.text).toContain('还没有报告');
    await resumed.next((e) => e.comment === ' hb'); // heartbeats keep idle streams open
    resumed.close();
  });

  it('outside demo mode lets visitors start only as residents, and closes with streams open', async () => {
    const closed = await createWebChatApp({ env: { DEMO_MODE: 'false' } });
    try {
      const page = await closed.app.inject({ method: 'GET', url: '/chat' });
      expect(page.body).toContain('以居民身份开始');
      expect(page.body).not.toContain('执法队长 · 万松街道');
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      const refused = await closed.app.inject({
        method: 'POST',
        url: '/chat/start',
        headers: { cookie: cookiesOf(page.headers['set-cookie']), 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: token, as: 'team_lead' }).toString(),
      });
      expect(refused.statusCode).toBe(403);
      await visit('resident', closed);
      // An open event stream must not hold up shutdown.
      const v = await visit('resident', closed);
      const stream = openStream(await closed.listen(), v.cookie);
      await stream.opened;
      // Resolves only if the open stream does not hold up shutdown (the test's time limit is the guard).
      await closed.app.close();
    } finally {
      await closed.close();
    }
  });
});

interface SseEvent {
  event?: string;
  id?: string;
  data: string;
  comment?: string;
}

/** A minimal EventSource over node:http, enough to read what the server writes. */
function openStream(base: string, cookie: string, headers: Record<string, string> = {}) {
  const events: SseEvent[] = [];
  const waiters: Array<() => void> = [];
  let buffer = '';
  let resolveOpen!: () => void;
  const opened = new Promise<void>((r) => (resolveOpen = r));
  const req = http.get(
    `${base}/chat/api/events`,
    { headers: { cookie, accept: 'text/event-stream', ...headers } },
    (res) => {
      expect(res.headers['content-type']).toContain('text/event-stream');
      resolveOpen();
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const e: SseEvent = { data: '' };
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) e.comment = line.slice(1);
            else if (line.startsWith('event: ')) e.event = line.slice(7);
            else if (line.startsWith('id: ')) e.id = line.slice(4);
            else if (line.startsWith('data: ')) e.data += line.slice(6);
          }
          events.push(e);
          waiters.splice(0).forEach((w) => w());
        }
      });
    },
  );
  req.on('error', () => undefined);
  let taken = 0;
  return {
    opened,
    async next(match: (e: SseEvent) => boolean, timeoutMs = 5000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const i = events.findIndex((e, n) => n >= taken && match(e));
        if (i >= 0) {
          taken = i + 1;
          return events[i]!;
        }
        if (Date.now() > deadline) throw new Error(`no matching event; got ${JSON.stringify(events)}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
    },
    close: () => req.destroy(),
  };
}
