-- CreateTable
CREATE TABLE "StatsEventFact" (
    "eventId" INTEGER NOT NULL,
    "caseId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "ownerId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "prevAt" TIMESTAMP(3),
    "flag" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "StatsEventFact_pkey" PRIMARY KEY ("eventId")
);

-- CreateTable
CREATE TABLE "StatsEventRollup" (
    "kind" TEXT NOT NULL,
    "day" TEXT NOT NULL,
    "ownerId" INTEGER NOT NULL,
    "streetId" INTEGER NOT NULL DEFAULT 0,
    "n" INTEGER NOT NULL DEFAULT 0,
    "onTime" INTEGER NOT NULL DEFAULT 0,
    "rework" INTEGER NOT NULL DEFAULT 0,
    "acceptedInTime" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "StatsEventRollup_pkey" PRIMARY KEY ("kind","day","ownerId","streetId")
);

-- CreateIndex
CREATE INDEX "StatsEventFact_caseId_idx" ON "StatsEventFact"("caseId");

-- CreateIndex
CREATE INDEX "StatsEventFact_kind_at_idx" ON "StatsEventFact"("kind", "at");

-- Backfill from the case events and cases already there (the same facts and sums as
-- db/stats-event-rollup.ts keeps, whose eventBackfillSql is this text, and
-- test/integration/stats-rollups.test.ts checks both agree with the rollups kept in step).
-- Days are district days (UTC+8).
INSERT INTO "StatsEventFact" ("eventId", "caseId", "kind", "ownerId", "at", "prevAt", "flag")
SELECT r."id", r."caseId", CASE WHEN r."prevAt" IS NULL THEN 'resolved' ELSE 'reresolved' END, r."actorId", r."createdAt", r."prevAt", CASE WHEN EXISTS (SELECT 1 FROM "CaseEvent" w WHERE w."caseId" = r."caseId" AND w."id" > r."id" AND w."type" IN ('rework', 'reopened')) THEN TRUE ELSE FALSE END
FROM (SELECT e."id", e."caseId", e."actorId", e."createdAt",
             LAG(e."createdAt") OVER (PARTITION BY e."caseId", e."actorId" ORDER BY e."id") AS "prevAt"
      FROM "CaseEvent" e WHERE e."type" = 'resolved' AND e."actorId" IS NOT NULL) r;

INSERT INTO "StatsEventFact" ("eventId", "caseId", "kind", "ownerId", "at", "prevAt", "flag")
SELECT e."id", e."caseId", 'referred', dp."id", e."createdAt", NULL, FALSE
FROM "CaseEvent" e JOIN "Department" dp ON dp."name" = (e."data"::jsonb ->> 'department')
WHERE e."type" = 'referred';

UPDATE "StatsEventFact" SET "flag" = TRUE WHERE "kind" = 'referred' AND EXISTS (
  SELECT 1 FROM "Case" c, "CaseEvent" a JOIN "Person" ap ON ap."id" = a."actorId"
  WHERE c."id" = "StatsEventFact"."caseId" AND a."caseId" = "StatsEventFact"."caseId" AND a."id" > "StatsEventFact"."eventId"
    AND a."type" = 'accepted' AND ap."departmentId" = "StatsEventFact"."ownerId" AND a."createdAt" <= c."responseDueAt");

INSERT INTO "StatsEventFact" ("eventId", "caseId", "kind", "ownerId", "at", "prevAt", "flag")
SELECT e."id", e."caseId", 'returned', ap."departmentId", e."createdAt", NULL, FALSE
FROM "CaseEvent" e JOIN "Person" ap ON ap."id" = e."actorId"
WHERE e."type" = 'returned' AND ap."departmentId" IS NOT NULL;

INSERT INTO "StatsEventRollup" ("kind", "day", "ownerId", "streetId", "n", "onTime", "rework", "acceptedInTime")
SELECT 'handled', to_char(f."at" + INTERVAL '8 hours', 'YYYY-MM-DD'), f."ownerId", 0, COUNT(*), SUM(CASE WHEN c."status" = 'closed' AND c."closedAt" IS NOT NULL AND c."dueAt" IS NOT NULL AND c."closedAt" <= c."dueAt" AND c."postponed" = FALSE THEN 1 ELSE 0 END),
       SUM(CASE WHEN f."flag" AND (c."reworkCount" > 0 OR c."reopenCount" > 0) THEN 1 ELSE 0 END), 0
FROM "StatsEventFact" f JOIN "Case" c ON c."id" = f."caseId" WHERE f."kind" = 'resolved' GROUP BY 2, 3;

INSERT INTO "StatsEventRollup" ("kind", "day", "ownerId", "streetId", "n", "onTime", "rework", "acceptedInTime")
SELECT f."kind", to_char(f."at" + INTERVAL '8 hours', 'YYYY-MM-DD'), f."ownerId", COALESCE(c."streetId", 0), COUNT(*), 0, 0, SUM(CASE WHEN f."flag" THEN 1 ELSE 0 END)
FROM "StatsEventFact" f JOIN "Case" c ON c."id" = f."caseId" WHERE f."kind" IN ('referred', 'returned') GROUP BY 1, 2, 3, 4;

INSERT INTO "StatsEventRollup" ("kind", "day", "ownerId", "streetId", "n", "onTime", "rework", "acceptedInTime")
SELECT 'assigned', to_char(e."createdAt" + INTERVAL '8 hours', 'YYYY-MM-DD'), CAST((e."data"::jsonb ->> 'assigneeId') AS INTEGER), 0, COUNT(*), 0, 0, 0
FROM "CaseEvent" e WHERE e."type" = 'assigned' AND (e."data"::jsonb ->> 'assigneeId') IS NOT NULL GROUP BY 2, 3;
