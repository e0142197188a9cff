import { describe, expect, it } from 'vitest';
import { createFakeClock } from '../../test/helpers/fake-clock.ts';
import { createCircuitBreaker } from './llm-breaker.ts';
import { cacheKey } from './llm-cache.ts';
import { createLruCache } from './lru-cache.ts';

describe('circuit breaker', () => {
  it('opens after N consecutive failures, lets one probe through after the pause, closes on success', () => {
    const clock = createFakeClock();
    const b = createCircuitBreaker({ failures: 3, openMs: 10_000, clock: clock.now });
    b.failure();
    b.success();
    expect([b.failure(), b.failure()]).toEqual([false, false]);
    expect(b.allow()).toBe(true);
    expect(b.failure()).toBe(true);
    expect([b.state(), b.allow()]).toEqual(['open', false]);
    clock.advanceSeconds(10);
    expect(b.state()).toBe('half_open');
    expect([b.allow(), b.allow()]).toEqual([true, false]);
    b.success();
    expect([b.state(), b.allow()]).toEqual(['closed', true]);
  });

  it('a failed probe opens it again for another pause', () => {
    const clock = createFakeClock();
    const b = createCircuitBreaker({ failures: 1, openMs: 5_000, clock: clock.now });
    b.failure();
    clock.advanceSeconds(5);
    expect(b.allow()).toBe(true);
    expect(b.failure()).toBe(true);
    clock.advanceSeconds(4);
    expect(b.allow()).toBe(false);
    clock.advanceSeconds(1);
    expect(b.allow()).toBe(true);
  });
});

describe('cache', () => {
  it('evicts the least recently used entry beyond its size', () => {
    const c = createLruCache<number>(2);
    c.set('a', 1);
    c.set('b', 2);
    c.get('a');
    c.set('c', 3);
    expect([c.get('a'), c.get('b'), c.get('c'), c.size]).toEqual([1, undefined, 3, 2]);
  });

  it('keys by normalised text and candidate set, never the text itself', () => {
    const k = cacheKey('门口  有人摆摊 ', ['SR-001', 'HW-003'], 'm');
    expect(cacheKey('门口 有人摆摊', ['HW-003', 'SR-001'], 'm')).toBe(k);
    expect(cacheKey('门口 有人摆摊', ['HW-003'], 'm')).not.toBe(k);
    expect(cacheKey('门口 有人摆摊', ['HW-003', 'SR-001'], 'other')).not.toBe(k);
    expect(k).toMatch(/^[0-9a-f]{64}$/);
  });
});
