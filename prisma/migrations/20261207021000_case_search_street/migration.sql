-- Written by hand (schema.prisma cannot describe it): the case search index (migrations/
-- *_case_text_search) gains a fourth column, "street", so that a team lead's search asks the
-- index for the matches in one street (db/case-text-search.ts, caseTextMatches) instead of
-- fetching every match of the district from the case table to test its street (a rare word:
-- ~7,000 matches, ~2,400 scattered case rows read to count 201 of the street's at 1M cases).
-- The column holds one token per street: char(1), the character U+F0000 + streetId, char(1).
-- Three characters make one trigram, which begins with the sentinel char(1): a search term
-- never holds it (a term with char(1) is a LIKE scan), so no term's phrase and no vocabulary
-- range ("CaseSearchTerm") ever meets this column. A case without a street has none (NULL; char(NULL) would be U+0000).
-- FTS5 cannot add a column: the index is made again (57 s at 1,000,000 cases, on a loaded 2-core machine).
DROP TRIGGER "Case_search_insert";
DROP TRIGGER "Case_search_update";
DROP TRIGGER "Case_search_delete";
DROP TABLE "CaseSearchTerm";
DROP TABLE "CaseSearch";

CREATE VIRTUAL TABLE "CaseSearch" USING fts5("number", "text", "address", "street", tokenize = 'trigram case_sensitive 1', content = '');
CREATE VIRTUAL TABLE "CaseSearchTerm" USING fts5vocab("CaseSearch", 'row');

-- A contentless FTS5 row is deleted with the values it was indexed with: the same expressions.
-- A street correction rewrites the row as a change of text does.
CREATE TRIGGER "Case_search_insert" AFTER INSERT ON "Case" BEGIN
  INSERT INTO "CaseSearch"("rowid", "number", "text", "address", "street")
  VALUES (new."id", lower(new."number") || char(1, 1), lower(new."text") || char(1, 1), lower(new."address") || char(1, 1), CASE WHEN new."streetId" IS NOT NULL THEN char(1, 983040 + new."streetId", 1) END);
END;

CREATE TRIGGER "Case_search_update" AFTER UPDATE OF "number", "text", "address", "streetId" ON "Case" BEGIN
  INSERT INTO "CaseSearch"("CaseSearch", "rowid", "number", "text", "address", "street")
  VALUES ('delete', old."id", lower(old."number") || char(1, 1), lower(old."text") || char(1, 1), lower(old."address") || char(1, 1), CASE WHEN old."streetId" IS NOT NULL THEN char(1, 983040 + old."streetId", 1) END);
  INSERT INTO "CaseSearch"("rowid", "number", "text", "address", "street")
  VALUES (new."id", lower(new."number") || char(1, 1), lower(new."text") || char(1, 1), lower(new."address") || char(1, 1), CASE WHEN new."streetId" IS NOT NULL THEN char(1, 983040 + new."streetId", 1) END);
END;

CREATE TRIGGER "Case_search_delete" AFTER DELETE ON "Case" BEGIN
  INSERT INTO "CaseSearch"("CaseSearch", "rowid", "number", "text", "address", "street")
  VALUES ('delete', old."id", lower(old."number") || char(1, 1), lower(old."text") || char(1, 1), lower(old."address") || char(1, 1), CASE WHEN old."streetId" IS NOT NULL THEN char(1, 983040 + old."streetId", 1) END);
END;

-- The cases already there, then one merged b-tree.
INSERT INTO "CaseSearch"("rowid", "number", "text", "address", "street")
SELECT "id", lower("number") || char(1, 1), lower("text") || char(1, 1), lower("address") || char(1, 1), CASE WHEN "streetId" IS NOT NULL THEN char(1, 983040 + "streetId", 1) END FROM "Case";
INSERT INTO "CaseSearch"("CaseSearch") VALUES ('optimize');
