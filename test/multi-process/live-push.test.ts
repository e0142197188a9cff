// Issue 17: with several processes on one PostgreSQL database, a web chat push written through one
// process reaches a browser whose event stream is connected to another (LISTEN/NOTIFY).
import http from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { seedReferenceData } from '../../db/seed.ts';
import { createTestDb, testPgServer, type TestDb } from '../helpers/test-db.ts';
import { createWebChatApp, type WebChatApp } from '../helpers/webchat-app.ts';
import { cookiesOf } from '../helpers/cookies.ts';

let t: TestDb | undefined;
const apps: WebChatApp[] = [];
afterAll(async () => {
  for (const a of apps) await a.close();
  await t?.db.$disconnect();
});

/** A resident signed in through `base` (the session is in the database, so any process knows it). */
async function resident(base: string): Promise<{ cookie: string; csrf: string }> {
  const chooser = await fetch(`${base}/chat`);
  const formToken = /name="_csrf" value="([^"]+)"/.exec(await chooser.text())![1]!;
  const start = await fetch(`${base}/chat/start`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie: cookiesOf(chooser.headers.getSetCookie()),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ _csrf: formToken, as: 'resident' }).toString(),
  });
  expect(start.status).toBe(303);
  const cookie = cookiesOf(start.headers.getSetCookie());
  const page = await (await fetch(`${base}/chat`, { headers: { cookie } })).text();
  const boot = JSON.parse(/<script type="application\/json" id="chat-boot">(.*?)<\/script>/s.exec(page)![1]!) as {
    csrf: string;
  };
  return { cookie, csrf: boot.csrf };
}

/** Server-sent events as a browser's EventSource reads them, from one process. */
function openStream(base: string, cookie: string) {
  const events: Array<{ event?: string; id?: string; data: string }> = [];
  let buffer = '';
  let resolveOpen!: () => void;
  const opened = new Promise<void>((r) => (resolveOpen = r));
  const req = http.get(`${base}/chat/api/events`, { headers: { cookie, accept: 'text/event-stream' } }, (res) => {
    resolveOpen();
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let cut;
      while ((cut = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, cut);
        buffer = buffer.slice(cut + 2);
        const e: { event?: string; id?: string; data: string } = { data: '' };
        for (const line of block.split('\n')) {
          if (line.startsWith('event: ')) e.event = line.slice(7);
          else if (line.startsWith('id: ')) e.id = line.slice(4);
          else if (line.startsWith('data: ')) e.data += line.slice(6);
        }
        if (e.event) events.push(e);
      }
    });
  });
  req.on('error', () => undefined);
  return { opened, events, close: () => req.destroy() };
}

async function until<T>(what: () => T | undefined, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = what();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(!testPgServer() || process.env.TEST_ENGINE !== 'postgres')(
  'live pushes across processes on PostgreSQL',
  () => {
    it('a reply and a line posted through process A reach the event stream connected to process B', async () => {
      t = await createTestDb('postgres');
      await seedReferenceData(t.db);
      const a = await createWebChatApp({ sameDatabaseAs: t });
      const b = await createWebChatApp({ sameDatabaseAs: t });
      apps.push(a, b);
      // Only A delivers, so the reply is written to the streams by A's sender.
      await b.delivery.stop();
      const baseA = await a.listen();
      const baseB = await b.listen();

      const me = await resident(baseA);
      const stream = openStream(baseB, me.cookie);
      await stream.opened;
      const sent = await fetch(`${baseA}/chat/api/messages`, {
        method: 'POST',
        headers: { cookie: me.cookie, 'x-csrf-token': me.csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: 'live-push-across-1', command: { name: 'help' } }),
      });
      expect(sent.status).toBe(202);

      // The person's own line (their other tabs), then the bot's reply with its outbox id.
      const line = await until(() => stream.events.find((e) => e.event === 'line'));
      expect(JSON.parse(line.data).key).toBe('w:live-push-across-1');
      const reply = await until(() => stream.events.find((e) => e.event === 'message'));
      const entry = JSON.parse(reply.data) as { key: string; message: { text: string } };
      expect(entry.message.text).toContain('/my');
      expect(entry.key).toBe(`o${reply.id}`);
      const row = await t.db.outboxMessage.findUniqueOrThrow({ where: { id: Number(reply.id) } });
      expect(row.channel).toBe('web');
      // Each push once, although both processes listen.
      await new Promise((r) => setTimeout(r, 300));
      expect(stream.events.filter((e) => e.id === reply.id)).toHaveLength(1);
      stream.close();
    }, 60_000);

    it('a long push (more than one NOTIFY payload) arrives whole', async () => {
      const [a, b] = apps as [WebChatApp, WebChatApp];
      const me = await resident(a.baseUrl);
      const stream = openStream(b.baseUrl, me.cookie);
      await stream.opened;
      const text = '人行道上有人摆摊，'.repeat(440); // about 4,000 characters, 12 KB of UTF-8
      const sent = await fetch(`${a.baseUrl}/chat/api/messages`, {
        method: 'POST',
        headers: { cookie: me.cookie, 'x-csrf-token': me.csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ clientId: 'live-push-long-1', text }),
      });
      expect(sent.status).toBe(202);
      const line = await until(() => stream.events.find((e) => e.event === 'line'));
      expect(JSON.parse(line.data).message.text).toBe(text);
      stream.close();
    }, 60_000);
  },
);
