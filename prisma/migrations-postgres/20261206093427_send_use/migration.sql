-- CreateTable
CREATE TABLE "SendUse" (
    "id" SERIAL NOT NULL,
    "channel" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "isGroup" BOOLEAN NOT NULL,
    "cost" INTEGER NOT NULL,
    "endsAt" TIMESTAMP(3) NOT NULL,
    "inFlight" BOOLEAN NOT NULL,

    CONSTRAINT "SendUse_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "SendUse_channel_endsAt_idx" ON "SendUse"("channel", "endsAt");
