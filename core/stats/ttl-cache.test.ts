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
});
