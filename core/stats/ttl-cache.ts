/**
 * A small time-limited memo for statistics. Aggregating a month of a district's cases costs
 * tens of milliseconds of SQLite work; dashboards and the public page ask for the same figures
 * again and again, and an unauthenticated endpoint must not let a request flood turn into a
 * flood of aggregations. Concurrent callers for the same key share one computation; a failed
 * computation is not kept. Figures may lag the database by at most `ttlMs`.
 */
export interface TtlCache<T> {
  get(key: string, compute: () => Promise<T>): Promise<T>;
  clear(): void;
  readonly size: number;
}

export function createTtlCache<T>(opts: { ttlMs: number; max: number; clock?: () => number }): TtlCache<T> {
  const clock = opts.clock ?? Date.now;
  const entries = new Map<string, { at: number; value: Promise<T> }>();
  return {
    get(key, compute) {
      const now = clock();
      const hit = entries.get(key);
      if (hit && now - hit.at < opts.ttlMs) return hit.value;
      entries.delete(key);
      const value = compute();
      entries.set(key, { at: now, value });
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      // Map keeps insertion order: the first key is the oldest.
      while (entries.size > opts.max) entries.delete(entries.keys().next().value!);
      return value;
    },
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
  };
}
