import { describe, expect, it } from 'vitest';
import { createBundledJurisdiction } from '../config/jurisdiction-data-file.ts';
import { replayMonth } from './fixtures/place-replay.ts';

const j = createBundledJurisdiction();

describe('replaying a month of corrections (synthetic, seed 18)', () => {
  const result = replayMonth(j, { seed: 18 });

  it('raises street accuracy on held-out reports it has not seen', () => {
    expect(result.corrections).toBeGreaterThan(0);
    expect(result.after.all).toBeGreaterThan(result.before.all + 0.2);
  });

  it('learns both from compound names and from confirmed points', () => {
    expect(result.after.textOnly).toBeGreaterThan(result.before.textOnly + 0.5);
    expect(result.after.pinOnly).toBeGreaterThan(result.before.pinOnly + 0.1);
  });

  it('is deterministic for a seed', () => {
    expect(replayMonth(j, { seed: 18 })).toEqual(result);
  });
});
