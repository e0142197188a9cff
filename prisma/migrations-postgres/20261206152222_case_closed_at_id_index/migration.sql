-- DropIndex
DROP INDEX "Case_closedAt_idx";

-- CreateIndex
CREATE INDEX "Case_closedAt_id_idx" ON "Case"("closedAt", "id");
