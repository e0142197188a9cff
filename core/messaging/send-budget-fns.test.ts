import { describe, expect, it } from 'vitest';
import { createRateLimiter, DEFAULT_RATE_LIMITS, isGroupChat } from './rate-limiter.ts';
import { budgetView, budgetWaitMs, type BudgetUse } from './send-budget-fns.ts';

/** A small deterministic generator, so the sequence is the same on every run. */
function lcg(seed: number) {
  let s = seed;
  return (n: number) => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s % n;
  };
}

describe('shared send budget arithmetic', () => {
  // The shared budget must count exactly as the in-process limiter: same waits, same capacity,
  // same held chats, over a long random run of sends starting, ending late and overlapping.
  it.each(['telegram', 'wecom'])('agrees with the in-process limiter step by step (%s)', (channel) => {
    const limits = DEFAULT_RATE_LIMITS[channel]!;
    let now = 0;
    const limiter = createRateLimiter({ clock: () => new Date(now) });
    const uses: BudgetUse[] = [];
    const open: Array<{ use: BudgetUse; done: () => void }> = [];
    const chats = ['1', '2', '3', '4', '5', '-10', '-11'];
    const rnd = lcg(7);
    let granted = 0;
    for (let step = 0; step < 3_000; step++) {
      now += rnd(4) === 0 ? rnd(3_000) : rnd(60);
      while (open.length > 0 && rnd(3) === 0) {
        const { use, done } = open.splice(rnd(open.length), 1)[0]!;
        done();
        use.inFlight = false;
        use.endsAt = now;
      }
      const chatId = chats[rnd(chats.length)]!;
      const group = isGroupChat(chatId);
      const cost = rnd(5) === 0 ? 3 : 1;
      const wait = budgetWaitMs(uses, limits, chatId, group, cost, now);
      expect(wait).toBe(limiter.waitMs(channel, chatId, cost));
      const view = budgetView(uses, limits, now);
      expect(view.capacity).toBe(limiter.capacity(channel));
      expect(view.heldChats.sort()).toEqual(limiter.heldChats(channel).sort());
      if (wait === 0) {
        granted += 1;
        // In flight: held at most far ahead, as the store records it.
        const use: BudgetUse = { chatId, group, cost, endsAt: now + 3_600_000, inFlight: true };
        uses.push(use);
        open.push({ use, done: limiter.begin(channel, chatId, cost) });
      }
    }
    expect(granted).toBeGreaterThan(300);
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
