import { describe, expect, it } from 'vitest';
import { createRateLimiter, DEFAULT_RATE_LIMITS, isGroupChat } from './rate-limiter.ts';
import { budgetView, budgetWaitMs, type BudgetUse } from './send-budget-fns.ts';

/** A small deterministic generator, so the sequence is the same on every run. */
function lcg(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return Math.floor((s / 2 ** 31) * n); // the high bits: an LCG's low bits cycle
  };
}

describe('shared send budget arithmetic', () => {
  // The shared budget must count exactly as the in-process limiter: same waits, same capacity,
  // same held chats, over a long random run of sends starting, ending late and overlapping.
  it.each([
    ['telegram', DEFAULT_RATE_LIMITS.telegram!],
    ['wecom', DEFAULT_RATE_LIMITS.wecom!],
    // A small global limit, so the per-second window fills too.
    ['tight', { perChatIntervalMs: 200, groupPerMinute: 20, globalPerSecond: 5 }],
  ])('agrees with the in-process limiter step by step (%s)', (channel, limits) => {
    let now = 0;
    const limiter = createRateLimiter({ clock: () => new Date(now), limits: { [channel]: limits } });
    const uses: BudgetUse[] = [];
    const open: Array<{ use: BudgetUse; done: () => void }> = [];
    // Few chats, half of them groups, so groups fill their minute too.
    const chats = ['1', '2', '3', '-10', '-11', '-12'];
    const rnd = lcg(7);
    let granted = 0;
    let groupFull = 0; // waits longer than the chat interval: a full group minute or a full second
    for (let step = 0; step < 3_000; step++) {
      now += rnd(8) === 0 ? rnd(3_000) : rnd(8) === 0 ? rnd(400) : rnd(40);
      // Each send in flight ends now or later, in any order.
      for (let i = open.length - 1; i >= 0; i--) {
        if (rnd(2) === 0) continue;
        const { use, done } = open.splice(i, 1)[0]!;
        done();
        use.inFlight = false;
        use.endsAt = now;
      }
      const chatId = chats[rnd(chats.length)]!;
      const group = isGroupChat(chatId);
      const cost = rnd(5) === 0 ? 3 : 1;
      const wait = budgetWaitMs(uses, limits, chatId, group, cost, now);
      if (wait > (limits.perChatIntervalMs ?? 0)) groupFull += 1;
      expect(wait).toBe(limiter.waitMs(channel, chatId, cost));
      const view = budgetView(uses, limits, now);
      expect(view.capacity).toBe(limiter.capacity(channel));
      // (The limiter names a group held both ways twice; the claim does not mind.)
      expect(view.heldChats.sort()).toEqual([...new Set(limiter.heldChats(channel))].sort());
      if (wait === 0) {
        granted += 1;
        // In flight: held at most far ahead, as the store records it.
        const use: BudgetUse = { chatId, group, cost, endsAt: now + 3_600_000, inFlight: true };
        uses.push(use);
        open.push({ use, done: limiter.begin(channel, chatId, cost) });
      }
    }
    expect(granted).toBeGreaterThan(300);
    if (limits.groupPerMinute !== undefined) expect(groupFull).toBeGreaterThan(10);
  });

  it('a send held past its hold time (its process died) counts as ended then', () => {
    const l = DEFAULT_RATE_LIMITS.telegram!;
    const uses: BudgetUse[] = [{ chatId: '1', group: false, cost: 1, endsAt: 5_000, inFlight: true }];
    expect(budgetWaitMs(uses, l, '1', false, 1, 4_000)).toBe(1_000); // in flight
    expect(budgetWaitMs(uses, l, '1', false, 1, 5_400)).toBe(600);
    expect(budgetView(uses, l, 5_400)).toEqual({ capacity: 29, heldChats: ['1'], nextChangeMs: 600 });
    expect(budgetView(uses, l, 6_000)).toEqual({ capacity: 30, heldChats: [], nextChangeMs: null });
  });
});
