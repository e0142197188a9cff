/**
 * A light per-address limit on creating web chat residents: enough that a script cannot fill
 * the person table, never in a real visitor's way. In memory, per process: a restart forgets.
 */
export interface WindowLimiter {
  /** Counts one attempt; false when the address has used up its window. */
  take(key: string): boolean;
}

export function createWindowLimiter(opts: { max: number; windowMs: number; clock?: () => number }): WindowLimiter {
  const now = opts.clock ?? Date.now;
  const hits = new Map<string, number[]>();
  return {
    take(key) {
      const t = now();
      const recent = (hits.get(key) ?? []).filter((at) => t - at < opts.windowMs);
      if (recent.length >= opts.max) {
        hits.set(key, recent);
        return false;
      }
      recent.push(t);
      hits.set(key, recent);
      // Forget idle addresses now and then, so the map cannot grow without end.
      if (hits.size > 10_000) for (const [k, v] of hits) if (!v.some((at) => t - at < opts.windowMs)) hits.delete(k);
      return true;
    },
  };
}
