-- Written by hand (schema.prisma cannot describe it): the case list's text search `q`
-- (db/case-text-search.ts). A substring index over each case's number, text and address: FTS5
-- with the trigram tokenizer, contentless (the text stays in "Case" alone), kept in step by the
-- triggers below. What it holds is lower() of each column (ASCII only, as LIKE folds case),
-- matched case-sensitively, so a match is exactly what `LIKE '%q%'` would find; and each value
-- ends in two char(1) sentinels, so every one- or two-character substring begins some trigram
-- ("CaseSearchTerm" lists them), even at the end of a value.
CREATE VIRTUAL TABLE "CaseSearch" USING fts5("number", "text", "address", tokenize = 'trigram case_sensitive 1', content = '');

-- The index's trigrams: a one- or two-character search is the trigrams that begin with it.
CREATE VIRTUAL TABLE "CaseSearchTerm" USING fts5vocab("CaseSearch", 'row');

-- A contentless FTS5 row is deleted with the values it was indexed with: the same expressions.
CREATE TRIGGER "Case_search_insert" AFTER INSERT ON "Case" BEGIN
  INSERT INTO "CaseSearch"("rowid", "number", "text", "address")
  VALUES (new."id", lower(new."number") || char(1, 1), lower(new."text") || char(1, 1), lower(new."address") || char(1, 1));
END;

CREATE TRIGGER "Case_search_update" AFTER UPDATE OF "number", "text", "address" ON "Case" BEGIN
  INSERT INTO "CaseSearch"("CaseSearch", "rowid", "number", "text", "address")
  VALUES ('delete', old."id", lower(old."number") || char(1, 1), lower(old."text") || char(1, 1), lower(old."address") || char(1, 1));
  INSERT INTO "CaseSearch"("rowid", "number", "text", "address")
  VALUES (new."id", lower(new."number") || char(1, 1), lower(new."text") || char(1, 1), lower(new."address") || char(1, 1));
END;

CREATE TRIGGER "Case_search_delete" AFTER DELETE ON "Case" BEGIN
  INSERT INTO "CaseSearch"("CaseSearch", "rowid", "number", "text", "address")
  VALUES ('delete', old."id", lower(old."number") || char(1, 1), lower(old."text") || char(1, 1), lower(old."address") || char(1, 1));
END;

-- The cases already there (about 45 s at 1,000,000 cases), then one merged b-tree.
INSERT INTO "CaseSearch"("rowid", "number", "text", "address")
SELECT "id", lower("number") || char(1, 1), lower("text") || char(1, 1), lower("address") || char(1, 1) FROM "Case";
INSERT INTO "CaseSearch"("CaseSearch") VALUES ('optimize');
