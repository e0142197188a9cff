-- What a district's database holds after a year besides its cases, for the rows of the tables that
-- intake and delivery write on every report: the benchmark seeder (bench/api-seed-postgres.ts) runs
-- this after the cases; for a database seeded before it existed, run it by hand, then VACUUM ANALYZE:
--   psql "$URL" -v ON_ERROR_STOP=1 -f bench/seed-year-side-tables.sql && psql "$URL" -c 'VACUUM (ANALYZE)'
-- Why it matters: with these tables empty, VACUUM ANALYZE records them as empty, and PostgreSQL
-- plans the statements a process prepares on them for a table of one page. A prepared statement
-- keeps its generic plan until autovacuum next analyzes the table, so for the first minute of a
-- benchmark run (a run's whole length) the outbox claim walked the growing queue with a nested
-- sequential scan per row: 52M rows read in 1,650 photo reports, ~8 ms of PostgreSQL CPU each. A
-- year's database holds these rows and has statistics to match:
--   ProcessedUpdate: the update ids of the last PROCESSED_UPDATE_RETENTION_DAYS (30), four a report;
--   OutboxMessage: what was sent in the last 90 days (housekeeping purges older), three replies to
--     the reporter and one notice to the street's staff a case;
--   Attachment: one photo on every second case.
-- Idempotent: every row has a key of its own ('seed…'), so a second run adds nothing.
BEGIN;
CREATE TEMP TABLE seed_now ON COMMIT DROP AS SELECT (now() AT TIME ZONE 'UTC')::timestamp(3) AS "at";

INSERT INTO "ProcessedUpdate" ("channel", "updateId", "processedAt")
  SELECT c."channel", 'seed' || c."id" || '-' || k, c."createdAt" + k * interval '20 seconds'
  FROM "Case" c CROSS JOIN generate_series(1, 4) AS k
  WHERE c."createdAt" > (SELECT "at" FROM seed_now) - interval '30 days'
  ON CONFLICT DO NOTHING;

INSERT INTO "OutboxMessage" ("dedupeKey", "channel", "chatId", "personId", "caseId", "payload", "status", "attempts",
                             "nextAttemptAt", "createdAt", "sentAt", "priority")
  SELECT 'seed:' || c."id" || ':' || k, i."channel", i."chatId", i."personId", c."id",
         '{"text":"您反映的问题已受理，案件编号 ' || c."number" || '。"}', 'sent', 0,
         c."createdAt" + k * interval '1 second', c."createdAt" + k * interval '1 second',
         c."createdAt" + k * interval '2 seconds', 0
  FROM "Case" c JOIN "ChatIdentity" i ON i."personId" = c."reporterId" CROSS JOIN generate_series(1, 3) AS k
  WHERE c."createdAt" > (SELECT "at" FROM seed_now) - interval '90 days'
  ON CONFLICT DO NOTHING;
INSERT INTO "OutboxMessage" ("dedupeKey", "channel", "chatId", "personId", "caseId", "payload", "status", "attempts",
                             "nextAttemptAt", "createdAt", "sentAt", "priority")
  SELECT 'seed:' || c."id" || ':staff', 'telegram', 'staff' || c."streetId", NULL, c."id",
         '{"text":"新案件 ' || c."number" || '"}', 'sent', 0, c."createdAt", c."createdAt", c."createdAt" + interval '2 seconds', 1
  FROM "Case" c
  WHERE c."createdAt" > (SELECT "at" FROM seed_now) - interval '90 days'
  ON CONFLICT DO NOTHING;

INSERT INTO "Attachment" ("caseId", "sha256", "mime", "size", "path", "thumbPath", "publicPath", "publicKey",
                          "uploadedById", "createdAt")
  SELECT c."id", md5('seed' || c."id") || md5('photo' || c."id"), 'image/jpeg', 480000,
         'photos/' || left(md5('seed' || c."id"), 2) || '/' || md5('seed' || c."id") || md5('photo' || c."id") || '.jpg',
         'thumbs/' || left(md5('seed' || c."id"), 2) || '/' || md5('seed' || c."id") || md5('photo' || c."id") || '.jpg',
         'public/' || left(md5('seed' || c."id"), 2) || '/' || md5('seed' || c."id") || md5('photo' || c."id") || '.jpg',
         'seed-' || c."id", c."reporterId", c."createdAt"
  FROM "Case" c
  WHERE c."id" % 2 = 0
  ON CONFLICT DO NOTHING;
COMMIT;
