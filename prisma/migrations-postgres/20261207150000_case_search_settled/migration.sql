-- Written by hand (schema.prisma cannot describe it): the case search's five GIN indexes again,
-- over the cases whose number is settled. A PostgreSQL registration writes its case with a
-- placeholder number (letters: db/case-number-alloc.ts createPendingNumbers) and writes the day's
-- number over it just before COMMIT. "number" is indexed, so that UPDATE is never HOT: every index
-- of "Case" got the new row version, and these five computed and inserted every gram of the whole
-- text twice, once for the placeholder row and once for the numbered one. At 1M cases they were
-- ~95% of a case INSERT's work (500 inserts: 311-407 ms with them, 13-16 ms without), and intake
-- paid for them twice a report. A placeholder row no longer enters them; the numbered row does.
-- db/case-text-search.ts asks each search with the same condition (SETTLED_NUMBER), which a
-- committed case always meets (a real number ends in digits), so the planner can use them.
-- The condition is CASE_NUMBER_PLACEHOLDER in db/case-number-alloc.ts: the two must agree (test:
-- pg-search-settled).

DROP INDEX "Case_search_trgm_idx";
CREATE INDEX "Case_search_trgm_idx" ON "Case" USING gin ("streetId", ("number" || chr(1) || "text" || chr(1) || COALESCE("address", '')) gin_trgm_ops) WITH (gin_pending_list_limit = 256) WHERE "number" !~ 'n[a-z]{15}$';
ALTER INDEX "Case_search_trgm_idx" ALTER COLUMN 2 SET STATISTICS 1000;

DROP INDEX "Case_search_chars_idx";
CREATE INDEX "Case_search_chars_idx" ON "Case" USING gin ("case_search_grams"("number" || "text" || COALESCE("address", ''))) WITH (gin_pending_list_limit = 256) WHERE "number" !~ 'n[a-z]{15}$';
ALTER INDEX "Case_search_chars_idx" ALTER COLUMN 1 SET STATISTICS 1000;

DROP INDEX "Case_search_trgm_open_idx";
CREATE INDEX "Case_search_trgm_open_idx" ON "Case" USING gin (("number" || chr(1) || "text" || chr(1) || COALESCE("address", '')) gin_trgm_ops) WITH (gin_pending_list_limit = 256) WHERE "status" IN ('triage', 'dispatched', 'accepted') AND "number" !~ 'n[a-z]{15}$';

DROP INDEX "Case_search_chars_open_idx";
CREATE INDEX "Case_search_chars_open_idx" ON "Case" USING gin ("case_search_grams"("number" || "text" || COALESCE("address", ''))) WITH (gin_pending_list_limit = 256) WHERE "status" IN ('triage', 'dispatched', 'accepted') AND "number" !~ 'n[a-z]{15}$';

DROP INDEX "Case_search_number_idx";
CREATE INDEX "Case_search_number_idx" ON "Case" USING gin ("case_search_number_grams"("number" || chr(1) || "text" || chr(1) || COALESCE("address", ''))) WITH (gin_pending_list_limit = 256) WHERE "number" !~ 'n[a-z]{15}$';

-- The search reads the indexed expressions' statistics (db/case-text-search.ts pgSearchBreadth),
-- which new indexes have none of until the table is analysed.
ANALYZE "Case";
