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
  const people: Promise<number[]> | number[] =
    handling === 'department' && departmentId !== null
      ? ids(
          tx,
          `SELECT "id" FROM "Person" WHERE "role" = 'dept_liaison' AND "departmentId" = ? AND "active" = TRUE ORDER BY "id"`,
          departmentId,
        )
      : handling === 'street' && streetId !== null
        ? ids(
            tx,
            `SELECT "id" FROM "Person" WHERE "role" = 'team_lead' AND "streetId" = ? AND "active" = TRUE ORDER BY "id"`,
            streetId,
          )
        : [];
  const found = await people;
  return found.length ? found : districtAdminIds(tx);
}
