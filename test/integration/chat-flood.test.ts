import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFakeClock } from '../helpers/fake-clock.ts';
import { createWebChatApp, type WebChatApp } from '../helpers/webchat-app.ts';
import { cookiesOf } from '../helpers/cookies.ts';

// Flood control on the web chat: messages per person and per address, and which address counts.
const clock = createFakeClock('2026-03-02T02:00:00.000Z');
const LIMITS = { CHAT_MESSAGES_PER_MINUTE: '5', ADDRESS_REQUESTS_PER_MINUTE: '8' };
let plain: WebChatApp; // no TRUST_PROXY: the peer is the client, whatever X-Forwarded-For says
let proxied: WebChatApp; // behind a proxy on 127.0.0.1 (fastify inject's peer address)
let seq = 0;

async function visit(t: WebChatApp, headers: Record<string, string> = {}) {
  const chooser = await t.app.inject({ url: '/chat', headers });
  const formToken = /name="_csrf" value="([^"]+)"/.exec(chooser.body)![1]!;
  const start = await t.app.inject({
    method: 'POST',
    url: '/chat/start',
    headers: {
      ...headers,
      cookie: cookiesOf(chooser.headers['set-cookie']),
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: new URLSearchParams({ _csrf: formToken, as: 'resident' }).toString(),
  });
  expect(start.statusCode).toBe(303);
  const cookie = cookiesOf(start.headers['set-cookie']);
  const page = await t.app.inject({ url: '/chat', headers: { ...headers, cookie } });
  const csrf = (JSON.parse(/id="chat-boot">(.*?)<\/script>/s.exec(page.body)![1]!) as { csrf: string }).csrf;
  return (text: string, extra: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/chat/api/messages',
      headers: { ...headers, ...extra, cookie, 'x-csrf-token': csrf },
      payload: { clientId: `flood-${++seq}-client`, text },
    });
}

beforeAll(async () => {
  plain = await createWebChatApp({ clock: clock.now, env: LIMITS });
  proxied = await createWebChatApp({ clock: clock.now, env: { ...LIMITS, TRUST_PROXY: '127.0.0.1' } });
});
afterAll(async () => {
  await plain.close();
  await proxied.close();
});

describe('web chat flood control', () => {
  it('accepts a person’s messages up to the limit, then answers 429 in Chinese until the window passes', async () => {
    clock.advanceMinutes(5);
    const send = await visit(plain);
    for (let i = 0; i < 5; i++) expect((await send(`你好${i}`)).statusCode).toBe(202);
    const refused = await send('你好5');
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.message).toContain('发送过于频繁');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(await plain.db.webChatMessage.count({ where: { payload: { contains: '你好5' } } })).toBe(0);
    clock.advanceSeconds(61);
    expect((await send('你好6')).statusCode).toBe(202);
  });

  it('limits one address across identities, and X-Forwarded-For does not change the address', async () => {
    clock.advanceMinutes(5);
    const codes: number[] = [];
    for (let p = 0; p < 3; p++) {
      const send = await visit(plain);
      for (let i = 0; i < 4; i++)
        codes.push((await send(`第${p}人第${i}条`, { 'x-forwarded-for': `203.0.113.${p * 10 + i}` })).statusCode);
    }
    expect(codes.filter((c) => c === 202)).toHaveLength(8);
    expect(codes.slice(8)).toEqual([429, 429, 429, 429]);
  });

  it('believes X-Forwarded-For from a configured proxy, so clients behind it are told apart', async () => {
    clock.advanceMinutes(5);
    const codes: number[] = [];
    for (let p = 0; p < 3; p++) {
      const client = { 'x-forwarded-for': `203.0.113.${p}` };
      const send = await visit(proxied, client);
      for (let i = 0; i < 4; i++) codes.push((await send(`第${p}人第${i}条`, client)).statusCode);
    }
    expect(codes.every((c) => c === 202)).toBe(true);
  });

  it('gives public pages and the public API a per-address budget', async () => {
    clock.advanceMinutes(5);
    const urls = ['/api/public/stats', '/public', '/api/public/cases', '/power-list'];
    const codes: number[] = [];
    for (let i = 0; i < 10; i++) codes.push((await plain.app.inject({ url: urls[i % urls.length]! })).statusCode);
    expect(codes.slice(0, 8).every((c) => c === 200)).toBe(true);
    expect(codes.slice(8)).toEqual([429, 429]);
    // Another address is not affected.
    const other = await plain.app.inject({ url: '/api/public/stats', remoteAddress: '198.51.100.7' });
    expect(other.statusCode).toBe(200);
  });
});
