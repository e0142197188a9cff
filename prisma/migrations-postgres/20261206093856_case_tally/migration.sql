-- CreateTable
CREATE TABLE "CaseTally" (
    "streetId" INTEGER NOT NULL DEFAULT 0,
    "departmentId" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL,
    "handling" TEXT NOT NULL DEFAULT '',
    "post" TEXT NOT NULL DEFAULT '',
    "n" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "CaseTally_pkey" PRIMARY KEY ("streetId","departmentId","status","handling","post")
);

-- Kept by the case store in the unit of work that changes a case (db/case-tally.ts). Here the
-- cases already there.
INSERT INTO "CaseTally" ("streetId", "departmentId", "status", "handling", "post", "n")
SELECT COALESCE("streetId", 0), COALESCE("departmentId", 0), "status", COALESCE("handling", ''), COALESCE("post", ''), COUNT(*)
FROM "Case" GROUP BY COALESCE("streetId", 0), COALESCE("departmentId", 0), "status", COALESCE("handling", ''), COALESCE("post", '');
