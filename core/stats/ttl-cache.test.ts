import { describe, expect, it } from 'vitest';
import { createTtlCache } from './ttl-cache.ts';

describe('createTtlCache', () => {
  it('computes once within the time limit and again after it', async () => {
    let now = 0;
    let calls = 0;
    const cache = createTtlCache<number>({ ttlMs: 1000, max: 10, clock: () => now });
    const compute = async () => ++calls;
    expect(await cache.get('a', compute)).toBe(1);
    now = 999;
    expect(await cache.get('a', compute)).toBe(1);
    now = 1000;
    expect(await cache.get('a', compute)).toBe(2);
    expect(await cache.get('b', compute)).toBe(3);
  });

  it('shares one computation between concurrent callers', async () => {
    let calls = 0;
    const cache = createTtlCache<number>({ ttlMs: 1000, max: 10 });
    const slow = () => new Promise<number>((resolve) => setTimeout(() => resolve(++calls), 10));
    expect(await Promise.all([cache.get('k', slow), cache.get('k', slow)])).toEqual([1, 1]);
  });

  it('does not keep failures and stays within its size', async () => {
    const cache = createTtlCache<number>({ ttlMs: 1000, max: 2 });
    await expect(cache.get('x', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await Promise.resolve();
    expect(await cache.get('x', async () => 7)).toBe(7);
    await cache.get('y', async () => 1);
    await cache.get('z', async () => 1);
    expect(cache.size).toBe(2);
  });

  it('refreshes ahead: past refreshAfterMs the kept value is answered while one new computation runs, and replaces it', async () => {
    let now = 0;
    let calls = 0;
    const gates: Array<(v: number) => void> = [];
    const compute = () => {
      calls += 1;
      return new Promise<number>((resolve) => gates.push(resolve));
    };
    const cache = createTtlCache<number>({ ttlMs: 1000, refreshAfterMs: 600, max: 10, clock: () => now });
    const first = cache.get('k', compute);
    gates.shift()!(1);
    expect(await first).toBe(1);
    now = 700;
    // Nobody waits for the refresh: the kept value answers, one computation starts.
    expect(await cache.get('k', compute)).toBe(1);
    expect(await cache.get('k', compute)).toBe(1);
    expect(calls).toBe(2);
    gates.shift()!(2);
    await Promise.resolve();
    await Promise.resolve();
    expect(await cache.get('k', compute)).toBe(2);
    // The new value counts its age from when its computation started (700): fresh until 1300.
    now = 1250;
    expect(await cache.get('k', compute)).toBe(2);
    expect(calls).toBe(2);
    // Never older than ttlMs: past it, a caller waits for the running refresh rather than take the old value.
    now = 1400;
    const refreshing = cache.get('k', compute);
    expect(calls).toBe(3);
    now = 1800;
    const late = cache.get('k', compute);
    expect(calls).toBe(3);
    gates.shift()!(3);
    expect(await late).toBe(3);
    expect(await refreshing).toBe(2);
  });

  it('keeps the old value when a refresh fails, and tries again on the next call', async () => {
    let now = 0;
    const cache = createTtlCache<number>({ ttlMs: 1000, refreshAfterMs: 600, max: 10, clock: () => now });
    expect(await cache.get('k', async () => 1)).toBe(1);
    now = 700;
    expect(await cache.get('k', () => Promise.reject(new Error('down')))).toBe(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(await cache.get('k', async () => 5)).toBe(1);
    await new Promise((r) => setTimeout(r, 0));
    expect(await cache.get('k', async () => 6)).toBe(5);
  });
});
