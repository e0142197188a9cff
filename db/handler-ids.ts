import type { SqlTx } from './sql-connection.ts';

const ids = async (tx: SqlTx, sql: string, ...params: number[]) =>
  (await tx.all<{ id: number }>(sql, ...params)).map((p) => p.id);

export const districtAdminIds = (tx: SqlTx): Promise<number[]> =>
  ids(tx, `SELECT "id" FROM "Person" WHERE "role" = 'district_admin' AND "active" = TRUE ORDER BY "id"`);

/**
 * Who holds a case at a handling level: the street's team leads, the department's liaisons, or
 * the district bureau. Nobody bound for that street or department yet: the bureau must still
 * hear of it. Used by the case store (dispatch notices) and the deadline watch (督办).
 */
export async function handlerIds(
  tx: SqlTx,
  handling: string | null,
  streetId: number | null,
  departmentId: number | null,
): Promise<number[]> {
  const holders =
    handling === 'department' && departmentId !== null
      ? { where: `"role" = 'dept_liaison' AND "departmentId" = ?`, key: departmentId }
      : handling === 'street' && streetId !== null
        ? { where: `"role" = 'team_lead' AND "streetId" = ?`, key: streetId }
        : null;
  if (!holders) return districtAdminIds(tx);
  // The holders, or the bureau when there are none, in one statement (was two round trips on
  // PostgreSQL whenever the fallback applied). A plain SELECT, not a WITH, so on PostgreSQL it
  // may still run before a unit's BEGIN (pg-sql-connection.ts isPlainRead).
  const held = `SELECT "id" FROM "Person" WHERE ${holders.where} AND "active" = TRUE`;
  return ids(
    tx,
    `${held}
     UNION ALL SELECT "id" FROM "Person" WHERE "role" = 'district_admin' AND "active" = TRUE AND NOT EXISTS (${held})
     ORDER BY "id"`,
    holders.key,
    holders.key,
  );
}
