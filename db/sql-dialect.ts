import type { Engine } from './db-engine.ts';

// SQL fragments that differ between SQLite and PostgreSQL; everything else the stores write
// runs unchanged on both (TRUE/FALSE, ON CONFLICT, RETURNING, double-quoted names).

/**
 * The values of one parameter holding a JSON array (JSON.stringify of ids or strings), as a
 * subquery: one statement text whatever the list's length, so it stays one prepared statement.
 */
const listSelect = (dialect: Engine, of: 'int' | 'text'): string =>
  dialect === 'sqlite'
    ? 'SELECT value FROM json_each(?)'
    : of === 'int'
      ? 'SELECT jsonb_array_elements_text(?::jsonb)::int'
      : 'SELECT jsonb_array_elements_text(?::jsonb)';

/**
 * `expr` is one of the list in one parameter holding a JSON array (see listSelect). On PostgreSQL
 * not `IN (SELECT jsonb_array_elements_text(…))`: the planner estimates that function at 100 rows
 * whatever the list holds (1-3 ids), and against 5,000 people a hash join over a sequential scan
 * of the whole table cost less than 100 index probes, so every report read all of Person and
 * ChatIdentity (and all of Attachment, growing with every photo). `= ANY (ARRAY(…))` is an array
 * the planner takes for 10 values, generic plans included (the prepared statements settle on
 * those after five runs): index lookups.
 */
export const inList = (dialect: Engine, expr: string, of: 'int' | 'text'): string =>
  inSelect(dialect, expr, listSelect(dialect, of));

/**
 * `expr` is none of the list (see inList). A NOT IN only filters rows found otherwise (one hash
 * probe each), never chooses how they are found, so it keeps the subquery on both engines.
 */
export const notInList = (dialect: Engine, expr: string, of: 'int' | 'text'): string =>
  `${expr} NOT IN (${listSelect(dialect, of)})`;

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

/** An instant no row's timestamp reaches, as the statements pass instants (db/sql-values.ts sqlDate). */
const NO_ROW_YET = '9999-12-31T00:00:00.000+00:00';

/**
 * `expr` (a timestamp) at or after one parameter (atOrAfterParams gives its values). On
 * PostgreSQL with an upper bound too, a parameter far in the future that no row reaches: the
 * stores' statements are prepared by name, and PostgreSQL keeps a statement's generic plan only
 * when its estimate costs no more than the plans made for the values. A lone `>= $1` it prices
 * at a third of the table, a pair of bounds at 0.5%. The duplicate search around a new report
 * (the same plan either way: the item's index from the day on) was priced 120 against 18 at 1M
 * cases, so every report planned its six-table read afresh, 0.73 ms each, twice a report, for
 * 0.03 ms of execution. SQLite's text is unchanged.
 */
export const atOrAfter = (dialect: Engine, expr: string): string =>
  dialect === 'postgres' ? `${expr} >= ? AND ${expr} < ?` : `${expr} >= ?`;

/** The parameters of atOrAfter(): the instant (as the statements pass dates), and on PostgreSQL the far bound. */
export const atOrAfterParams = (dialect: Engine, at: string): string[] =>
  dialect === 'postgres' ? [at, NO_ROW_YET] : [at];
