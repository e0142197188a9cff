-- Written by hand (schema.prisma cannot describe it): the case list's text search q for a
-- number-shaped term (ASCII letters, digits and '-', a digit among them, six or more characters:
-- a fragment of a case number, JH-YYYYMMDD-SEQ, such as 261105-00), db/case-text-search.ts
-- pgNumberGrams. Through the trigram index (*_case_search_trgm) such a term intersected the lists
-- of its digit trigrams, which every case number feeds (202, 026, 261: each in most of the cases):
-- at 1M cases 280-530 index pages, 5-7 ms a statement. This GIN index holds, of each run of those
-- characters that holds a digit in the three columns joined (the trigram index's expression), every
-- piece of six characters that holds a digit, and a term's pieces are a day's cases (261105: ~2,700)
-- or fewer, and the index finds their few common cases in a handful of pages. Exact: a term of
-- those characters lies within one such run, so the run holds each of its pieces, and the search
-- rechecks what they find with the LIKE ("case_search_like"). The piece length, six, is
-- db/case-text-search.ts PG_NUMBER_GRAM: the two must agree.
CREATE FUNCTION "case_search_number_grams"(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT ARRAY(SELECT DISTINCT g FROM (SELECT substr(r[1], i, 6) AS g FROM regexp_matches(t, '[0-9A-Za-z-]*[0-9][0-9A-Za-z-]*', 'g') AS r, generate_series(1, length(r[1]) - 5) AS i) s WHERE g ~ '[0-9]')
$$;

-- The short pending list of the other search indexes (*_case_search_pending).
CREATE INDEX "Case_search_number_idx" ON "Case" USING gin ("case_search_number_grams"("number" || chr(1) || "text" || chr(1) || COALESCE("address", ''))) WITH (gin_pending_list_limit = 256);

-- The planner estimates a term's pieces from the indexed expression's statistics, which a new
-- index has none of until the table is analysed (see *_case_search_trgm_street). At 1M cases the
-- index takes about a minute to build and this about 10 s.
ANALYZE "Case";
