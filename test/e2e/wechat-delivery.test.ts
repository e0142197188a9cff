// WeChat delivery through the outbox with the channel's real, conservative limits: spacing per
// chat, a contact that is gone, and an account that is logged out for a while.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createWeChatWorld, type WeChatWorld } from '../helpers/wechat-world.ts';

let w: WeChatWorld;
/** The delivery worker's clock runs ahead by this much, so a test can skip a retry wait. */
let skewMs = 0;

beforeAll(async () => {
  // DEFAULT_RATE_LIMITS: WeChat at one message a second per chat, five a second in all.
  w = await createWeChatWorld({ limits: 'default', workerClock: () => new Date(Date.now() + skewMs) });
});
afterAll(async () => w?.stop());

async function push(chatId: string, texts: string[], key: string): Promise<void> {
  await w.domain.outbox.enqueueNow(
    texts.map((text, i) => ({ dedupeKey: `${key}:${i}`, channel: 'wechat', chatId, message: { text } })),
  );
  w.worker.kick();
}

describe('WeChat delivery', () => {
  it('spaces messages to one contact about a second apart', async () => {
    const u = w.person('孙女士');
    await push(u.id, ['第一条', '第二条', '第三条'], 'burst');
    await u.expect('第三条', 15_000);
    const at = u.inbox.map((m) => m.at);
    expect(u.inbox.map((m) => m.text)).toEqual(['第一条', '第二条', '第三条']);
    expect(at[1]! - at[0]!).toBeGreaterThanOrEqual(900);
    expect(at[2]! - at[1]!).toBeGreaterThanOrEqual(900);
  });

  it('drops messages to a contact that does not exist and marks the chat blocked', async () => {
    await push('wxid_nobody', ['你好'], 'gone');
    await vi.waitFor(
      async () =>
        expect((await w.db.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: 'gone:0' } })).status).toBe('dead'),
      { timeout: 10_000 },
    );
    const row = await w.db.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: 'gone:0' } });
    expect(row.attempts).toBe(1);
  });

  it('keeps messages while the account is logged out, without using up their attempts, and sends them after the next login', async () => {
    const u = w.person('周先生');
    await w.puppet.logout();
    expect(w.channel.status().state).toBe('logged_out');
    await push(u.id, ['登录后送达'], 'offline');
    await vi.waitFor(
      async () =>
        expect((await w.db.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: 'offline:0' } })).lastError).toContain(
          'not logged in',
        ),
      { timeout: 10_000 },
    );
    const waiting = await w.db.outboxMessage.findUniqueOrThrow({ where: { dedupeKey: 'offline:0' } });
    expect(waiting).toMatchObject({ status: 'pending', attempts: 0 });

    w.mocker.scan('https://login.weixin.qq.com/l/second', 2);
    await vi.waitFor(() =>
      expect(w.channel.status()).toMatchObject({ state: 'scan', qrcode: 'https://login.weixin.qq.com/l/second' }),
    );
    w.mocker.login(w.botUser);
    await vi.waitFor(() => expect(w.channel.status().state).toBe('logged_in'));
    skewMs = 31_000; // past the 30 s a message for a logged-out account waits
    w.worker.kick();
    await u.expect('登录后送达', 15_000);
    expect(w.qrPrinted.join('')).toContain('https://login.weixin.qq.com/l/second');
  });
});
