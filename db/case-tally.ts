import type { SqlTx } from './sql-connection.ts';

/**
 * "CaseTally": how many cases there are per street, department, status, handling level and
 * post. At 1,000,000 cases a COUNT(*) over the case list's scope costs ~100 ms of SQLite work
 * per request (the public page's count of published cases ~80 ms), so with 16 clients on two
 * reader threads the list waited about a second; a sum over the tally's few thousand rows
 * costs well under a millisecond. The case store keeps it in the unit of work that changes a
 * case, as it keeps the statistics rollups; `rebuildCaseTally` recounts it for a database
 * written around the store (the benchmark's seeder, `npm run stats:rebuild`).
 */

/** A case's place in the tally; absent values are 0 or '' (a key treats NULLs as distinct). */
export interface TallyKey {
  streetId: number;
  departmentId: number;
  status: string;
  handling: string;
  post: string;
}

/** The case columns the tally is keyed by. */
export const TALLY_COLUMNS = ['streetId', 'departmentId', 'status', 'handling', 'post'] as const;

const KEY_SELECT = `SELECT "streetId", "departmentId", "status", "handling", "post" FROM "Case" WHERE "id" = ?`;

const ADD = `INSERT INTO "CaseTally" ("streetId", "departmentId", "status", "handling", "post", "n") VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT ("streetId", "departmentId", "status", "handling", "post") DO UPDATE SET "n" = "CaseTally"."n" + excluded."n"`;

export function tallyKeyOf(c: {
  streetId: number | null;
  departmentId: number | null;
  status: string;
  handling: string | null;
  post: string | null;
}): TallyKey {
  return {
    streetId: c.streetId === null ? 0 : Number(c.streetId),
    departmentId: c.departmentId === null ? 0 : Number(c.departmentId),
    status: c.status,
    handling: c.handling ?? '',
    post: c.post ?? '',
  };
}

const sameKey = (a: TallyKey, b: TallyKey) => TALLY_COLUMNS.every((k) => a[k] === b[k]);
const keyText = (k: TallyKey) => TALLY_COLUMNS.map((c) => k[c]).join('\u0001');

/** The case's key as stored now (null: no such case). */
export async function tallyKeyOfCase(tx: SqlTx, caseId: number): Promise<TallyKey | null> {
  const r = await tx.get<Parameters<typeof tallyKeyOf>[0]>(KEY_SELECT, caseId);
  return r ? tallyKeyOf(r) : null;
}

/**
 * A case moved from `before` (null: it is new) to `after` (null: it is gone). The lower key is
 * written first, so two units moving cases between the same two keys in opposite directions
 * take PostgreSQL's row locks in the same order and cannot deadlock.
 */
export async function tallyCaseChange(tx: SqlTx, before: TallyKey | null, after: TallyKey | null): Promise<void> {
  if (before && after && sameKey(before, after)) return;
  const writes = [...(before ? [{ key: before, n: -1 }] : []), ...(after ? [{ key: after, n: 1 }] : [])].sort((a, b) =>
    keyText(a.key) < keyText(b.key) ? -1 : 1,
  );
  for (const w of writes) await tx.run(ADD, ...TALLY_COLUMNS.map((c) => w.key[c]), w.n);
}

/** Recounts the tally from the cases, in the caller's unit of work (readers see the old or the new). */
export async function rebuildCaseTally(tx: SqlTx): Promise<{ rows: number }> {
  await tx.run('DELETE FROM "CaseTally"');
  const { changes } = await tx.run(
    `INSERT INTO "CaseTally" ("streetId", "departmentId", "status", "handling", "post", "n")
     SELECT COALESCE("streetId", 0), COALESCE("departmentId", 0), "status", COALESCE("handling", ''), COALESCE("post", ''), COUNT(*)
     FROM "Case" GROUP BY COALESCE("streetId", 0), COALESCE("departmentId", 0), "status", COALESCE("handling", ''), COALESCE("post", '')`,
  );
  return { rows: changes };
}
