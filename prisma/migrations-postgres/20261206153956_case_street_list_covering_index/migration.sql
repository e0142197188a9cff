-- DropIndex
DROP INDEX "Case_streetId_createdAt_idx";

-- CreateIndex
CREATE INDEX "Case_streetId_createdAt_id_status_dueAt_idx" ON "Case"("streetId", "createdAt", "id", "status", "dueAt");
