-- CreateTable
CREATE TABLE "SendUse" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "channel" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "isGroup" BOOLEAN NOT NULL,
    "cost" INTEGER NOT NULL,
    "endsAt" DATETIME NOT NULL,
    "inFlight" BOOLEAN NOT NULL
);

-- CreateIndex
CREATE INDEX "SendUse_channel_endsAt_idx" ON "SendUse"("channel", "endsAt");
