import type { SqlTx } from './sql-connection.ts';

const ids = (tx: SqlTx, sql: string, ...params: number[]) => tx.all<{ id: number }>(sql, ...params).map((p) => p.id);

export const districtAdminIds = (tx: SqlTx): number[] =>
  ids(tx, `SELECT "id" FROM "Person" WHERE "role" = 'district_admin' AND "active" = 1 ORDER BY "id"`);

/**
 * Who holds a case at a handling level: the street's team leads, the department's liaisons, or
 * the district bureau. Nobody bound for that street or department yet: the bureau must still
 * hear of it. Used by the case store (dispatch notices) and the deadline watch (督办).
 */
export function handlerIds(
  tx: SqlTx,
  handling: string | null,
  streetId: number | null,
  departmentId: number | null,
): number[] {
  const people =
    handling === 'department' && departmentId !== null
      ? ids(
          tx,
          `SELECT "id" FROM "Person" WHERE "role" = 'dept_liaison' AND "departmentId" = ? AND "active" = 1 ORDER BY "id"`,
          departmentId,
        )
      : handling === 'street' && streetId !== null
        ? ids(
            tx,
            `SELECT "id" FROM "Person" WHERE "role" = 'team_lead' AND "streetId" = ? AND "active" = 1 ORDER BY "id"`,
            streetId,
          )
        : [];
  return people.length ? people : districtAdminIds(tx);
}
