-- CreateTable
CREATE TABLE "StatsRollup" (
    "kind" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "streetId" INTEGER NOT NULL DEFAULT 0,
    "departmentId" INTEGER NOT NULL DEFAULT 0,
    "status" TEXT NOT NULL DEFAULT '',
    "post" TEXT NOT NULL DEFAULT '',
    "mode721" TEXT NOT NULL DEFAULT '',
    "score" TEXT NOT NULL DEFAULT '',
    "n" INTEGER NOT NULL DEFAULT 0,
    "reworkSum" INTEGER NOT NULL DEFAULT 0,
    "reopened" INTEGER NOT NULL DEFAULT 0,
    "resolvedCount" INTEGER NOT NULL DEFAULT 0,
    "autoVerified" INTEGER NOT NULL DEFAULT 0,
    "handlingMs" BIGINT NOT NULL DEFAULT 0,
    "postponed" INTEGER NOT NULL DEFAULT 0,
    "onTime" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("kind", "day", "streetId", "departmentId", "status", "post", "mode721", "score")
);

-- Backfill from the cases and ratings already there (the same contributions as
-- core/stats/rollup-fns.ts; test/integration/stats-rollups.test.ts checks they agree).
-- Days are district days (UTC+8).
INSERT INTO "StatsRollup" ("kind", "day", "streetId", "departmentId", "status", "post", "mode721", "score", "n", "reworkSum", "reopened", "resolvedCount", "autoVerified", "handlingMs", "postponed", "onTime")
SELECT 'created', date(c."createdAt", '+8 hours'), COALESCE(c."streetId", 0), 0, c."status", COALESCE(c."post", ''), COALESCE(c."mode721", ''), '',
       COUNT(*), SUM(c."reworkCount"), SUM(c."reopenCount" > 0), COUNT(c."resolvedAt"), SUM(c."autoVerified"),
       COALESCE(SUM(CAST(ROUND((julianday(c."resolvedAt") - julianday(c."createdAt")) * 86400000.0) AS INTEGER)), 0), 0, 0
FROM "Case" c GROUP BY 2, 3, 5, 6, 7;

INSERT INTO "StatsRollup" ("kind", "day", "streetId", "departmentId", "status", "post", "mode721", "score", "n", "reworkSum", "reopened", "resolvedCount", "handlingMs", "postponed", "onTime")
SELECT 'closed', date(c."closedAt", '+8 hours'), COALESCE(c."streetId", 0), 0, '', '', '', '', COUNT(*), 0, 0, 0, 0, 0, 0
FROM "Case" c WHERE c."closedAt" IS NOT NULL GROUP BY 2, 3;

INSERT INTO "StatsRollup" ("kind", "day", "streetId", "departmentId", "status", "post", "mode721", "score", "n", "reworkSum", "reopened", "resolvedCount", "handlingMs", "postponed", "onTime")
SELECT 'due', date(CASE WHEN d.byDeadline THEN d."closedAt" ELSE d."dueAt" END, '+8 hours'), COALESCE(d."streetId", 0), COALESCE(d."departmentId", 0), '', '', '', '',
       COUNT(*), 0, 0, 0, 0, SUM(d."postponed"), SUM(d.byDeadline AND d."postponed" = 0)
FROM (SELECT c.*, (c."status" = 'closed' AND c."closedAt" IS NOT NULL AND c."closedAt" <= c."dueAt") AS byDeadline
      FROM "Case" c WHERE c."dueAt" IS NOT NULL AND c."status" NOT IN ('merged', 'rejected')) d
GROUP BY 2, 3, 4;

INSERT INTO "StatsRollup" ("kind", "day", "streetId", "departmentId", "status", "post", "mode721", "score", "n", "reworkSum", "reopened", "resolvedCount", "handlingMs", "postponed", "onTime")
SELECT 'rating', date(r."createdAt", '+8 hours'), COALESCE(c."streetId", 0), 0, '', '', '', r."score", COUNT(*), 0, 0, 0, 0, 0, 0
FROM "Rating" r JOIN "Case" c ON c."id" = r."caseId" GROUP BY 2, 3, 8;
