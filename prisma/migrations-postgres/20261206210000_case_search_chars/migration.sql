-- Written by hand (schema.prisma cannot describe it): the case list's text search q for a term
-- of one or two characters (db/case-text-search.ts). pg_trgm has no trigram for those (垃圾, 烤),
-- so their LIKE read every case (1M cases: seconds). This GIN index holds the characters of each
-- case's number, text and address (string_to_array with a NULL delimiter splits a text into its
-- characters, IMMUTABLE and in C: 1M cases in a few seconds), and the search asks for the cases
-- holding every character of the term (@>), then rechecks them with the LIKE, so the results are
-- LIKE's by construction. The three columns are joined: a character is the same wherever it
-- is, and what that joins across columns the LIKE drops.
-- (No semicolons in these comments: the PostgreSQL adapter splits the script on every one.)
CREATE INDEX "Case_search_chars_idx" ON "Case" USING gin ((string_to_array("number" || "text" || COALESCE("address", ''), NULL)));
