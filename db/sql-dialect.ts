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
