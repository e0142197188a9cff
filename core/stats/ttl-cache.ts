/**
 * A small time-limited memo for statistics. Aggregating a month of a district's cases costs
 * tens of milliseconds of SQLite work; dashboards and the public page ask for the same figures
 * again and again, and an unauthenticated endpoint must not let a request flood turn into a
 * flood of aggregations. Concurrent callers for the same key share one computation; a failed
 * computation is not kept. Figures may lag the database by at most `ttlMs`.
 *
 * `refreshAfterMs` (below ttlMs): a value older than that is still answered, and one new
 * computation starts behind it and replaces it when done, so callers of a key asked all the time
 * never wait for it to be computed again (the whole days of the statistics: a 300 ms statement
 * on PostgreSQL at 1M cases, which 16 clients all waited for every 30 s). A value is never
 * answered once older than ttlMs: a caller then waits for the running computation.
 */
export interface TtlCache<T> {
  get(key: string, compute: () => Promise<T>): Promise<T>;
  clear(): void;
  readonly size: number;
}

interface Entry<T> {
  at: number;
  value: Promise<T>;
  /** The computation started to replace this value (refreshAfterMs), while it runs. */
  next?: Promise<T>;
}

export function createTtlCache<T>(opts: {
  ttlMs: number;
  max: number;
  clock?: () => number;
  refreshAfterMs?: number;
}): TtlCache<T> {
  const clock = opts.clock ?? Date.now;
  const refreshAfter = Math.min(opts.refreshAfterMs ?? opts.ttlMs, opts.ttlMs);
  const entries = new Map<string, Entry<T>>();

  const refresh = (key: string, entry: Entry<T>, now: number, compute: () => Promise<T>): Promise<T> => {
    const next = compute();
    entry.next = next;
    next.then(
      () => {
        if (entries.get(key) === entry) entries.set(key, { at: now, value: next });
      },
      () => {
        if (entry.next === next) delete entry.next;
      },
    );
    return next;
  };

  return {
    get(key, compute) {
      const now = clock();
      const hit = entries.get(key);
      if (hit) {
        const age = now - hit.at;
        if (age < refreshAfter) return hit.value;
        if (age < opts.ttlMs) {
          if (!hit.next) refresh(key, hit, now, compute);
          return hit.value;
        }
        if (hit.next) return hit.next;
      }
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
