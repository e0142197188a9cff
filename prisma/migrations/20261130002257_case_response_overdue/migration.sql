-- AlterTable
ALTER TABLE "Case" ADD COLUMN "responseOverdueNotifiedAt" DATETIME;

-- CreateIndex
CREATE INDEX "Case_status_responseDueAt_idx" ON "Case"("status", "responseDueAt");
