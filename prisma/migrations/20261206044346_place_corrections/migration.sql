-- CreateTable
CREATE TABLE "PlaceCorrection" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "streetId" INTEGER NOT NULL,
    "lat" REAL,
    "lng" REAL,
    "placeText" TEXT,
    "source" TEXT NOT NULL,
    "caseId" INTEGER,
    "actorId" INTEGER,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "PlaceCorrection_streetId_fkey" FOREIGN KEY ("streetId") REFERENCES "Street" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "PlaceCorrection_createdAt_idx" ON "PlaceCorrection"("createdAt");
