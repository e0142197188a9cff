-- CreateTable
CREATE TABLE "Open311Request" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "caseId" INTEGER NOT NULL,
    "clientId" INTEGER NOT NULL,
    "token" TEXT NOT NULL,
    "email" TEXT,
    "firstName" TEXT,
    "lastName" TEXT,
    "phone" TEXT,
    "deviceId" TEXT,
    "accountId" TEXT,
    "mediaUrl" TEXT,
    "attributes" TEXT NOT NULL DEFAULT '{}',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "Open311Request_caseId_key" ON "Open311Request"("caseId");

-- CreateIndex
CREATE UNIQUE INDEX "Open311Request_token_key" ON "Open311Request"("token");
