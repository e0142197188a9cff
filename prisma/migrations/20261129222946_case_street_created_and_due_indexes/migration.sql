-- CreateIndex
CREATE INDEX "Case_streetId_createdAt_idx" ON "Case"("streetId", "createdAt");

-- CreateIndex
CREATE INDEX "Case_dueAt_idx" ON "Case"("dueAt");
