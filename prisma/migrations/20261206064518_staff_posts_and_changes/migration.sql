-- AlterTable
ALTER TABLE "Person" ADD COLUMN "deactivatedAt" DATETIME;
ALTER TABLE "Person" ADD COLUMN "postId" INTEGER;

-- CreateTable
CREATE TABLE "StaffPost" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "teamId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "covers" TEXT NOT NULL DEFAULT '[]',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "StaffPost_teamId_fkey" FOREIGN KEY ("teamId") REFERENCES "Team" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "StaffChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "personId" INTEGER,
    "action" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "data" TEXT NOT NULL DEFAULT '{}',
    "actorId" INTEGER,
    "actorLabel" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "StaffPost_teamId_name_key" ON "StaffPost"("teamId", "name");

-- CreateIndex
CREATE INDEX "StaffChange_personId_id_idx" ON "StaffChange"("personId", "id");

-- CreateIndex
CREATE INDEX "StaffChange_createdAt_idx" ON "StaffChange"("createdAt");
