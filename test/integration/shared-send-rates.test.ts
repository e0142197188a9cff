// Issue 17, Deliver 3: per-chat and per-bot send rates hold across processes. Three delivery
// workers, each with a limiter of its own as three Gridline processes would have, on one database
// (on PostgreSQL each with its own client and pool), share one bot: together they keep to
// Telegram's 30 a second, one message a second per chat and 20 a minute per group. The clock is
// pinned; every send is recorded with the time the pinned clock said.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createDeliveryWorker, type DeliveryWorker } from '../../core/messaging/delivery-worker.ts';
import type { SendBudgetPort } from '../../core/messaging/send-budget-port.ts';
import { createOutboxStore, type OutboxStore } from '../../db/outbox-store.ts';
import { createPrismaClient, type Db } from '../../db/prisma-client.ts';
import { createSendBudgetStore } from '../../db/send-budget-store.ts';
import { createFakeClock, type FakeClock } from '../helpers/fake-clock.ts';
import { createRecordingSender, type RecordingSender } from '../helpers/recording-sender.ts';
import { silentLogger } from '../helpers/test-config.ts';
import { createTestDb } from '../helpers/test-db.ts';

const T0 = '2026-03-02T01:00:00.000Z';
const t = await createTestDb();
// SQLite serves one process: there the "processes" share its one client.
const clients: Db[] =
  t.engine === 'postgres'
    ? [t.db, await createPrismaClient(t.url), await createPrismaClient(t.url)]
    : [t.db, t.db, t.db];
afterAll(async () => {
  if (t.engine === 'postgres') await Promise.all(clients.slice(1).map((c) => c.$disconnect()));
  await t.db.$disconnect();
});

let clock: FakeClock;
let sender: RecordingSender;
let seq = 0;

const newWorker = (db: Db, budget: SendBudgetPort = createSendBudgetStore(db)): DeliveryWorker =>
  createDeliveryWorker({
    store: createOutboxStore(db, { clock: clock.now, leaseMs: 60_000 }),
    // One bot: what each process hands it is recorded in one list, with the pinned time.
    senders: [sender],
    clock: clock.now,
    logger: silentLogger(),
    budget,
    random: () => 0,
    pollIntervalMs: 1_000,
  });

let outbox: OutboxStore;
const enqueue = async (chatId: string, text: string) =>
  outbox.enqueueNow([{ dedupeKey: `k${++seq}`, channel: 'telegram', chatId, message: { text } }]);
const secondsAfterT0 = () => sender.sent.map((s) => (s.at.getTime() - new Date(T0).getTime()) / 1000);
const drainAll = (workers: DeliveryWorker[]) => Promise.all(workers.map((w) => w.drain()));

beforeEach(async () => {
  await t.db.outboxMessage.deleteMany();
  await t.db.sendUse.deleteMany();
  clock = createFakeClock(T0);
  sender = createRecordingSender('telegram', clock.now);
  outbox = createOutboxStore(t.db, { clock: clock.now });
});

