-- CreateTable
CREATE TABLE "WebChatMessage" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "chatId" TEXT NOT NULL,
    "clientId" TEXT NOT NULL,
    "direction" TEXT NOT NULL,
    "payload" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE INDEX "WebChatMessage_chatId_id_idx" ON "WebChatMessage"("chatId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "WebChatMessage_chatId_clientId_key" ON "WebChatMessage"("chatId", "clientId");
