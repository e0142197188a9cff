import { expect, it } from 'vitest';
import { DEFAULT_RATE_LIMITS } from '../../core/messaging/rate-limiter.ts';
import type { SendRequest } from '../../core/messaging/send-budget-port.ts';
import { createPrismaClient } from '../../db/prisma-client.ts';
import { createSendBudgetStore } from '../../db/send-budget-store.ts';
import { forEachEngine } from './engines.ts';

const T0 = new Date('2026-03-02T01:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);
const telegram = DEFAULT_RATE_LIMITS.telegram!;
const req = (chatId: string, extra: Partial<SendRequest> = {}): SendRequest => ({
  chatId,
  group: chatId.startsWith('-'),
  cost: 1,
  holdUntil: at(60_000),
  ...extra,
});

forEachEngine((t) => {
  const fresh = async () => {
    await t().db.sendUse.deleteMany();
    return createSendBudgetStore(t().db);
  };

  it('one chat: nothing more while a send is in flight, then one interval after it ended', async () => {
    const budget = await fresh();
    const [first, second] = await budget.reserve('telegram', telegram, [req('100'), req('100')], T0);
    expect(first).toMatchObject({ granted: true });
    expect(second).toEqual({ granted: false, waitMs: 1_000 });
    expect((await budget.view('telegram', telegram, at(300))).heldChats).toEqual(['100']);
    await budget.finish((first as { useId: number }).useId, at(300));
    expect(await budget.reserve('telegram', telegram, [req('100')], at(1_299))).toEqual([
      { granted: false, waitMs: 1 },
    ]);
    expect(await budget.reserve('telegram', telegram, [req('100')], at(1_300))).toMatchObject([{ granted: true }]);
  });

  it('the bot: 30 sends a second (a photo counts one more), each held until a second after it ended', async () => {
    const budget = await fresh();
    const requests = [req('p', { cost: 3 }), ...Array.from({ length: 30 }, (_, i) => req(String(200 + i)))];
    const got = await budget.reserve('telegram', telegram, requests, T0);
    expect(got.filter((r) => r.granted)).toHaveLength(28); // 3 + 27 = 30
    expect(got.at(-1)).toEqual({ granted: false, waitMs: 1_000 }); // in flight: taken to end now
    for (const r of got) if (r.granted) await budget.finish(r.useId, at(200));
    expect(await budget.view('telegram', telegram, at(500))).toMatchObject({ capacity: 0, nextChangeMs: 700 });
    expect((await budget.reserve('telegram', telegram, [req('999')], at(500)))[0]).toEqual({
      granted: false,
      waitMs: 700,
    });
    expect((await budget.view('telegram', telegram, at(1_200))).capacity).toBe(30);
  });

  it('a group chat: 20 a minute', async () => {
    const budget = await fresh();
    for (let s = 0; s < 20; s++) {
      const [r] = await budget.reserve('telegram', telegram, [req('-500')], at(s * 1_000));
      expect(r).toMatchObject({ granted: true });
      await budget.finish((r as { useId: number }).useId, at(s * 1_000));
    }
    expect(await budget.reserve('telegram', telegram, [req('-500')], at(20_000))).toEqual([
      { granted: false, waitMs: 40_000 },
    ]);
    expect((await budget.view('telegram', telegram, at(20_000))).heldChats).toEqual(['-500']);
    expect(await budget.reserve('telegram', telegram, [req('-500')], at(60_000))).toMatchObject([{ granted: true }]);
  });

  it('a send whose process died counts until its hold time, then as ended then; old rows are purged', async () => {
    const budget = await fresh();
    await budget.reserve('telegram', telegram, [req('700', { holdUntil: at(10_000) })], T0);
    expect(await budget.reserve('telegram', telegram, [req('700')], at(9_000))).toEqual([
      { granted: false, waitMs: 1_000 },
    ]);
    expect(await budget.reserve('telegram', telegram, [req('700')], at(10_500))).toEqual([
      { granted: false, waitMs: 500 },
    ]);
    expect(await budget.reserve('telegram', telegram, [req('700')], at(11_000))).toMatchObject([{ granted: true }]);
    await budget.reserve('telegram', telegram, [req('701')], at(200_000)); // purges what no window counts
    expect(await t().db.sendUse.count()).toBe(1);
  });

  // On PostgreSQL three clients with pools of their own, as three processes; SQLite serves one
  // process, so there the three share one client.
  it('three processes reserving at once never grant more than the limit between them', async () => {
    await fresh();
    const others =
      t().engine === 'postgres'
        ? [await createPrismaClient(t().url), await createPrismaClient(t().url)]
        : [t().db, t().db];
    try {
      const budgets = [t().db, ...others].map((db) => createSendBudgetStore(db));
      const results = await Promise.all(
        budgets.map((b, p) =>
          Promise.all(
            Array.from({ length: 5 }, (_, i) =>
              b.reserve(
                'telegram',
                telegram,
                // Every process also tries chat "shared" once: one of them gets it.
                [req('shared'), ...Array.from({ length: 4 }, (_, k) => req(`${p}-${i}-${k}`))],
                T0,
              ),
            ),
          ),
        ),
      );
      const granted = results.flat(2).filter((r) => r.granted);
      expect(granted).toHaveLength(30);
      expect(await t().db.sendUse.count({ where: { chatId: 'shared' } })).toBe(1);
    } finally {
      if (t().engine === 'postgres') await Promise.all(others.map((db) => db.$disconnect()));
    }
  });
});
