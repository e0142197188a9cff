// Delivery through the outbox within Telegram's limits: 429 with retry_after, blocked chats,
// and the default per-chat and global rates, against the Bot API emulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryWorker } from '../../core/messaging/delivery-worker.ts';
import { DEFAULT_RATE_LIMITS } from '../../core/messaging/rate-limiter.ts';
import { createTelegramHarness, type TelegramHarness } from '../helpers/telegram-harness.ts';
import { jpeg } from '../helpers/test-images.ts';

let h: TelegramHarness;

beforeAll(async () => {
  h = await createTelegramHarness();
});
afterAll(async () => h?.close());

const sendsTo = (chatId: string, method = 'sendMessage') =>
  h.emu.calls.filter((c) => c.chatId === chatId && c.method === method);

describe('Telegram delivery', () => {
  it('waits retry_after on a 429 and delivers the message once', async () => {
    h.emu.failNext('sendMessage', { code: 429, description: 'Too Many Requests: retry after 1', retryAfter: 1 });
    const u = h.emu.user({ id: 5001 });
    await u.send('/start');
    await u.expect('网格通');
    const [limited, delivered] = sendsTo('5001');
    expect(limited?.status).toBe(429);
    expect(delivered?.status).toBe(200);
    expect(delivered!.at - limited!.at).toBeGreaterThanOrEqual(1000);
    expect(u.messages()).toHaveLength(1);
    expect(await sentRow('5001')).toMatchObject({ status: 'sent', attempts: 0 }); // a wait Telegram asked for is not a failure
  });

  it('does not send the photos of a message again when its text is rate limited', async () => {
    const ids: number[] = [];
    for (const size of [100, 120]) ids.push((await h.domain.evidence.ingest(await jpeg(size, 80))).attachmentId);
    h.emu.failNext('sendMessage', { code: 429, description: 'Too Many Requests: retry after 1', retryAfter: 1 });
    await h.domain.outbox.enqueueNow([
      {
        dedupeKey: 'photos-429',
        channel: 'telegram',
        chatId: '5004',
        message: { text: '现场照片两张', photoAttachmentIds: ids },
      },
    ]);
    h.delivery.kick();
    await h.emu.waitFor(
      () => h.emu.sent.find((m) => m.chat_id === '5004' && m.text === '现场照片两张'),
      'the text after the 429',
      8000,
    );
    expect(sendsTo('5004', 'sendMediaGroup')).toHaveLength(1);
    expect(h.emu.sent.filter((m) => m.chat_id === '5004' && m.photos)).toHaveLength(2);
  });

  it('marks a chat that blocked the bot and skips it from then on', async () => {
    const u = h.emu.user({ id: 5002 });
    h.emu.block('5002');
    await u.send('/start');
    expect(await waitForBlocked('5002')).toBe(true);
    expect(sendsTo('5002')).toHaveLength(1); // 403 is final: no retries
    expect((await h.db.outboxMessage.findFirstOrThrow({ where: { chatId: '5002' } })).status).toBe('dead');
  });

  it('marks a chat blocked when Telegram reports the user stopped the bot', async () => {
    const u = h.emu.user({ id: 5003 });
    await u.send('/start');
    await u.expect('网格通');
    const bot = { id: 7000000001, is_bot: true, first_name: '网格通' };
    await h.emu.pushUpdate({
      my_chat_member: {
        chat: { id: 5003, type: 'private', first_name: '用户5003' },
        from: { id: 5003, is_bot: false, first_name: '用户5003' },
        date: Math.floor(Date.now() / 1000),
        old_chat_member: { user: bot, status: 'member' },
        new_chat_member: { user: bot, status: 'kicked', until_date: 0 },
      },
    });
    expect(await waitForBlocked('5003')).toBe(true);
  });
});

describe('Telegram delivery at the default rates', () => {
  // Issue 13.10: 31 sends arrived in one second against a limit of 30. What counts is when the
  // emulator (standing in for Telegram) received each message, photos of an album included.
  it('keeps one message a second per chat and 30 a second overall, as Telegram receives them', async () => {
    await h.delivery.stop();
    const worker = createDeliveryWorker({
      store: h.domain.outbox,
      senders: [h.telegram.sender],
      clock: h.domain.clock,
      logger: h.logger,
      pollIntervalMs: 20,
      limits: DEFAULT_RATE_LIMITS,
    });
    const photoIds: number[] = [];
    for (const size of [90, 110]) photoIds.push((await h.domain.evidence.ingest(await jpeg(size, 70))).attachmentId);
    const rows = [
      ...[1, 2, 3].map((n) => ({
        dedupeKey: `rate-chat-${n}`,
        channel: 'telegram',
        chatId: '5100',
        message: { text: `第${n}条` },
      })),
      ...Array.from({ length: 20 }, (_, n) => ({
        dedupeKey: `rate-photos-${n}`,
        channel: 'telegram',
        chatId: String(5300 + n),
        message: { text: `照片${n}`, photoAttachmentIds: photoIds },
      })),
      ...Array.from({ length: 60 }, (_, n) => ({
        dedupeKey: `rate-all-${n}`,
        channel: 'telegram',
        chatId: String(5200 + n),
        message: { text: `群发${n}` },
      })),
    ];
    const from = h.emu.sent.length;
    await h.domain.outbox.enqueueNow(rows);
    await worker.start();
    try {
      await h.emu.waitFor(
        () => h.emu.sent.slice(from).filter((m) => /^(第|群发|照片)/.test(m.text ?? '')).length === 83,
        'all 83 messages',
        20_000,
      );
    } finally {
      await worker.stop();
    }
    const arrived = h.emu.sent.slice(from);
    expect(arrived).toHaveLength(123); // 63 texts, and 20 × (2 photos + text)
    const chat = arrived.filter((m) => m.chat_id === '5100').map((m) => m.at);
    expect(chat[1]! - chat[0]!).toBeGreaterThanOrEqual(1000);
    expect(chat[2]! - chat[1]!).toBeGreaterThanOrEqual(1000);
    const times = arrived.map((m) => m.at).sort((a, b) => a - b);
    const busiestSecond = Math.max(...times.map((t) => times.filter((x) => x >= t && x < t + 1000).length));
    expect(busiestSecond).toBeLessThanOrEqual(30);
    expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(4000); // 123 messages at 30 a second
  });
});

/** The chat's one outbox row once the worker has finished with it (the emulator sees the send first). */
async function sentRow(chatId: string) {
  const until = Date.now() + 5000;
  for (;;) {
    const row = await h.db.outboxMessage.findFirstOrThrow({ where: { chatId } });
    if (row.status !== 'sending' || Date.now() > until) return row;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function waitForBlocked(chatId: string): Promise<boolean> {
  const until = Date.now() + 8000;
  while (Date.now() < until) {
    const identity = await h.db.chatIdentity.findFirst({ where: { channel: 'telegram', chatId } });
    if (identity?.blockedAt) return true;
    await new Promise((r) => setTimeout(r, 30));
  }
  return false;
}
