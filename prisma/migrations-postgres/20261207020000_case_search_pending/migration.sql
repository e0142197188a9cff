-- Written by hand: the case search's four GIN indexes (*_case_search_trgm, *_case_search_chars,
-- *_case_search_open) keep a short pending list. A GIN index with fastupdate (the default) files
-- new entries in a pending list, merged into the index only when the list passes
-- gin_pending_list_limit (4MB by default) or at a vacuum, and every search reads the whole list
-- first. At 1M cases a list of 158 pages (the trgm index) and 322 (its open-case copy, which every
-- status change feeds) was most of a search's index work: 326 of a rare word's 333 index pages
-- for its overdue page (1.2 to 2 ms, 0.1 without the list). At 256kB a search reads 32 pages of
-- it at most. Smaller lists cost the writes: the insert that fills one merges it, each key's new
-- cases at once, so the fewer cases a merge holds the more it costs per case (10,000 reports into
-- a trgm index of 100,000: 1.05 s at 4MB, 1.06 at 1MB, 1.40 at 256kB, 3.6 at 64kB, the least
-- allowed).
ALTER INDEX "Case_search_trgm_idx" SET (gin_pending_list_limit = 256);
ALTER INDEX "Case_search_chars_idx" SET (gin_pending_list_limit = 256);
ALTER INDEX "Case_search_trgm_open_idx" SET (gin_pending_list_limit = 256);
ALTER INDEX "Case_search_chars_open_idx" SET (gin_pending_list_limit = 256);

-- The lists already there are merged now rather than by the next insert (1M cases: about 1 s).
SELECT gin_clean_pending_list('"Case_search_trgm_idx"'), gin_clean_pending_list('"Case_search_chars_idx"'), gin_clean_pending_list('"Case_search_trgm_open_idx"'), gin_clean_pending_list('"Case_search_chars_open_idx"');
