-- AlterTable
ALTER TABLE "Case" ADD COLUMN "externalDueAt" DATETIME;
ALTER TABLE "Case" ADD COLUMN "externalReceivedAt" DATETIME;
ALTER TABLE "Case" ADD COLUMN "externalRef" TEXT;
ALTER TABLE "Case" ADD COLUMN "externalSource" TEXT;

-- CreateIndex
CREATE INDEX "Case_externalSource_externalReceivedAt_idx" ON "Case"("externalSource", "externalReceivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Case_externalSource_externalRef_key" ON "Case"("externalSource", "externalRef");
