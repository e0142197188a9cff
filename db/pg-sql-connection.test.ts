import { describe, expect, it } from 'vitest';
import { numberedPlaceholders } from './pg-sql-connection.ts';

describe('numberedPlaceholders', () => {
  it('numbers the ? placeholders in order and leaves quoted text and casts alone', () => {
    expect(
      numberedPlaceholders(`SELECT '?' AS "a?" FROM t WHERE x = ? AND y IN (SELECT v::int FROM f(?::jsonb)) LIMIT ?`),
    ).toBe(`SELECT '?' AS "a?" FROM t WHERE x = $1 AND y IN (SELECT v::int FROM f($2::jsonb)) LIMIT $3`);
  });
});
