// The text search on PostgreSQL judges a term common or rare from ANALYZE's statistics of two
// search indexes (db/case-text-search.ts pgSearchBreadth: "Case_search_trgm_idx" and
// "Case_search_chars_idx"). A migration that makes one of them anew leaves it without statistics,
// and autovacuum analyses the table only after a tenth of its rows change (at 1M cases, days of
// reports): meanwhile every term was taken for rare and a common word's page bitmap-scanned all its
// matches. So such a migration ends by analysing the table; the last one that did not
// (*_case_search_trgm_street) was found so on the 1M benchmark database.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = path.resolve(import.meta.dirname, '../../prisma/migrations-postgres');
// The two indexes pgSearchBreadth reads, made under their name or under another one renamed to it.
const MAKES_READ_INDEX = /CREATE INDEX "Case_search_(trgm|chars)(_street)?_idx"/;

describe('PostgreSQL migrations of the search indexes whose statistics the search reads', () => {
  const made = readdirSync(DIR, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => ({ name: d.name, sql: readFileSync(path.join(DIR, d.name, 'migration.sql'), 'utf8') }))
    .filter((m) => MAKES_READ_INDEX.test(m.sql));

  it('are found (the pattern still names the indexes)', () => {
    expect(made.length).toBeGreaterThan(0);
  });

  // Migrations already applied in deployments stay as they were; the newest one's ANALYZE gives
  // statistics to every index made before it too.
  it('the newest of them analyses "Case" after making it', () => {
    const { name, sql } = made[made.length - 1]!;
    expect(sql.slice(sql.search(MAKES_READ_INDEX)), name).toMatch(/^ANALYZE "Case";$/m);
  });
});
