-- The district's own rows for the kinds it reads as one sum over its streets (core/stats/
-- rollup-blocks.ts DISTRICT_ROWS, streetId -1): the daily trend ('opened', 'closed') and the
-- department events ('referred', 'returned', day and block keys). From the rows per street, 30
-- days of the district's trend were 744 rows for 62 and its department events 839 for 10. No
-- schema change: the rows are summed from those already there, as npm run stats:rebuild does.
-- At 1M cases (8,800 trend rows, 58,000 department-event rows): well under a second.

-- Backfill
INSERT INTO "StatsRollup" ("kind", "day", "departmentId", "status", "post", "mode721", "score", "streetId", "n", "reworkSum", "reopened", "resolvedCount", "autoVerified", "handlingMs", "postponed", "onTime")
SELECT "kind", "day", "departmentId", "status", "post", "mode721", "score", -1, SUM("n"), SUM("reworkSum"), SUM("reopened"), SUM("resolvedCount"), SUM("autoVerified"), SUM("handlingMs"), SUM("postponed"), SUM("onTime")
FROM "StatsRollup" WHERE "kind" IN ('opened', 'closed') AND "streetId" <> -1
GROUP BY 1, 2, 3, 4, 5, 6, 7;

INSERT INTO "StatsEventRollup" ("kind", "day", "ownerId", "streetId", "n", "onTime", "rework", "acceptedInTime")
SELECT "kind", "day", "ownerId", -1, SUM("n"), SUM("onTime"), SUM("rework"), SUM("acceptedInTime")
FROM "StatsEventRollup" WHERE "kind" IN ('referred', 'returned') AND "streetId" <> -1
GROUP BY 1, 2, 3;

