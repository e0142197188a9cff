-- Replies to a person's own message go out before pushes, pushes before bulk (digests, reminders).
ALTER TABLE "OutboxMessage" ADD COLUMN "priority" INTEGER NOT NULL DEFAULT 1;

-- The delivery worker claims per channel, replies first, oldest first. This index replaces
-- (status, nextAttemptAt), which every status change also had to write: its `status` prefix
-- serves the other status queries (recovering `sending` rows, purging `sent` ones).
DROP INDEX "OutboxMessage_status_nextAttemptAt_idx";
CREATE INDEX "OutboxMessage_status_channel_priority_id_idx" ON "OutboxMessage"("status", "channel", "priority", "id");
