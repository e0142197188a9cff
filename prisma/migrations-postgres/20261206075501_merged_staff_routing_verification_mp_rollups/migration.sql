-- AlterTable
ALTER TABLE "Person" ADD COLUMN     "deactivatedAt" TIMESTAMP(3),
ADD COLUMN     "postId" INTEGER;

-- AlterTable
ALTER TABLE "PowerItem" ALTER COLUMN "responseHours" SET DATA TYPE DOUBLE PRECISION,
ALTER COLUMN "handlingHours" SET DATA TYPE DOUBLE PRECISION;

-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "autoVerified" BOOLEAN NOT NULL DEFAULT false;

-- AlterTable
ALTER TABLE "PatrolFinding" ADD COLUMN     "address" TEXT,
ADD COLUMN     "matter" TEXT;

-- CreateTable
CREATE TABLE "StaffPost" (
    "id" SERIAL NOT NULL,
    "teamId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "covers" TEXT NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StaffPost_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "StaffChange" (
    "id" SERIAL NOT NULL,
    "personId" INTEGER,
    "action" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "data" TEXT NOT NULL DEFAULT '{}',
    "actorId" INTEGER,
    "actorLabel" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StaffChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VerificationTask" (
    "id" SERIAL NOT NULL,
    "caseId" INTEGER NOT NULL,
    "inspectorId" INTEGER,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "distanceM" DOUBLE PRECISION,
    "warning" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "doneAt" TIMESTAMP(3),
    "outcome" TEXT,

    CONSTRAINT "VerificationTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MpBudget" (
    "openid" TEXT NOT NULL,
    "windowKind" TEXT NOT NULL,
    "windowStart" TIMESTAMP(3) NOT NULL,
    "windowEnd" TIMESTAMP(3) NOT NULL,
    "allowed" INTEGER NOT NULL,
    "used" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "MpBudget_pkey" PRIMARY KEY ("openid")
);

-- CreateTable
CREATE TABLE "MpMenu" (
    "openid" TEXT NOT NULL,
    "buttons" TEXT NOT NULL,
    "shownAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MpMenu_pkey" PRIMARY KEY ("openid")
);

-- CreateTable
CREATE TABLE "StatsRollup" (
    "kind" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "streetId" INTEGER NOT NULL DEFAULT 0,
    "departmentId" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT '',
    "post" TEXT NOT NULL DEFAULT '',
    "mode721" TEXT NOT NULL DEFAULT '',
    "score" TEXT NOT NULL DEFAULT '',
    "n" INTEGER NOT NULL DEFAULT 0,
    "reworkSum" INTEGER NOT NULL DEFAULT 0,
    "reopened" INTEGER NOT NULL DEFAULT 0,
    "resolvedCount" INTEGER NOT NULL DEFAULT 0,
    "autoVerified" INTEGER NOT NULL DEFAULT 0,
    "handlingMs" BIGINT NOT NULL DEFAULT 0,
    "postponed" INTEGER NOT NULL DEFAULT 0,
    "onTime" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "StatsRollup_pkey" PRIMARY KEY ("kind","day","streetId","departmentId","status","post","mode721","score")
);

-- CreateIndex
CREATE UNIQUE INDEX "StaffPost_teamId_name_key" ON "StaffPost"("teamId", "name");

-- CreateIndex
CREATE INDEX "StaffChange_personId_id_idx" ON "StaffChange"("personId", "id");

-- CreateIndex
CREATE INDEX "StaffChange_createdAt_idx" ON "StaffChange"("createdAt");

-- CreateIndex
CREATE INDEX "VerificationTask_caseId_idx" ON "VerificationTask"("caseId");

-- CreateIndex
CREATE INDEX "VerificationTask_inspectorId_doneAt_idx" ON "VerificationTask"("inspectorId", "doneAt");

-- CreateIndex
CREATE INDEX "VerificationTask_doneAt_dueAt_idx" ON "VerificationTask"("doneAt", "dueAt");

-- AddForeignKey
ALTER TABLE "StaffPost" ADD CONSTRAINT "StaffPost_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
