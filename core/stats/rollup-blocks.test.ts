import { describe, expect, it } from 'vitest';
import { blockKey, blockKeysOf, coverKeys, epochDay, withBlocks } from './rollup-blocks.ts';

const DAY_MS = 86_400_000;
const dayAt = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

// The days a key stands for.
function daysOf(key: string): number[] {
  const m = /^b(\d+):(\d+)$/.exec(key);
  if (!m) return [epochDay(key)];
  const [size, index] = [Number(m[1]), Number(m[2])];
  return Array.from({ length: size }, (_, i) => index * size + i);
}

describe('rollup blocks', () => {
  it('cover every period of whole days exactly once, with few keys', () => {
    const start = epochDay('2025-12-01');
    for (let from = start; from < start + 70; from++)
      for (const length of [1, 3, 7, 30, 31, 90, 365]) {
        const keys = coverKeys(dayAt(from), dayAt(from + length));
        const days = keys.flatMap(daysOf);
        expect(days).toEqual(Array.from({ length }, (_, i) => from + i));
        if (length === 30) expect(keys.length).toBeLessThanOrEqual(12);
        if (length === 365) expect(keys.length).toBeLessThanOrEqual(23);
      }
  });

  it('sum a day under the blocks that contain it', () => {
    const day = '2026-10-05';
    const e = epochDay(day);
    expect(blockKeysOf(day)).toEqual([
      blockKey(4, Math.floor(e / 4)),
      blockKey(16, Math.floor(e / 16)),
      blockKey(64, Math.floor(e / 64)),
    ]);
    for (const key of blockKeysOf(day)) expect(daysOf(key)).toContain(e);
    expect(withBlocks([{ day, n: 1 }]).map((r) => r.day)).toEqual([day, ...blockKeysOf(day)]);
  });

  it('sort block keys after every day, so a range of days never reads one', () => {
    for (const key of blockKeysOf('2026-10-05')) expect(key > '9999-12-31').toBe(true);
  });
});
