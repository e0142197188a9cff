-- RedefineTables
-- Existing rows get a random 128-bit key (hex); new rows get theirs from db/attachment-store.ts.
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Attachment" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "caseId" INTEGER,
    "eventId" INTEGER,
    "findingId" INTEGER,
    "draftKey" TEXT,
    "sha256" TEXT NOT NULL,
    "mime" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "path" TEXT NOT NULL,
    "thumbPath" TEXT,
    "publicPath" TEXT,
    "publicKey" TEXT NOT NULL,
    "exifTakenAt" DATETIME,
    "exifLat" REAL,
    "exifLng" REAL,
    "uploadedById" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Attachment_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Attachment_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "CaseEvent" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Attachment_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "PatrolFinding" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Attachment" ("caseId", "createdAt", "draftKey", "eventId", "exifLat", "exifLng", "exifTakenAt", "findingId", "id", "mime", "path", "publicPath", "sha256", "size", "thumbPath", "uploadedById", "publicKey") SELECT "caseId", "createdAt", "draftKey", "eventId", "exifLat", "exifLng", "exifTakenAt", "findingId", "id", "mime", "path", "publicPath", "sha256", "size", "thumbPath", "uploadedById", lower(hex(randomblob(16))) FROM "Attachment";
DROP TABLE "Attachment";
ALTER TABLE "new_Attachment" RENAME TO "Attachment";
CREATE UNIQUE INDEX "Attachment_publicKey_key" ON "Attachment"("publicKey");
CREATE INDEX "Attachment_caseId_idx" ON "Attachment"("caseId");
CREATE INDEX "Attachment_sha256_idx" ON "Attachment"("sha256");
CREATE INDEX "Attachment_draftKey_idx" ON "Attachment"("draftKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Photos that Telegram and WeChat stored before their uploader was recorded: the draft key
-- ("<channel>:<chatId>:<userId>") names the sender, whose ChatIdentity gives the person. Without
-- this their owners could no longer attach them (core/evidence/attachment-access-fns.ts).
UPDATE "Attachment" SET "uploadedById" = (
    SELECT i."personId" FROM "ChatIdentity" i
    WHERE i."channel" = substr("Attachment"."draftKey", 1, instr("Attachment"."draftKey", ':') - 1)
      AND i."externalId" = substr(
        substr("Attachment"."draftKey", instr("Attachment"."draftKey", ':') + 1),
        instr(substr("Attachment"."draftKey", instr("Attachment"."draftKey", ':') + 1), ':') + 1
      )
)
WHERE "uploadedById" IS NULL AND ("draftKey" LIKE 'telegram:%:%' OR "draftKey" LIKE 'wechat:%:%');
