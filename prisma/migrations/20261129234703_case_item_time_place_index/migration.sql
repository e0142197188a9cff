-- DropIndex
DROP INDEX "Case_itemId_createdAt_idx";

-- CreateIndex
CREATE INDEX "Case_itemId_createdAt_lat_lng_idx" ON "Case"("itemId", "createdAt", "lat", "lng");
