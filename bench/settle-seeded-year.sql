-- A seeded PostgreSQL benchmark database (npm run bench -- api --db postgres --keep) brought to
-- what a deployment running until now would hold, as bench/api-seed-data.ts now seeds it: every
-- waiting case reminded REMINDER_BEFORE_HOURS (4) before it fell due, told 督办 when it fell due,
-- escalated OVERDUE_ESCALATE_HOURS (24) later (street and department cases), told 受理超时 when its
-- response deadline passed; every case 办结 more than AUTO_VERIFY_DAYS (3) ago without a 核查 task
-- closed by the system then (autoVerified, counted apart by the statistics). Without it the
-- deadline watch found ~41,000 cases to auto-verify and thousands to remind, 100 a minute, on the
-- process taking the intake benchmark's reports (~200 transactions a second with nothing reported).
-- Also for a database seeded earlier and used later: the cases that fell due since are settled too.
-- Idempotent. Then rebuild the statistics from the cases (the closed cases move in them as the
-- watch would have moved them):
--   psql "$URL" -v ON_ERROR_STOP=1 -f bench/settle-seeded-year.sql
--   DATABASE_URL="$URL" npm run stats:rebuild
BEGIN;

-- Dates are stored as UTC timestamps without a zone.
CREATE TEMP TABLE settle_now ON COMMIT DROP AS SELECT (now() AT TIME ZONE 'UTC')::timestamp(3) AS "at";

UPDATE "Case" SET "remindedAt" = GREATEST("createdAt", "dueAt" - interval '4 hours')
 WHERE "status" IN ('triage', 'dispatched', 'accepted') AND "remindedAt" IS NULL
   AND "dueAt" - interval '4 hours' <= (SELECT "at" FROM settle_now);

UPDATE "Case" SET "overdueNotifiedAt" = "dueAt"
 WHERE "status" IN ('triage', 'dispatched', 'accepted') AND "overdueNotifiedAt" IS NULL
   AND "dueAt" <= (SELECT "at" FROM settle_now);

UPDATE "Case" SET "overdueEscalatedAt" = "dueAt" + interval '24 hours'
 WHERE "status" IN ('triage', 'dispatched', 'accepted') AND "handling" IN ('street', 'department')
   AND "overdueEscalatedAt" IS NULL AND "dueAt" + interval '24 hours' <= (SELECT "at" FROM settle_now);

UPDATE "Case" SET "responseOverdueNotifiedAt" = "responseDueAt"
 WHERE "status" = 'dispatched' AND "responseOverdueNotifiedAt" IS NULL
   AND "responseDueAt" <= (SELECT "at" FROM settle_now);

-- The automatic verification, with the 'closed' event the seeder gives every closed case.
WITH verified AS (
  UPDATE "Case" c
     SET "status" = 'closed', "autoVerified" = TRUE,
         "verifiedAt" = c."resolvedAt" + interval '3 days', "closedAt" = c."resolvedAt" + interval '3 days',
         "updatedAt" = c."resolvedAt" + interval '3 days'
   WHERE c."status" = 'resolved' AND c."resolvedAt" + interval '3 days' <= (SELECT "at" FROM settle_now)
     AND NOT EXISTS (SELECT 1 FROM "VerificationTask" t WHERE t."caseId" = c."id")
  RETURNING c."id", c."closedAt"
)
INSERT INTO "CaseEvent" ("caseId", "type", "fromStatus", "toStatus", "actorId", "actorRole", "data", "createdAt")
SELECT "id", 'closed', 'verified', 'closed', NULL, 'system', '{}', "closedAt" FROM verified;

COMMIT;

ANALYZE "Case";
