-- AlterTable
ALTER TABLE "ApiToken" ADD COLUMN "expiresAt" DATETIME;

-- Tokens issued before expiry existed get 90 days from this migration (revoke any no longer needed
-- with npm run token:revoke). Stored like Prisma stores dates: ISO text with an offset.
UPDATE "ApiToken" SET "expiresAt" = strftime('%Y-%m-%dT%H:%M:%S.000+00:00', 'now', '+90 days') WHERE "expiresAt" IS NULL;
