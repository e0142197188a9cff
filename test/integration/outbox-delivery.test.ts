import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createDeliveryWorker, type DeliveryWorker } from '../../core/messaging/delivery-worker.ts';
import { ChatUnreachableError, RetryAfterError } from '../../core/messaging/outbound-types.ts';
import { OUTBOX_PRIORITY } from '../../core/messaging/outbox-port.ts';
import { createCaseStore } from '../../db/case-store.ts';
import { createOutboxStore, type OutboxStore } from '../../db/outbox-store.ts';
import { createPrismaClient, sqlOf } from '../../db/prisma-client.ts';
import { silentLogger } from '../helpers/test-config.ts';
import { createTestDb, type TestDb } from '../helpers/test-db.ts';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock.ts';
import { createRecordingSender, type RecordingSender } from '../helpers/recording-sender.ts';

let clock: FakeClock;
let store: OutboxStore;
let sender: RecordingSender;
let worker: DeliveryWorker;
let seq = 0;

const noJitter = () => 0;
const newWorker = (s: OutboxStore, senders = [sender], limits = {}) =>
  createDeliveryWorker({
    store: s,
    senders,
    clock: clock.now,
    logger: silentLogger(),
    limits,
    random: noJitter,
    pollIntervalMs: 10,
    // Within the stores' 60 s lease with room for the worker's margin, as production's 60 s against 5 minutes.
    sendTimeoutMs: 30_000,
  });

/** Enqueues texts to one chat, each in its own transaction like a real state change would. */
async function enqueue(chatId: string, ...texts: string[]): Promise<void> {
  for (const text of texts) {
    await store.enqueueNow([{ dedupeKey: `k${++seq}`, channel: 'telegram', chatId, message: { text } }]);
  }
}
const statuses = async () => (await t.db.outboxMessage.findMany({ orderBy: { id: 'asc' } })).map((r) => r.status);

const t: TestDb = await createTestDb();
afterAll(() => t.db.$disconnect());
beforeEach(async () => {
  await t.db.outboxMessage.deleteMany();
  clock = createFakeClock('2026-03-02T01:00:00Z');
  store = createOutboxStore(t.db, { clock: clock.now, leaseMs: 60_000 });
  sender = createRecordingSender('telegram', clock.now);
  worker = newWorker(store);
});

