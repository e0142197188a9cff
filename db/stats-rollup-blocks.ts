import { BLOCK_SIZES, DISTRICT_ROWS } from '../core/stats/rollup-blocks.ts';
import type { Engine } from './db-engine.ts';
import { list } from './stats-sql.ts';

// The rollups' block rows (core/stats/rollup-blocks.ts) in SQL, for both rollup tables.

/** Days since 1970-01-01 of a "day" column holding 'YYYY-MM-DD' (an integer on both engines). */
export const epochDaySql = (d: Engine, column: string): string =>
  d === 'sqlite'
    ? `CAST(julianday(${column}) - 2440587.5 AS INTEGER)`
    : `(CAST(${column} AS DATE) - DATE '1970-01-01')`;

/**
 * The block rows (core/stats/rollup-blocks.ts) summed from the day rows already in `table`:
 * one statement per block size, for the rebuild and the migration that added the blocks.
 */
export function blockRollupSql(
  d: Engine,
  table: string,
  keys: readonly string[],
  measures: readonly string[],
  kinds: readonly string[],
): string[] {
  const q = (c: string) => `"${c}"`;
  const rest = keys.filter((k) => k !== 'kind' && k !== 'day');
  return BLOCK_SIZES.map(
    (size) => `INSERT INTO "${table}" (${[...keys, ...measures].map(q).join(', ')})
SELECT "kind", 'b${size}:' || CAST(${epochDaySql(d, '"day"')} / ${size} AS TEXT), ${rest.map(q).join(', ')}, ${measures.map((m) => `SUM(${q(m)})`).join(', ')}
FROM "${table}" WHERE "kind" IN ${list(kinds)} AND "day" NOT LIKE 'b%'
GROUP BY ${keys.map((_, i) => i + 1).join(', ')} ORDER BY ${keys.map((_, i) => i + 1).join(', ')}`,
  );
}

/**
 * The district's rows (core/stats/rollup-blocks.ts DISTRICT_ROWS) summed from the rows per street
 * already in `table`, day and block keys alike: for the rebuild (after the blocks) and the
 * migration that added them. The same text on both engines.
 */
export function districtRollupSql(
  table: string,
  keys: readonly string[],
  measures: readonly string[],
  kinds: readonly string[],
): string {
  const q = (c: string) => `"${c}"`;
  const rest = keys.filter((k) => k !== 'streetId');
  return `INSERT INTO "${table}" (${[...rest, 'streetId', ...measures].map(q).join(', ')})
SELECT ${rest.map(q).join(', ')}, ${DISTRICT_ROWS}, ${measures.map((m) => `SUM(${q(m)})`).join(', ')}
FROM "${table}" WHERE "kind" IN ${list(kinds)} AND "streetId" <> ${DISTRICT_ROWS}
GROUP BY ${rest.map((_, i) => i + 1).join(', ')} ORDER BY ${rest.map((_, i) => i + 1).join(', ')}`;
}
