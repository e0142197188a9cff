import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPassiveSlots } from './mp-passive.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('passive reply slots', () => {
  it('hands the next text to the waiting callback, once', async () => {
    const slots = createPassiveSlots();
    expect(slots.offer('o', 'nobody waits')).toBe(false);
    const slot = slots.open('o', 4000);
    expect(slots.offer('o', '您好')).toBe(true);
    expect(slots.offer('o', '第二条')).toBe(false); // one passive reply per message; the rest by API
    await expect(slot.reply).resolves.toBe('您好');
  });

  it('closes on time or when cancelled, so a later text goes by the API instead of being lost', async () => {
    const slots = createPassiveSlots();
    const late = slots.open('o', 4000);
    vi.advanceTimersByTime(4000);
    await expect(late.reply).resolves.toBeNull();
    expect(slots.offer('o', '迟到')).toBe(false);

    const failed = slots.open('o', 4000);
    failed.cancel();
    await expect(failed.reply).resolves.toBeNull();
    expect(slots.offer('o', '出错后')).toBe(false);
  });

  it('stops waiting when something that cannot go passively is next for the follower', async () => {
    const slots = createPassiveSlots();
    const slot = slots.open('o', 4000);
    slots.decline('o');
    await expect(slot.reply).resolves.toBeNull();
  });
});
