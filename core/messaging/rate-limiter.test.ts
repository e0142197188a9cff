import { describe, expect, it } from 'vitest';
import { createRateLimiter, isGroupChat } from './rate-limiter.ts';

function clockAt(start = 0) {
  let ms = start;
  return { now: () => new Date(ms), advance: (d: number) => (ms += d) };
}

/** A send that starts now and whose request ends at once. */
const sendNow = (rl: ReturnType<typeof createRateLimiter>, channel: string, chatId: string, cost = 1) =>
  rl.begin(channel, chatId, cost)();

describe('rate limiter', () => {
  it('keeps one private chat to one message a second, counted from the end of the last request', () => {
    const c = clockAt();
    const rl = createRateLimiter({ clock: c.now });
    expect(rl.waitMs('telegram', '42')).toBe(0);
    sendNow(rl, 'telegram', '42');
    expect(rl.waitMs('telegram', '42')).toBe(1_000);
    c.advance(400);
    expect(rl.waitMs('telegram', '42')).toBe(600);
    expect(rl.waitMs('telegram', '43')).toBe(0); // other chats are not held up
    expect(rl.heldChats('telegram')).toEqual(['42']);
    c.advance(600);
    expect(rl.waitMs('telegram', '42')).toBe(0);
    expect(rl.heldChats('telegram')).toEqual([]);
  });

  it('holds a WeCom member to one message every 2 s (WeCom allows 30 a minute per member)', () => {
    const c = clockAt();
    const rl = createRateLimiter({ clock: c.now });
    sendNow(rl, 'wecom', 'zhangsan');
    expect(rl.waitMs('wecom', 'zhangsan')).toBe(2_000);
    expect(rl.waitMs('wecom', 'lisi')).toBe(0);
    expect(rl.capacity('wecom')).toBe(99);
  });

  it('holds a chat while its request is in flight', () => {
    const c = clockAt();
    const rl = createRateLimiter({ clock: c.now });
    const done = rl.begin('telegram', '42');
    c.advance(5_000);
    expect(rl.waitMs('telegram', '42')).toBeGreaterThan(0);
    expect(rl.heldChats('telegram')).toEqual(['42']);
    done();
    expect(rl.waitMs('telegram', '42')).toBe(1_000);
  });

  it('allows 20 messages a minute to a group chat', () => {
    const c = clockAt();
    const rl = createRateLimiter({ clock: c.now });
    for (let i = 0; i < 20; i++) {
      expect(rl.waitMs('telegram', '-100123')).toBe(0);
      sendNow(rl, 'telegram', '-100123');
      c.advance(1_000);
    }
    // The first of the 20 ended at t=0; the 21st may go once it has left the minute window.
    expect(rl.waitMs('telegram', '-100123')).toBe(40_000);
    expect(rl.heldChats('telegram')).toEqual(['-100123']);
    c.advance(40_000);
    expect(rl.waitMs('telegram', '-100123')).toBe(0);
  });

  it('caps the channel at 30 a second overall', () => {
    const c = clockAt();
    const rl = createRateLimiter({ clock: c.now });
    expect(rl.capacity('telegram')).toBe(30);
    for (let i = 0; i < 30; i++) sendNow(rl, 'telegram', String(i));
    expect(rl.capacity('telegram')).toBe(0);
    expect(rl.waitMs('telegram', '999')).toBe(1_000);
    expect(rl.nextChangeMs('telegram')).toBe(1_000);
    c.advance(1_000);
    expect(rl.capacity('telegram')).toBe(30);
    expect(rl.waitMs('telegram', '999')).toBe(0);
  });

  // Issue 13.10: 31 sends arrived in one second. A send counted when it starts may reach the
  // server much later; the next second's sends, quick ones, then arrive in the same second.
  it('a slow request keeps its slot until a second after it ended, so no server-side second holds 31', () => {
    const c = clockAt();
    const rl = createRateLimiter({ clock: c.now });
    const slow = Array.from({ length: 30 }, (_, i) => rl.begin('telegram', String(i)));
    c.advance(1_000);
    expect(rl.capacity('telegram')).toBe(0); // still in flight: they may not have arrived yet
    c.advance(900);
    for (const done of slow) done(); // they arrived somewhere in [0, 1.9 s]
    expect(rl.capacity('telegram')).toBe(0);
    expect(rl.waitMs('telegram', '100')).toBe(1_000);
    c.advance(1_000);
    expect(rl.capacity('telegram')).toBe(30);
  });

  it('a message of several sends (photos) takes as many slots', () => {
    const c = clockAt();
    const rl = createRateLimiter({ clock: c.now });
    for (let i = 0; i < 9; i++) sendNow(rl, 'telegram', String(i), 3);
    expect(rl.capacity('telegram')).toBe(3);
    expect(rl.waitMs('telegram', 'a', 3)).toBe(0);
    expect(rl.waitMs('telegram', 'a', 4)).toBe(1_000);
    // A message larger than the whole limit still goes, alone.
    c.advance(1_000);
    expect(rl.waitMs('telegram', 'b', 45)).toBe(0);
  });

  it('is configurable per channel; channels without limits are never held', () => {
    const c = clockAt();
    const rl = createRateLimiter({ clock: c.now, limits: { wechat: { perChatIntervalMs: 3_000 } } });
    sendNow(rl, 'wechat', 'wxid_a');
    expect(rl.waitMs('wechat', 'wxid_a')).toBe(3_000);
    for (let i = 0; i < 100; i++) sendNow(rl, 'telegram', '1');
    expect(rl.waitMs('telegram', '1')).toBe(0);
    expect(rl.capacity('web')).toBe(Infinity);
    expect(rl.nextChangeMs('web')).toBeNull();
  });

  it('asking counts nothing', () => {
    const c = clockAt();
    const rl = createRateLimiter({ clock: c.now });
    sendNow(rl, 'telegram', '42');
    for (let i = 0; i < 5; i++) rl.waitMs('telegram', '42');
    c.advance(1_000);
    expect(rl.waitMs('telegram', '42')).toBe(0);
    expect(rl.capacity('telegram')).toBe(30);
  });

  it('recognises group chats', () => {
    expect(isGroupChat('-100200300')).toBe(true);
    expect(isGroupChat('123456')).toBe(false);
    expect(isGroupChat('12345678@chatroom')).toBe(true);
  });
});
