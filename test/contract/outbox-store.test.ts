import { expect, it } from 'vitest';
import { OUTBOX_PRIORITY } from '../../core/messaging/outbox-port.ts';
import { createOutboxStore } from '../../db/outbox-store.ts';
import { createPrismaClient } from '../../db/prisma-client.ts';
import { forEachEngine } from './engines.ts';

const T0 = new Date('2026-03-02T01:00:00.000Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);

forEachEngine((t) => {
  const row = (key: string, chatId: string, text: string, extra: object = {}) => ({
    dedupeKey: key,
    channel: 'telegram',
    chatId,
    message: { text },
    ...extra,
  });

  it('enqueues once per key, and claims in priority order, one chat strictly in order', async () => {
    const store = createOutboxStore(t().db, { clock: () => T0 });
    expect(await store.enqueueNow([row('a1', 'A', 'A1'), row('a2', 'A', 'A2')])).toBe(2);
    expect(await store.enqueueNow([row('a1', 'A', '重复')])).toBe(0);
    await store.enqueueNow([row('b1', 'B', 'B1', { priority: OUTBOX_PRIORITY.bulk })]);
    await store.enqueueNow([row('c1', 'C', 'C1', { priority: OUTBOX_PRIORITY.reply })]);
    await store.enqueueNow([row('d1', 'D', 'later', { notBefore: at(60) })]);
    const claimed = await store.claimDue(T0, 10);
    expect(claimed.map((c) => c.message.text)).toEqual(['C1', 'A1', 'B1']);
    expect(claimed[0]!.leaseUntil.getTime()).toBeGreaterThan(T0.getTime());
    expect(await store.claimDue(T0, 10)).toEqual([]); // A2 waits behind A1, still sending
    await store.markSent(claimed[1]!.id, T0);
    expect((await store.claimDue(T0, 10)).map((c) => c.message.text)).toEqual(['A2']);
    expect((await store.claimDue(at(60), 10)).map((c) => c.message.text)).toEqual(['later']);
    expect(await store.countByStatus()).toEqual({ sending: 4, sent: 1 });
  });

  it('claims within a send budget (photos count), skips held chats, and filters by channel', async () => {
    const store = createOutboxStore(t().db, { clock: () => T0 });
    await store.enqueueNow([
      row('p1', 'P1', '三张照片', { message: { text: '三张照片', photoAttachmentIds: [1, 2, 3] } }),
      row('p2', 'P2', '一条'),
      row('p3', 'P3', '被限流'),
      { ...row('w1', 'W1', '微信'), channel: 'wechat' },
    ]);
    const firstTwo = await store.claimDue(T0, 10, { channel: 'telegram', maxCost: 5, skipChats: ['P3'] });
    expect(firstTwo.map((c) => c.chatId)).toEqual(['P1', 'P2']); // 4 + 1 sends
    expect((await store.claimDue(T0, 10, { otherThan: ['telegram'] })).map((c) => c.chatId)).toEqual(['W1']);
  });

  it('a claim past its lease goes back to the queue; the stalled owner can no longer finish it', async () => {
    const store = createOutboxStore(t().db, { clock: () => T0, leaseMs: 60_000 });
    await store.enqueueNow([row('l1', 'L', 'lease')]);
    const [claim] = await store.claimDue(T0, 1);
    expect(await store.recoverStale(at(30))).toBe(0);
    expect(await store.recoverStale(at(61))).toBe(1);
    const [again] = await store.claimDue(at(61), 1);
    expect(again).toMatchObject({ id: claim!.id, attempts: 1 });
    expect(await store.markRetry(claim!, at(90), 'late failure')).toBe(false);
    expect(await store.markDead(again!, 'gave up')).toBe(true);
    expect(await store.requeueDead()).toBe(1);
  });

  it('renew extends a claim still held, in one statement for the batch, and refuses one taken over', async () => {
    await t().db.outboxMessage.deleteMany(); // what earlier tests left
    const store = createOutboxStore(t().db, { clock: () => T0, leaseMs: 60_000 });
    await store.enqueueNow([row('r1', 'R1', 'one'), row('r2', 'R2', 'two')]);
    const claims = await store.claimDue(T0, 2);
    const renewed = await store.renew(claims, at(100));
    expect(renewed.map((c) => [c.message.text, c.leaseUntil.toISOString()])).toEqual([
      ['one', at(100).toISOString()],
      ['two', at(100).toISOString()],
    ]);
    expect(await store.recoverStale(at(61))).toBe(0); // the renewed lease holds
    // The old lease is no longer the token: a worker that kept it holds nothing.
    expect(await store.renew(claims, at(200))).toEqual([]);
    expect(await store.recoverStale(at(101))).toBe(2);
    const [again] = await store.claimDue(at(101), 1);
    // Both went back to the queue, r1 is claimed again: the old claims hold neither, the new one holds r1.
    expect(await store.renew(renewed, at(300))).toEqual([]);
    expect(await store.renew([again!], at(300))).toHaveLength(1);
  });

  // On PostgreSQL three clients with pools of their own, as three processes would be; SQLite
  // serves one process (a second one in this process would block its event loop waiting for a
  // lock), so there the three claimers share one client.
  it('three claimers at once never take the same message, and take them all', async () => {
    await t().db.outboxMessage.deleteMany(); // what earlier tests left
    const store = createOutboxStore(t().db, { clock: () => T0 });
    const rows = Array.from({ length: 60 }, (_, i) => row(`m${i}`, `chat${i % 20}`, `消息${i}`));
    await store.enqueueNow(rows);
    const others =
      t().engine === 'postgres'
        ? [await createPrismaClient(t().url), await createPrismaClient(t().url)]
        : [t().db, t().db];
    try {
      const stores = [store, ...others.map((db) => createOutboxStore(db, { clock: () => T0 }))];
      const taken: string[] = [];
      await Promise.all(
        stores.map(async (s) => {
          for (let round = 0; round < 40; round++) {
            const claimed = await s.claimDue(T0, 4);
            for (const c of claimed) {
              taken.push(c.dedupeKey);
              await s.markSent(c.id, T0);
            }
          }
        }),
      );
      expect(taken.length).toBe(new Set(taken).size);
      expect(taken.sort()).toEqual(rows.map((r) => r.dedupeKey).sort());
    } finally {
      if (t().engine === 'postgres') await Promise.all(others.map((db) => db.$disconnect()));
    }
  });
});
