-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_PowerItem" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "versionId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "level" TEXT NOT NULL,
    "post" TEXT,
    "department" TEXT,
    "legalBasis" TEXT NOT NULL,
    "keywords" TEXT NOT NULL,
    "responseHours" REAL NOT NULL,
    "handlingHours" REAL NOT NULL,
    "timeBasis" TEXT NOT NULL,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "mode721" TEXT NOT NULL,
    CONSTRAINT "PowerItem_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "PowerListVersion" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_PowerItem" ("code", "department", "handlingHours", "id", "keywords", "legalBasis", "level", "mode721", "name", "post", "responseHours", "timeBasis", "urgent", "versionId") SELECT "code", "department", "handlingHours", "id", "keywords", "legalBasis", "level", "mode721", "name", "post", "responseHours", "timeBasis", "urgent", "versionId" FROM "PowerItem";
DROP TABLE "PowerItem";
ALTER TABLE "new_PowerItem" RENAME TO "PowerItem";
CREATE INDEX "PowerItem_code_idx" ON "PowerItem"("code");
CREATE UNIQUE INDEX "PowerItem_versionId_code_key" ON "PowerItem"("versionId", "code");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- Items imported while the columns were INTEGER lost their fractions (0.5 h became 0, so a
-- gas leak's 受理时限 was the moment it was filed). Each version keeps the list it was
-- imported from: take the hours back from there.
UPDATE "PowerItem" SET
  "responseHours" = COALESCE((
    SELECT json_extract(j."value", '$.responseHours')
    FROM "PowerListVersion" v, json_each(v."document", '$.items') j
    WHERE v."id" = "PowerItem"."versionId" AND json_extract(j."value", '$.code') = "PowerItem"."code"
  ), "responseHours"),
  "handlingHours" = COALESCE((
    SELECT json_extract(j."value", '$.handlingHours')
    FROM "PowerListVersion" v, json_each(v."document", '$.items') j
    WHERE v."id" = "PowerItem"."versionId" AND json_extract(j."value", '$.code') = "PowerItem"."code"
  ), "handlingHours");
