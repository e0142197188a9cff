-- Written by hand (schema.prisma cannot describe it): the case search's trigram index
-- (*_case_search_trgm, the same expression and name, so db/case-text-search.ts asks it and reads
-- its statistics unchanged) made again with the street beside it (btree_gin: a GIN index of a plain
-- column, from postgresql-contrib like pg_trgm, and trusted likewise). A team lead's search of a
-- rare word (露天烧烤: ~7,000 of 1M cases, ~600 of them in the street) ANDed the index's matches
-- with a bitmap of the street's 83,000 cases (6 ms quiet, 18-34 ms on a loaded machine), where
-- `"streetId" = ?` beside the search now finds the street's matches in one search of this index
-- (2 ms). A search without the street reads the trigrams' lists as before (a GIN index's columns
-- are searched each on its own). One index, not a second one beside it: a second trigram index
-- cost every new case as much as the first again (3,000 cases inserted: +0.7 ms each, loaded).
-- Built under another name and swapped, so that reads wait only for the swap, with the short
-- pending list the index had (*_case_search_pending).
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE INDEX "Case_search_trgm_street_idx" ON "Case" USING gin ("streetId", ("number" || chr(1) || "text" || chr(1) || COALESCE("address", '')) gin_trgm_ops) WITH (gin_pending_list_limit = 256);

DROP INDEX "Case_search_trgm_idx";

ALTER INDEX "Case_search_trgm_street_idx" RENAME TO "Case_search_trgm_idx";

ALTER INDEX "Case_search_trgm_idx" ALTER COLUMN 2 SET STATISTICS 1000;

-- The search judges a term common or rare from this index's statistics (db/case-text-search.ts
-- pgSearchBreadth), which a new index has none of until the table is analysed, and autovacuum
-- analyses it only after a tenth of its rows change: meanwhile every word was taken for rare.
-- At 1M cases about 10 s.
ANALYZE "Case";
