-- Written by hand (schema.prisma cannot describe it): the case list's text search q
-- (db/case-text-search.ts) is LIKE over number, text and address. pg_trgm GIN indexes answer
-- it (a bitmap per column, combined, rechecked against the row) instead of a scan of every
-- case. pg_trgm is a trusted extension: the owner of the database may create it.
-- (No semicolons in these comments: the PostgreSQL adapter splits the script on every one.)
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX "Case_number_trgm_idx" ON "Case" USING gin ("number" gin_trgm_ops);
CREATE INDEX "Case_text_trgm_idx" ON "Case" USING gin ("text" gin_trgm_ops);
CREATE INDEX "Case_address_trgm_idx" ON "Case" USING gin ("address" gin_trgm_ops);
