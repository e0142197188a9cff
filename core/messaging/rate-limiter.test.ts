import { describe, expect, it } from 'vitest';
import { createRateLimiter, isGroupChat } from './rate-limiter.ts';

function clockAt(start = 0) {
  let ms = start;
  return { now: () => new Date(ms), advance: (d: number) => (ms += d) };
}

describe('rate limiter', () => {
  it('keeps one private chat to one message a second', () => {
    const c = clockAt();
    const rl = createRateLimiter({ clock: c.now });
    expect(rl.acquire('telegram', '42')).toBe(0);
    expect(rl.acquire('telegram', '42')).toBe(1_000);
    c.advance(400);
    expect(rl.acquire('telegram', '42')).toBe(600);
    expect(rl.acquire('telegram', '43')).toBe(0); // other chats are not held up
    c.advance(600);
    expect(rl.acquire('telegram', '42')).toBe(0);
  });

  it('allows 20 messages a minute to a group chat', () => {
    const c = clockAt();
    const rl = createRateLimiter({ clock: c.now });
    for (let i = 0; i < 20; i++) {
      expect(rl.acquire('telegram', '-100123')).toBe(0);
      c.advance(1_000);
    }
    // The first of the 20 went at t=0; the 21st may go once it has left the minute window.
    expect(rl.acquire('telegram', '-100123')).toBe(40_000);
    c.advance(40_000);
    expect(rl.acquire('telegram', '-100123')).toBe(0);
  });

  it('caps the channel at 30 a second overall', () => {
    const c = clockAt();
    const rl = createRateLimiter({ clock: c.now });
    for (let i = 0; i < 30; i++) expect(rl.acquire('telegram', String(i))).toBe(0);
    expect(rl.acquire('telegram', '999')).toBe(1_000);
    c.advance(1_000);
    expect(rl.acquire('telegram', '999')).toBe(0);
  });

  it('is configurable per channel; channels without limits are never held', () => {
    const c = clockAt();
    const rl = createRateLimiter({ clock: c.now, limits: { wechat: { perChatIntervalMs: 3_000 } } });
    expect(rl.acquire('wechat', 'wxid_a')).toBe(0);
    expect(rl.acquire('wechat', 'wxid_a')).toBe(3_000);
    for (let i = 0; i < 100; i++) expect(rl.acquire('telegram', '1')).toBe(0);
    expect(rl.acquire('web', 's1')).toBe(0);
  });

  it('a refused request is not counted', () => {
    const c = clockAt();
    const rl = createRateLimiter({ clock: c.now });
    rl.acquire('telegram', '42');
    for (let i = 0; i < 5; i++) rl.acquire('telegram', '42');
    c.advance(1_000);
    expect(rl.acquire('telegram', '42')).toBe(0);
  });

  it('recognises group chats', () => {
    expect(isGroupChat('-100200300')).toBe(true);
    expect(isGroupChat('123456')).toBe(false);
    expect(isGroupChat('12345678@chatroom')).toBe(true);
  });
});
