-- DropIndex
DROP INDEX "Case_createdAt_idx";

-- CreateIndex
CREATE INDEX "Case_createdAt_id_status_dueAt_idx" ON "Case"("createdAt", "id", "status", "dueAt");
