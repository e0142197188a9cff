-- A period's settled patrol findings (the statistics' 721 "service", db/stats-queries.ts settledRows)
-- counted from this index alone: through the index on createdAt every finding of the period was
-- fetched from the table to read its outcome (30 days at 1M cases: 1,700 findings for 570 settled).
-- 20,000 findings at 1M cases: built in well under a second.
-- CreateIndex
CREATE INDEX "PatrolFinding_outcome_createdAt_patrolId_inspectorId_idx" ON "PatrolFinding"("outcome", "createdAt", "patrolId", "inspectorId");
