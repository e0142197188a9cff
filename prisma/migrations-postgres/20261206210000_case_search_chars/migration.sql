-- Written by hand (schema.prisma cannot describe it): the case list's text search q for a term
-- of one or two characters (db/case-text-search.ts). pg_trgm has no trigram for those (垃圾, 烤),
-- so their LIKE read every case (1M cases: seconds). This GIN index holds the characters and the
-- pairs of consecutive characters of each case's number, text and address, and the search asks
-- for the cases holding the term as one element (@>), then rechecks them with the LIKE, so the
-- results are LIKE's by construction. Pairs, not only characters: the planner estimates a term
-- from the frequency of that one element (ANALYZE keeps the commonest elements of the indexed
-- expression), where two characters were taken as independent (垃 and 圾: 2,346 cases expected,
-- 49,830 found, and the page fetched them all instead of walking the index of its order). The
-- columns are joined: what a pair across two of them adds, the LIKE drops. string_to_array with
-- a NULL delimiter splits a text into its characters, and the two regexp passes give the pairs
-- at even and at odd offsets.
CREATE FUNCTION "case_search_grams"(t text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT string_to_array(t, NULL) || ARRAY(SELECT m[1] FROM regexp_matches(t, '..', 'g') AS m UNION ALL SELECT m[1] FROM regexp_matches(substr(t, 2), '..', 'g') AS m)
$$;

CREATE INDEX "Case_search_chars_idx" ON "Case" USING gin ("case_search_grams"("number" || "text" || COALESCE("address", '')));

-- ANALYZE keeps 10 commonest elements per unit of statistics target: at the default (100) the
-- 1,000th commonest of 1M cases was in 0.45 percent of them, so a term missing from the list (鑫, in
-- no case) was expected in 1,497 cases and a page walked every case looking for them (2.6 s).
-- At 1000 the list holds every element found in 0.1 percent or more, and a term not in it is
-- expected in a few hundred at most: fetched through the index (0.1 ms).
ALTER INDEX "Case_search_chars_idx" ALTER COLUMN 1 SET STATISTICS 1000;

-- The LIKE that rechecks the cases the index gives, as a function the planner cannot look into
-- (SQL, STRICT over a body that is not, so never inlined): with the LIKE in plain sight it took
-- the two conditions for independent and expected 1,479 cases of 垃圾 where there are 49,830,
-- and gathered them all for a count capped at 201. COST 1: tested before the grams, and
-- cheaply, on each case a walk reads. The address comes as COALESCE(address, empty), which
-- matches nothing a NULL would not (the pattern holds a character besides its two %).
CREATE FUNCTION "case_search_like"(n text, t text, a text, p text) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1 AS $$
  SELECT t LIKE p ESCAPE '\' OR n LIKE p ESCAPE '\' OR a LIKE p ESCAPE '\'
$$;
