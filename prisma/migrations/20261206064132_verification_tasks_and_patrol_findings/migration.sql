-- AlterTable
ALTER TABLE "PatrolFinding" ADD COLUMN "address" TEXT;
ALTER TABLE "PatrolFinding" ADD COLUMN "matter" TEXT;

-- CreateTable
CREATE TABLE "VerificationTask" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "caseId" INTEGER NOT NULL,
    "inspectorId" INTEGER,
    "dueAt" DATETIME NOT NULL,
    "distanceM" REAL,
    "warning" TEXT,
    "createdAt" DATETIME NOT NULL,
    "doneAt" DATETIME,
    "outcome" TEXT
);

-- AlterTable (a plain ADD COLUMN: the Case table is not copied)
ALTER TABLE "Case" ADD COLUMN "autoVerified" BOOLEAN NOT NULL DEFAULT false;

-- CreateIndex
CREATE INDEX "VerificationTask_caseId_idx" ON "VerificationTask"("caseId");

-- CreateIndex
CREATE INDEX "VerificationTask_inspectorId_doneAt_idx" ON "VerificationTask"("inspectorId", "doneAt");

-- CreateIndex
CREATE INDEX "VerificationTask_doneAt_dueAt_idx" ON "VerificationTask"("doneAt", "dueAt");