describe('outbox delivery', () => {
  it('retries a failing sender with backoff and delivers exactly once', async () => {
    await enqueue('100', '案件已受理');
    sender.failNext(new Error('ETIMEDOUT'), new Error('502 Bad Gateway'));

    await worker.drain();
    expect(sender.attempts).toHaveLength(1);
    clock.advanceSeconds(4); // backoff is 5 s: not due yet
    await worker.drain();
    expect(sender.attempts).toHaveLength(1);
    clock.advanceSeconds(1);
    await worker.drain();
    expect(sender.attempts).toHaveLength(2);
    clock.advanceSeconds(10);
    await worker.drain();
    clock.advanceHours(1);
    await worker.drain();

    expect(sender.textsTo('100')).toEqual(['案件已受理']);
    const row = await t.db.outboxMessage.findFirstOrThrow();
    expect(row).toMatchObject({ status: 'sent', attempts: 2, lastError: 'Error: 502 Bad Gateway' });
    expect(row.sentAt?.toISOString()).toBe('2026-03-02T01:00:15.000Z');
  });

  it('waits exactly as long as RetryAfterError asks, without counting an attempt', async () => {
    await enqueue('100', '请评价');
    sender.failNext(new RetryAfterError(30));
    await worker.drain();
    clock.advanceSeconds(30); // retry_after plus a 0.5 s margin
    await worker.drain();
    expect(sender.sent).toHaveLength(0);
    clock.advance(500);
    await worker.drain();
    expect(sender.textsTo('100')).toEqual(['请评价']);
    expect(await t.db.outboxMessage.findFirstOrThrow()).toMatchObject({ status: 'sent', attempts: 0 });
  });

  it('an unreachable chat: the message is dead, the chat blocked, and later enqueues skip it', async () => {
    const person = await t.db.person.create({ data: { displayName: '居民甲', role: 'resident' } });
    await t.db.chatIdentity.create({
      data: { channel: 'telegram', externalId: '555', chatId: '555', personId: person.id },
    });
    await t.db.chatIdentity.create({
      data: { channel: 'wechat', externalId: 'wxid_5', chatId: 'wxid_5', personId: person.id },
    });
    const wechat = createRecordingSender('wechat', clock.now);
    worker = newWorker(store, [sender, wechat]);

    await store.enqueueForPeopleNow([person.id], { text: '案件已派遣' }, 'case:1:dispatched', 1);
    sender.failChat('555', new ChatUnreachableError('Forbidden: bot was blocked by the user'));
    await worker.drain();

    const rows = await t.db.outboxMessage.findMany({ orderBy: { id: 'asc' } });
    expect(rows.map((r) => [r.dedupeKey, r.status, r.caseId])).toEqual([
      ['case:1:dispatched:telegram:555', 'dead', 1],
      ['case:1:dispatched:wechat:wxid_5', 'sent', 1],
    ]);
    expect(rows[0]?.lastError).toContain('blocked by the user');
    const identity = await t.db.chatIdentity.findFirstOrThrow({ where: { channel: 'telegram', chatId: '555' } });
    expect(identity.blockedAt).not.toBeNull();

    const inserted = await store.enqueueForPeopleNow([person.id], (id) => ({ text: `给 ${id}` }), 'case:1:closed', 1);
    expect(inserted).toBe(1); // WeChat only
  });

  it('enqueueing the same notification twice stores it once', async () => {
    const row = {
      dedupeKey: 'case:7:closed:telegram:100',
      channel: 'telegram',
      chatId: '100',
      message: { text: '已结案' },
    };
    expect(await store.enqueueNow([row])).toBe(1);
    expect(await store.enqueueNow([row, { ...row, message: { text: '不同的文字' } }])).toBe(0);
    await worker.drain();
    expect(sender.textsTo('100')).toEqual(['已结案']);
  });

  it('a row is only enqueued if the surrounding transaction commits', async () => {
    await expect(
      sqlOf(t.db).transaction(async (tx) => {
        await store.enqueue(tx, [
          { dedupeKey: 'rolled-back', channel: 'telegram', chatId: '100', message: { text: 'x' } },
        ]);
        throw new Error('state change failed');
      }),
    ).rejects.toThrow('state change failed');
    expect(await t.db.outboxMessage.count()).toBe(0);
  });

  it('after a crash mid-send, a new worker on the same database delivers what was left', async () => {
    await enqueue('100', '一');
    await enqueue('200', '二');
    const release = sender.hold();
    const abandoned = worker.drain(); // this worker "crashes": its sends never finish
    await waitFor(() => sender.attempts.length === 2);
    expect(await statuses()).toEqual(['sending', 'sending']);

    // A new process: its own Prisma client, store, sender and worker.
    const db2 = await createPrismaClient(t.url);
    const store2 = createOutboxStore(db2, { clock: clock.now, leaseMs: 60_000 });
    const sender2 = createRecordingSender('telegram', clock.now);
    const worker2 = newWorker(store2, [sender2]);
    clock.advanceSeconds(30); // lease not expired yet: the rows are not taken over
    await worker2.drain();
    expect(sender2.attempts).toHaveLength(0);

    clock.advanceSeconds(31);
    await worker2.start(); // recovers the stale rows
    await worker2.drain();
    await worker2.stop();
    expect(sender2.sent.map((s) => s.message.text).sort()).toEqual(['一', '二']);
    expect(await statuses()).toEqual(['sent', 'sent']);

    // The stalled worker wakes up and fails: it no longer owns the rows, so nothing is undone.
    sender.failNext(new Error('socket hang up'), new Error('socket hang up'));
    release();
    await abandoned;
    expect(await statuses()).toEqual(['sent', 'sent']);
    // The interrupted attempt counts once; the stalled worker's late "socket hang up" is not recorded.
    expect((await t.db.outboxMessage.findMany()).map((r) => [r.attempts, r.lastError])).toEqual([
      [1, 'lease expired: the worker stopped mid-send'],
      [1, 'lease expired: the worker stopped mid-send'],
    ]);
    await db2.$disconnect();
  });

  it('a send that outlives a short lease keeps its row: no other worker sends it too', async () => {
    // A 10 s lease against a 30 s send timeout: before the send the lease is renewed to cover it.
    const short = createOutboxStore(t.db, { clock: clock.now, leaseMs: 10_000 });
    await enqueue('100', '慢发送');
    const release = sender.hold();
    const slow = newWorker(short).drain();
    await waitFor(() => sender.attempts.length === 1);
    clock.advanceSeconds(40); // past the claim's 10 s lease, within the send timeout and margin
    const other = createRecordingSender('telegram', clock.now);
    await newWorker(short, [other]).drain();
    expect(other.attempts).toHaveLength(0);
    release();
    await slow;
    expect(sender.sent.map((s) => s.message.text)).toEqual(['慢发送']);
    expect(await statuses()).toEqual(['sent']);
    expect((await t.db.outboxMessage.findFirstOrThrow()).attempts).toBe(0);
  });

  it('keeps one chat in order: #2 waits while #1 is pending retry; other chats go on', async () => {
    await enqueue('100', 'A1', 'A2', 'A3');
    await enqueue('200', 'B1');
    sender.failNext(new Error('ECONNRESET')); // A1's first attempt
    await worker.drain();
    expect(sender.sent.map((s) => s.message.text)).toEqual(['B1']);
    clock.advanceSeconds(5);
    await worker.drain();
    expect(sender.textsTo('100')).toEqual(['A1', 'A2', 'A3']);
  });

  it('holds a chat to the channel rate limit without counting attempts', async () => {
    worker = newWorker(store, [sender], { telegram: { perChatIntervalMs: 1_000 } });
    await enqueue('100', 'A1', 'A2', 'A3');
    await worker.drain();
    expect(sender.textsTo('100')).toEqual(['A1']);
    clock.advance(1_000);
    await worker.drain();
    clock.advance(1_000);
    await worker.drain();
    expect(sender.sent.map((s) => [s.message.text, s.at.toISOString()])).toEqual([
      ['A1', '2026-03-02T01:00:00.000Z'],
      ['A2', '2026-03-02T01:00:01.000Z'],
      ['A3', '2026-03-02T01:00:02.000Z'],
    ]);
    expect((await t.db.outboxMessage.findMany()).map((r) => r.attempts)).toEqual([0, 0, 0]);
  });

  // Issue 19.1: under a backlog the worker claimed rows, found the rate limit said no, and put
  // them back, one commit each, over and over. Every claim must now end in a send.
  it('under a backlog it never claims a row it cannot send, and drains at the limit, oldest first', async () => {
    const counts = { claimed: 0, released: 0, retried: 0 };
    const counting: OutboxStore = {
      ...store,
      claimDue: async (...args) => {
        const rows = await store.claimDue(...args);
        counts.claimed += rows.length;
        return rows;
      },
      release: async (...args) => (counts.released++, store.release(...args)),
      markRetry: async (...args) => (counts.retried++, store.markRetry(...args)),
    };
    worker = newWorker(counting, [sender], { telegram: { perChatIntervalMs: 1_000, globalPerSecond: 30 } });
    for (let i = 0; i < 70; i++) await enqueue(String(1000 + i), `群发${i}`);
    await enqueue('100', 'A1', 'A2', 'A3');

    const perSecond: number[] = [];
    for (let second = 0; second < 6; second++) {
      const before = sender.sent.length;
      for (let step = 0; step < 10; step++) {
        await worker.drain(); // asked ten times a second: only what the limit allows is taken
        clock.advance(100);
      }
      perSecond.push(sender.sent.length - before);
    }
    expect(perSecond).toEqual([30, 30, 11, 1, 1, 0]); // chat 100 keeps to one a second
    expect(counts).toEqual({ claimed: 73, released: 0, retried: 0 });
    expect(sender.sent.slice(0, 30).map((s) => s.message.text)).toEqual(
      Array.from({ length: 30 }, (_, i) => `群发${i}`),
    );
    expect(sender.textsTo('100')).toEqual(['A1', 'A2', 'A3']);
    expect(await statuses()).toEqual(Array(73).fill('sent'));
  });

  it('replies to a person go out before bulk pushes that waited longer', async () => {
    worker = newWorker(store, [sender], { telegram: { globalPerSecond: 30 } });
    await store.enqueueNow(
      Array.from({ length: 40 }, (_, i) => ({
        dedupeKey: `digest-${i}`,
        channel: 'telegram',
        chatId: String(2000 + i),
        message: { text: `日报${i}` },
        priority: OUTBOX_PRIORITY.bulk,
      })),
    );
    await store.enqueueNow([
      { dedupeKey: 'push-1', channel: 'telegram', chatId: '3000', message: { text: '新案件' } },
      {
        dedupeKey: 'reply-1',
        channel: 'telegram',
        chatId: '3001',
        message: { text: '请发送位置' },
        priority: OUTBOX_PRIORITY.reply,
      },
    ]);
    await worker.drain();
    expect(sender.sent.map((s) => s.message.text).slice(0, 3)).toEqual(['请发送位置', '新案件', '日报0']);
    expect(sender.sent).toHaveLength(30);
    clock.advance(1_000);
    await worker.drain();
    expect(sender.sent).toHaveLength(42);
  });

  // Issue 19.1: combine what can be combined. A team lead who reports in his own street is both
  // the reporter and the handler of the new case: one event, one message.
  it('the notices one case event causes to one person are queued as one message', async () => {
    const lead = await t.db.person.create({ data: { displayName: '王队长', role: 'team_lead' } });
    const other = await t.db.person.create({ data: { displayName: '李队员', role: 'team_lead' } });
    for (const [p, chat] of [
      [lead.id, '700'],
      [other.id, '701'],
    ] as const)
      await t.db.chatIdentity.create({ data: { channel: 'telegram', externalId: chat, chatId: chat, personId: p } });
    const cases = createCaseStore(t.db, (tx, ids, message, key, caseId) =>
      store.enqueueForPeople(tx, ids, message, key, caseId),
    );
    const buttons = [[{ id: 'c:accept:9', label: '接单' }]];
    await cases.transaction(async (tx) => {
      await tx.notify({
        personIds: [lead.id],
        caseId: 9,
        dedupeKey: 'case:9:reporter:created',
        message: { text: '已收到' },
      });
      await tx.notify({
        personIds: [lead.id, other.id],
        caseId: 9,
        dedupeKey: 'case:9:handler:dispatched:0',
        message: { text: '新案件', buttons },
      });
    });
    await worker.drain();
    expect(sender.sent.map((s) => [s.chatId, s.message])).toEqual([
      ['700', { text: '已收到\n\n新案件', buttons }],
      ['701', { text: '新案件', buttons }],
    ]);
  });

  it('a message for a channel without a sender is dead with the reason', async () => {
    await store.enqueueNow([{ dedupeKey: 'x', channel: 'sms', chatId: '1390000', message: { text: 'x' } }]);
    await worker.drain();
    expect(await t.db.outboxMessage.findFirstOrThrow()).toMatchObject({
      status: 'dead',
      lastError: 'no sender for channel sms',
    });
  });

  it('gives up after the maximum number of attempts', async () => {
    await enqueue('100', '永远失败');
    sender.failChat('100', new Error('500 Internal Server Error'));
    for (let i = 0; i < 12; i++) {
      await worker.drain();
      clock.advanceMinutes(11);
    }
    expect(sender.attempts).toHaveLength(12);
    expect(await t.db.outboxMessage.findFirstOrThrow()).toMatchObject({ status: 'dead', attempts: 12 });

    // The outage is over: an administrator requeues what died, and it goes out.
    sender.failChat('100', null);
    expect(await store.requeueDead({ channel: 'telegram' })).toBe(1);
    await worker.drain();
    expect(sender.textsTo('100')).toEqual(['永远失败']);
    expect(await store.countByStatus()).toEqual({ sent: 1 });
    clock.advanceDays(91);
    expect(await store.purgeSent(new Date(clock.now().getTime() - 90 * 86_400_000))).toBe(1);
  });

  it('the running worker delivers on its own and stop() waits for sends in flight', async () => {
    const running = createDeliveryWorker({
      store,
      senders: [sender],
      clock: clock.now,
      logger: silentLogger(),
      limits: {},
      pollIntervalMs: 5,
    });
    await running.start();
    const release = sender.hold();
    await enqueue('100', '实时推送');
    running.kick();
    await waitFor(() => sender.attempts.length === 1);
    const stopped = running.stop();
    let done = false;
    void stopped.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(done).toBe(false);
    release();
    await stopped;
    expect(await statuses()).toEqual(['sent']);
  });
});

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
