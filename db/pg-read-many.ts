import type { SqlValue } from './sql-connection.ts';

type Read = <T>(sql: string, ...args: SqlValue[]) => Promise<T[]>;

/**
 * Several reads as ONE PostgreSQL statement: each read becomes a sub-select whose rows come back
 * as a JSON array in a column of the one result row. A cold statistic issues about ten short
 * reads at once and a case detail four; as separate statements each took a pooled connection
 * and a round trip of its own (and PostgreSQL parsed, planned and started each), so 16 clients
 * queued 160 statements on a pool of 10. One statement is one connection and one trip, and its
 * reads see one snapshot.
 *
 * The rows are JSON, not what the driver's type parsers make of a column: numbers and booleans
 * arrive as they would, but a `timestamp` arrives as ISO text without a zone (UTC here, as
 * Prisma stores it; see utcDate in case-detail-rows.ts). The statistics read no timestamps.
 * The order of a read's rows is its own ORDER BY: an aggregate over a sorted sub-select takes
 * the rows in that order.
 */
export function pgReadMany(read: Read) {
  return async (reads: ReadonlyArray<{ sql: string; args: SqlValue[] }>): Promise<Record<string, unknown>[][]> => {
    const columns = reads.map((r, i) => `(SELECT COALESCE(json_agg(q), '[]') FROM (${r.sql}) AS q) AS "r${i}"`);
    const [row] = await read<Record<string, unknown[]>>(
      `SELECT ${columns.join(', ')}`,
      ...reads.flatMap((r) => r.args),
    );
    return reads.map((_, i) => (row?.[`r${i}`] ?? []) as Record<string, unknown>[]);
  };
}
