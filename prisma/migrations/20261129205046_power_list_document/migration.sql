-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_PowerListVersion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "version" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT false,
    "document" TEXT NOT NULL,
    "publishedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_PowerListVersion" ("active", "id", "publishedAt", "source", "title", "version") SELECT "active", "id", "publishedAt", "source", "title", "version" FROM "PowerListVersion";
DROP TABLE "PowerListVersion";
ALTER TABLE "new_PowerListVersion" RENAME TO "PowerListVersion";
CREATE UNIQUE INDEX "PowerListVersion_version_key" ON "PowerListVersion"("version");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