describe('send rates shared by three delivery workers (as three processes)', () => {
  it('60 queued messages for one bot: at most 30 go out in one second across all workers', async () => {
    for (let i = 0; i < 60; i++) await enqueue(String(1000 + i), `通知${i}`);
    const workers = clients.map((db) => newWorker(db));
    await drainAll(workers);
    expect(sender.sent).toHaveLength(30);
    clock.advance(999);
    await drainAll(workers);
    expect(sender.sent).toHaveLength(30);
    clock.advance(1);
    await drainAll(workers);
    expect(sender.sent).toHaveLength(60);
    expect(new Set(sender.sent.map((s) => s.message.text)).size).toBe(60); // each once
    const rows = await t.db.outboxMessage.findMany();
    expect(rows.every((r) => r.status === 'sent' && r.attempts === 0)).toBe(true);
  });

  it('two messages for one chat from two workers: the second waits a second of the pinned clock', async () => {
    await enqueue('100', '第一条');
    await enqueue('100', '第二条');
    const [a, b] = clients.map((db) => newWorker(db));
    await a!.drain();
    expect(sender.textsTo('100')).toEqual(['第一条']);
    clock.advance(500);
    await b!.drain();
    clock.advance(499);
    await b!.drain();
    expect(sender.textsTo('100')).toEqual(['第一条']);
    clock.advance(1);
    await b!.drain();
    expect(sender.sent.map((s) => [s.message.text, secondsAfterT0()[sender.sent.indexOf(s)]])).toEqual([
      ['第一条', 0],
      ['第二条', 1],
    ]);
  });

  it('a group chat gets at most 20 messages a minute, whichever worker sends them', async () => {
    for (let i = 0; i < 25; i++) await enqueue('-100200300', `群消息${i}`);
    const workers = clients.map((db) => newWorker(db));
    for (let second = 0; second < 70; second++) {
      await workers[second % workers.length]!.drain();
      clock.advance(1_000);
    }
    expect(secondsAfterT0()).toEqual([
      ...Array.from({ length: 20 }, (_, i) => i),
      // The first send ended at 0 s: its slot in the group's minute frees at 60 s.
      60,
      61,
      62,
      63,
      64,
    ]);
    expect(sender.textsTo('-100200300')).toEqual(Array.from({ length: 25 }, (_, i) => `群消息${i}`));
  });

  it('a row the budget refuses (another process took it first) goes back without an attempt, and goes later', async () => {
    for (let i = 0; i < 40; i++) await enqueue(String(2000 + i), `推送${i}`);
    // Worker b reads the budget, then a sends before b claims: b's view is out of date.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let viewed = false;
    const real = createSendBudgetStore(clients[1]!);
    const late: SendBudgetPort = {
      ...real,
      view: async (...args) => {
        const v = await real.view(...args);
        viewed = true;
        await gate;
        return v;
      },
    };
    const a = newWorker(clients[0]!);
    const b = newWorker(clients[1]!, late);
    const bDone = b.drain();
    await waitFor(() => viewed); // b has its view (capacity 30) and waits at the gate
    await a.drain();
    expect(sender.sent).toHaveLength(30);
    open();
    await bDone;
    expect(sender.sent).toHaveLength(30); // b claimed what a had sent meanwhile: all refused
    const waiting = await t.db.outboxMessage.findMany({ where: { status: 'pending' } });
    expect(waiting.length).toBe(10);
    // Put back until the budget frees up, one second after a's sends: no attempt counted.
    expect(waiting.map((r) => [r.attempts, r.nextAttemptAt.toISOString()])).toEqual(
      Array(10).fill([0, '2026-03-02T01:00:01.000Z']),
    );
    clock.advance(1_000);
    await drainAll([a, b]);
    expect(sender.sent).toHaveLength(40);
    expect((await t.db.outboxMessage.findMany()).every((r) => r.status === 'sent' && r.attempts === 0)).toBe(true);
  });

  it('when the budget cannot be reached, claimed rows go straight back (no attempt) and go once it answers', async () => {
    for (let i = 0; i < 3; i++) await enqueue(String(4000 + i), `稍后${i}`);
    const real = createSendBudgetStore(clients[0]!);
    let down = true;
    const flaky: SendBudgetPort = {
      ...real,
      reserve: (...args) => (down ? Promise.reject(new Error('connection terminated')) : real.reserve(...args)),
    };
    const worker = newWorker(clients[0]!, flaky);
    await expect(worker.drain()).rejects.toThrow('connection terminated');
    expect(sender.attempts).toHaveLength(0);
    const rows = await t.db.outboxMessage.findMany();
    expect(rows.map((r) => [r.status, r.attempts, r.nextAttemptAt.toISOString()])).toEqual(
      Array(3).fill(['pending', 0, T0]),
    );
    down = false;
    await worker.drain();
    expect(sender.sent).toHaveLength(3);
  });

  it('a worker held in its budget wait past its lease does not send: the worker that took the row over sends it, once', async () => {
    await enqueue('5000', '只发一次');
    // Worker a's reservation is granted, but the answer reaches it only once the test opens the
    // gate: as when its process is starved of CPU, or the budget's lock is contended, past the lease.
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    let reserved = false;
    const real = createSendBudgetStore(clients[0]!);
    const slow: SendBudgetPort = {
      ...real,
      reserve: async (...args) => {
        const granted = await real.reserve(...args);
        reserved = true;
        await gate;
        return granted;
      },
    };
    const a = newWorker(clients[0]!, slow);
    const b = newWorker(clients[1]!);
    const aDone = a.drain();
    await waitFor(() => reserved);
    clock.advance(61_000); // past a's 60 s lease
    await b.drain(); // recovers the row (its lease ran out), claims it and sends it
    expect(sender.textsTo('5000')).toEqual(['只发一次']);
    open();
    await aDone;
    expect(sender.attempts.map((s) => s.message.text)).toEqual(['只发一次']);
    const rows = await t.db.outboxMessage.findMany();
    expect(rows.map((r) => r.status)).toEqual(['sent']);
    // a gave its unused reservation back: the chat's next message need not wait for a's hold.
    const uses = await t.db.sendUse.findMany({ orderBy: { id: 'asc' } });
    expect(uses.map((u) => u.inFlight)).toEqual([false, false]);
  });

  it('a running worker held back by the others sleeps until the budget frees up (no busy loop)', async () => {
    for (let i = 0; i < 60; i++) await enqueue(String(3000 + i), `排队${i}`);
    await newWorker(clients[0]!).drain(); // 30 sent: the bot is full for this (pinned) second
    let views = 0;
    const real = createSendBudgetStore(clients[1]!);
    const counting: SendBudgetPort = { ...real, view: async (...args) => (views++, real.view(...args)) };
    const running = newWorker(clients[1]!, counting);
    await running.start();
    await new Promise((r) => setTimeout(r, 300));
    await running.stop();
    // It looked once, learnt the slots free up in a second of its clock, and slept.
    expect(views).toBeLessThanOrEqual(2);
    expect(sender.sent).toHaveLength(30);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
