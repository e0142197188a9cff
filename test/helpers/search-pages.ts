import { expect } from 'vitest';
import type { Actor } from '../../core/case/case-types.ts';
import { listCases, listCasesAfter } from '../../db/case-queries.ts';
import { likePattern, SEARCH_TOTAL_CAP } from '../../db/case-text-search.ts';
import { OVERDUE_STATUSES } from '../../core/case/case-visibility-fns.ts';
import type { Db } from '../../db/prisma-client.ts';

/**
 * Pages 1, 2, 3, 10, 11, the last and one past it of `term`'s list as `actor` asks it, against
 * `all` (the numbers LIKE finds, in the list's order): the same cases, the capped total and its
 * lower-bound flag, nextCursor where more follow, and each of the first three pages' cursor going
 * on where the page ends.
 */
export async function expectPagesAsLike(db: Db, actor: Actor, term: string, all: string[], now: Date): Promise<void> {
  expect(all.length, term).toBeGreaterThan(SEARCH_TOTAL_CAP);
  const pages = Math.ceil(all.length / 20);
  for (const page of [1, 2, 3, 10, 11, pages, pages + 1]) {
    const p = await listCases(db, actor, { q: term, page, pageSize: 20 }, now);
    const reach = Math.max(SEARCH_TOTAL_CAP, page * 20);
    expect({ total: p.total, lowerBound: p.totalIsLowerBound }, `${term} page ${page}`).toEqual(
      all.length > reach ? { total: reach, lowerBound: true } : { total: all.length, lowerBound: false },
    );
    expect(
      p.items.map((c) => c.number),
      `${term} page ${page}`,
    ).toEqual(all.slice((page - 1) * 20, page * 20));
    expect(p.nextCursor === null, `${term} page ${page}`).toBe(page * 20 >= all.length);
    if (p.nextCursor && page <= 3) {
      const next = await listCasesAfter(db, actor, { q: term, page: 1, pageSize: 20 }, p.nextCursor, now);
      expect(
        next.items.map((c) => c.number),
        `${term} after page ${page}`,
      ).toEqual(all.slice(page * 20, page * 20 + 20));
    }
  }
}

/**
 * Every match of `term` as PostgreSQL's plain LIKE finds it, in the list's order (overdue first,
 * newest first): what expectPagesAsLike compares the list with. `lead`: only a team lead's cases
 * (the street's, and those the lead reported or follows).
 */
export async function likeMatchesPg(
  db: Db,
  term: string,
  now: Date,
  lead?: { streetId: number; personId: number },
): Promise<string[]> {
  const scope = lead
    ? `(c."streetId" = $3 OR c."reporterId" = $4 OR c."id" IN (SELECT "caseId" FROM "CaseSubscriber" WHERE "personId" = $4)) AND `
    : '';
  const rows = await db.$queryRawUnsafe<Array<{ number: string }>>(
    `SELECT c."number" AS "number" FROM "Case" c
    WHERE ${scope}(c."text" LIKE $1 ESCAPE '\\' OR c."number" LIKE $1 ESCAPE '\\' OR c."address" LIKE $1 ESCAPE '\\')
    ORDER BY COALESCE(c."status" IN (${OVERDUE_STATUSES.map((s) => `'${s}'`).join(', ')}) AND c."dueAt" < $2, FALSE) DESC,
      c."createdAt" DESC, c."id" DESC`,
    likePattern(term),
    now,
    ...(lead ? [lead.streetId, lead.personId] : []),
  );
  return rows.map((r) => r.number);
}
