-- Written by hand (schema.prisma cannot describe it): the case list's text search q for a term of
-- three or more characters (db/case-text-search.ts) through one pg_trgm GIN index over number,
-- text and address joined, instead of one index per column (*_case_text_search). The three
-- bitmaps were each read and OR'ed for every statement (江汉路1: 26,000 entries from the text's
-- index and 26,000 from the address's), and the planner, estimating each column on its own,
-- walked every case for a rare word's capped count (露天烧烤 at 1M cases, its count and the
-- overdue one: 22-29 ms, against 6-11 ms through this index). The columns are joined by chr(1),
-- which pg_trgm takes for a word boundary, so no trigram spans two columns, and the search asks
-- LIKE of the same expression: a term without chr(1) lies within one column or not at all, so
-- the results are LIKE's over the three columns exactly (a term holding chr(1) keeps the three
-- LIKEs, unindexed).
CREATE INDEX "Case_search_trgm_idx" ON "Case" USING gin (("number" || chr(1) || "text" || chr(1) || COALESCE("address", '')) gin_trgm_ops);

DROP INDEX "Case_number_trgm_idx";
DROP INDEX "Case_text_trgm_idx";
DROP INDEX "Case_address_trgm_idx";

-- LIKE '%term%' on the expression is estimated from its sampled values: at the default statistics
-- target (100) a term in 0.7 percent of the cases (家禽家畜: 7,204 of 1M) was expected in 3 percent,
-- and its capped count walked the table for 201 of them (28,000 cases, 16 ms). At 1000 the sample
-- says about 0.4 percent and the count goes through the index (3.5-4.7 ms).
ALTER INDEX "Case_search_trgm_idx" ALTER COLUMN 1 SET STATISTICS 1000;
