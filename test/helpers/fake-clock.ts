/** A clock tests move by hand. `now` is bound, so pass `clock.now` wherever a `() => Date` is wanted. */
export interface FakeClock {
  now: () => Date;
  set(at: Date | string): void;
  advance(ms: number): Date;
  advanceSeconds(s: number): Date;
  advanceMinutes(m: number): Date;
  advanceHours(h: number): Date;
  advanceDays(d: number): Date;
}

export function createFakeClock(start: Date | string = '2026-03-02T01:00:00.000Z'): FakeClock {
  let ms = new Date(start).getTime();
  const advance = (delta: number): Date => {
    ms += delta;
    return new Date(ms);
  };
  return {
    now: () => new Date(ms),
    set(at) {
      ms = new Date(at).getTime();
    },
    advance,
    advanceSeconds: (s) => advance(s * 1_000),
    advanceMinutes: (m) => advance(m * 60_000),
    advanceHours: (h) => advance(h * 3_600_000),
    advanceDays: (d) => advance(d * 86_400_000),
  };
}
