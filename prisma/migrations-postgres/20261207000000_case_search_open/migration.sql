-- Written by hand (schema.prisma cannot describe it): the case search's two GIN indexes again
-- (*_case_search_trgm, *_case_search_chars; the same expressions, so db/case-text-search.ts asks
-- them unchanged), over the open cases only: the statuses an overdue case has (OVERDUE_STATUSES in
-- core/case/case-visibility-fns.ts), about a tenth of the cases. The list's first segment is the
-- overdue matches of a search, newest first: a rare word's (烤, 露天烧烤: ~7,000 of 1M cases) came
-- from the whole index's matches ANDed with a bitmap of the 107,000 open cases (32-50 ms) or from
-- a walk of the createdAt index testing each overdue case (11 ms); through these, ~750 entries (3-9
-- ms). The planner takes them where a statement's conditions imply the status list.
CREATE INDEX "Case_search_trgm_open_idx" ON "Case" USING gin (("number" || chr(1) || "text" || chr(1) || COALESCE("address", '')) gin_trgm_ops) WHERE "status" IN ('triage', 'dispatched', 'accepted');

CREATE INDEX "Case_search_chars_open_idx" ON "Case" USING gin ("case_search_grams"("number" || "text" || COALESCE("address", ''))) WHERE "status" IN ('triage', 'dispatched', 'accepted');
