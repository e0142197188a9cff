import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAlbumCollector } from './album-collector.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

describe('album collector', () => {
  it('hands over every part once the group has been quiet for the quiet period', async () => {
    const c = createAlbumCollector<string>({ quietMs: 800 });
    const album = c.add('g1', 'a')!;
    vi.advanceTimersByTime(500);
    expect(c.add('g1', 'b')).toBeNull();
    vi.advanceTimersByTime(500); // 1000 ms after the first part, but only 500 after the last
    expect(c.pending()).toBe(1);
    vi.advanceTimersByTime(300);
    expect(await album).toEqual(['a', 'b']);
    expect(c.pending()).toBe(0);
  });

  it('keeps groups apart, completes at ten items, and caps the wait', async () => {
    const c = createAlbumCollector<number>({ quietMs: 800, maxWaitMs: 2000 });
    const ten = c.add('ten', 0)!;
    for (let i = 1; i < 10; i++) c.add('ten', i);
    expect(await ten).toHaveLength(10);
    const slow = c.add('slow', 0)!;
    for (let i = 1; i < 5; i++) {
      vi.advanceTimersByTime(600);
      c.add('slow', i);
    }
    expect(await slow).toEqual([0, 1, 2, 3]); // the cap struck at 2000 ms; part 4 starts a new album
    expect(c.pending()).toBe(1);
  });

  it('flushes what is gathering on shutdown', async () => {
    const c = createAlbumCollector<string>();
    const album = c.add('g', 'x')!;
    c.flush();
    expect(await album).toEqual(['x']);
  });
});
