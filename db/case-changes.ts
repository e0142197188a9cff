import type { Db } from './prisma-client.ts';

/**
 * A count of the case store's committed units on one database client, in this process: what
 * anonymous pages cache (the /public page's lists) is keyed by it, so a case closed, opened or
 * rated here shows at once. Other processes' changes show when the cache's short TTL ends.
 */
const counts = new WeakMap<Db, number>();

export function noteCaseChange(db: Db): void {
  counts.set(db, (counts.get(db) ?? 0) + 1);
}

export function caseChangeCount(db: Db): number {
  return counts.get(db) ?? 0;
}
