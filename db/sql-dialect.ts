import type { Engine } from './db-engine.ts';

// SQL fragments that differ between SQLite and PostgreSQL; everything else the stores write
// runs unchanged on both (TRUE/FALSE, ON CONFLICT, RETURNING, double-quoted names).

/**
 * `IN <this>` with one parameter holding a JSON array (JSON.stringify of ids or strings): one
 * statement text whatever the list's length, so it stays one prepared statement.
 */
export const jsonList = (dialect: Engine, of: 'int' | 'text'): string =>
  dialect === 'sqlite'
    ? '(SELECT value FROM json_each(?))'
    : of === 'int'
      ? '(SELECT jsonb_array_elements_text(?::jsonb)::int)'
      : '(SELECT jsonb_array_elements_text(?::jsonb))';

/** The district (Asia/Shanghai, UTC+8, no daylight saving) day of a UTC timestamp, as YYYY-MM-DD text. */
export const districtDate = (dialect: Engine, col: string): string =>
  dialect === 'sqlite' ? `date(${col}, '+8 hours')` : `to_char(${col} + INTERVAL '8 hours', 'YYYY-MM-DD')`;

/** Hours (fractional) from one timestamp to another; NULL when either is NULL. */
export const hoursBetween = (dialect: Engine, from: string, to: string): string =>
  dialect === 'sqlite'
    ? `((julianday(${to}) - julianday(${from})) * 24.0)`
    : `(EXTRACT(EPOCH FROM (${to} - ${from})) / 3600.0)`;

/** One top-level field of a JSON object held as text, as text (NULL when absent). `key` is code, never input. */
export const jsonField = (dialect: Engine, col: string, key: string): string =>
  dialect === 'sqlite' ? `json_extract(${col}, '$.${key}')` : `(${col}::jsonb ->> '${key}')`;

/**
 * An expression the planner must not answer from an index on it: SQLite's unary + (the
 * statements' index hints); PostgreSQL has no + on text and plans by its statistics anyway.
 */
export const unindexed = (dialect: Engine, expr: string): string => (dialect === 'sqlite' ? `+${expr}` : expr);

/** How many rows a condition holds for: SQLite would SUM the condition itself, PostgreSQL has no SUM(boolean). */
export const countTrue = (cond: string): string => `SUM(CASE WHEN ${cond} THEN 1 ELSE 0 END)`;

/**
 * `expr` is one of the values `select` returns. PostgreSQL cannot answer `IN (SELECT …)` from an
 * index when it is one arm of an OR (it becomes a filter over every row), but it can answer
 * `= ANY (ARRAY(SELECT …))`: the subquery runs once and the arm is an index lookup.
 */
export const inSelect = (dialect: Engine, expr: string, select: string): string =>
  dialect === 'sqlite' ? `${expr} IN (${select})` : `${expr} = ANY (ARRAY(${select}))`;
