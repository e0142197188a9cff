-- DropIndex
DROP INDEX "Conversation_expiresAt_idx";

-- DropIndex
DROP INDEX "ProcessedUpdate_processedAt_idx";
