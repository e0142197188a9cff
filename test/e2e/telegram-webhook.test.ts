// Webhook mode: the route mounted in the fastify app, Telegram's secret header checked, updates
// delivered by the emulator over HTTP, repeated deliveries processed once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../helpers/free-port.ts';
import { MALFORMED_UPDATES } from '../helpers/telegram-malformed-updates.ts';
import { createTelegramHarness, type TelegramHarness } from '../helpers/telegram-harness.ts';

const SECRET = 'test-webhook-secret-0123456789';
let h: TelegramHarness;
let port = 0;

const update = (updateId: number, chatId: number, text: string) => ({
  update_id: updateId,
  message: {
    message_id: updateId,
    date: Math.floor(Date.now() / 1000),
    chat: { id: chatId, type: 'private', first_name: '赵六' },
    from: { id: chatId, is_bot: false, first_name: '赵六' },
    text,
  },
});

beforeAll(async () => {
  port = await freePort();
  h = await createTelegramHarness({
    start: false,
    env: { TELEGRAM_MODE: 'webhook', TELEGRAM_WEBHOOK_SECRET: SECRET, PUBLIC_URL: `http://127.0.0.1:${port}` },
  });
  await h.app.listen({ port, host: '127.0.0.1' });
  // Telegram unreachable for a moment at start-up: the channel tries again rather than staying off.
  h.emu.failNext('getMe', { code: 502, description: 'Bad Gateway' });
  await h.telegram.start();
});
afterAll(async () => h?.close());

describe('Telegram webhook', () => {
  it('sets the webhook with the secret and receives updates through it', async () => {
    expect(h.emu.calls.filter((c) => c.method === 'getMe').map((c) => c.status)).toEqual([502, 200]);
    expect(h.emu.webhook).toEqual({ url: `http://127.0.0.1:${port}/telegram/webhook`, secret: SECRET });
    const u = h.emu.user({ id: 6001 });
    await u.send('/start');
    await u.expect('网格通');
    await u.send('人行道上有人摆摊卖水果');
    await u.expect('位置');
    await u.sendLocation(30.5795, 114.2869);
    await u.expect('请确认');
    await u.press('确认提交');
    await u.expect('提交成功');
    expect(h.emu.webhookDeliveries.every((d) => d.status === 200)).toBe(true);
    expect(h.emu.callbackIds.every((id) => h.emu.answered.has(id))).toBe(true);
    expect(h.emu.calls.some((c) => c.method === 'getUpdates')).toBe(false);
  });

  it('refuses a request without the secret with 401 and processes nothing', async () => {
    const before = {
      processed: await h.db.processedUpdate.count(),
      outbox: await h.db.outboxMessage.count(),
      people: await h.db.chatIdentity.count(),
    };
    const body = update(990001, 6002, '/start');
    const missing = await h.app.inject({ method: 'POST', url: '/telegram/webhook', payload: body });
    expect(missing.statusCode).toBe(401);
    expect(missing.json()).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    const wrong = await h.app.inject({
      method: 'POST',
      url: '/telegram/webhook',
      payload: body,
      headers: { 'x-telegram-bot-api-secret-token': 'not-the-secret-at-all' },
    });
    expect(wrong.statusCode).toBe(401);
    await new Promise((r) => setTimeout(r, 200));
    expect({
      processed: await h.db.processedUpdate.count(),
      outbox: await h.db.outboxMessage.count(),
      people: await h.db.chatIdentity.count(),
    }).toEqual(before);
  });

  it('processes an update delivered twice once', async () => {
    const body = update(990002, 6003, '/help');
    const headers = { 'x-telegram-bot-api-secret-token': SECRET };
    const [a, b] = await Promise.all(
      [1, 2].map(() => h.app.inject({ method: 'POST', url: '/telegram/webhook', payload: body, headers })),
    );
    const again = await h.app.inject({ method: 'POST', url: '/telegram/webhook', payload: body, headers });
    expect([a!.statusCode, b!.statusCode, again.statusCode]).toEqual([200, 200, 200]);
    await h.emu.waitFor(() => h.emu.sent.some((m) => m.chat_id === '6003'), 'the reply');
    await new Promise((r) => setTimeout(r, 300));
    expect(h.emu.sent.filter((m) => m.chat_id === '6003')).toHaveLength(1); // welcome + help, in one message, once
    expect(await h.db.processedUpdate.count({ where: { channel: 'telegram', updateId: '990002' } })).toBe(1);
  });

  it('rejects a body that is not an update', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/telegram/webhook',
      payload: { hello: 'world' },
      headers: { 'x-telegram-bot-api-secret-token': SECRET },
    });
    expect(res.statusCode).toBe(400);
  });

  it('acknowledges malformed updates with 200 (no redelivery loop), processes nothing of them and goes on', async () => {
    const headers = { 'x-telegram-bot-api-secret-token': SECRET };
    const before = { processed: await h.db.processedUpdate.count(), outbox: await h.db.outboxMessage.count() };
    let id = 991000;
    for (const [what, body] of MALFORMED_UPDATES) {
      id += 1;
      const res = await h.app.inject({
        method: 'POST',
        url: '/telegram/webhook',
        payload: { update_id: id, ...body },
        headers,
      });
      expect(res.statusCode, what).toBe(200);
    }
    expect({ processed: await h.db.processedUpdate.count(), outbox: await h.db.outboxMessage.count() }).toEqual(before);
    const next = await h.app.inject({
      method: 'POST',
      url: '/telegram/webhook',
      payload: update(991999, 6004, '/help'),
      headers,
    });
    expect(next.statusCode).toBe(200);
    await h.emu.waitFor(() => h.emu.sent.some((m) => m.chat_id === '6004'), 'the reply to the next update');
  });
});
