-- Cheaper statistics rollups for periods nobody asked before (core/stats/rollup-fns.ts and
-- core/stats/rollup-blocks.ts). No schema change: the rows are rewritten from those already there.
-- The cases created per day are kept in three marginals (by status with its measures, by post,
-- by 721 mode) instead of one row per street, status, post and mode, plus opened rows (per day
-- and street, the daily trend). Every row of the summed kinds is also kept under the aligned
-- blocks of 4, 16 and 64 days containing its day (day b4:5179 for example), so a period of whole
-- days is a sum over a few keys instead of one per day. The same rows as npm run stats:rebuild.

-- Backfill
INSERT INTO "StatsRollup" ("kind", "day", "streetId", "departmentId", "status", "post", "mode721", "score", "n", "reworkSum", "reopened", "resolvedCount", "autoVerified", "handlingMs", "postponed", "onTime")
SELECT 'opened', "day", "streetId", 0, '', '', '', '', SUM("n"), 0, 0, 0, 0, 0, 0, 0
FROM "StatsRollup" WHERE "kind" = 'created' GROUP BY 2, 3;

INSERT INTO "StatsRollup" ("kind", "day", "streetId", "departmentId", "status", "post", "mode721", "score", "n", "reworkSum", "reopened", "resolvedCount", "autoVerified", "handlingMs", "postponed", "onTime")
SELECT 'createdByStatus', "day", "streetId", 0, "status", '', '', '', SUM("n"), SUM("reworkSum"), SUM("reopened"), SUM("resolvedCount"), SUM("autoVerified"), SUM("handlingMs"), SUM("postponed"), SUM("onTime")
FROM "StatsRollup" WHERE "kind" = 'created' GROUP BY 2, 3, 5;

INSERT INTO "StatsRollup" ("kind", "day", "streetId", "departmentId", "status", "post", "mode721", "score", "n", "reworkSum", "reopened", "resolvedCount", "autoVerified", "handlingMs", "postponed", "onTime")
SELECT 'createdByPost', "day", "streetId", 0, '', "post", '', '', SUM("n"), 0, 0, 0, 0, 0, 0, 0
FROM "StatsRollup" WHERE "kind" = 'created' GROUP BY 2, 3, 6;

INSERT INTO "StatsRollup" ("kind", "day", "streetId", "departmentId", "status", "post", "mode721", "score", "n", "reworkSum", "reopened", "resolvedCount", "autoVerified", "handlingMs", "postponed", "onTime")
SELECT 'createdByMode', "day", "streetId", 0, '', '', "mode721", '', SUM("n"), 0, 0, 0, 0, 0, 0, 0
FROM "StatsRollup" WHERE "kind" = 'created' AND "status" IN ('resolved', 'closed') AND "mode721" <> '' GROUP BY 2, 3, 7;

DELETE FROM "StatsRollup" WHERE "kind" = 'created';

INSERT INTO "StatsRollup" ("kind", "day", "streetId", "departmentId", "status", "post", "mode721", "score", "n", "reworkSum", "reopened", "resolvedCount", "autoVerified", "handlingMs", "postponed", "onTime")
SELECT "kind", 'b4:' || CAST(CAST(julianday("day") - 2440587.5 AS INTEGER) / 4 AS TEXT), "streetId", "departmentId", "status", "post", "mode721", "score", SUM("n"), SUM("reworkSum"), SUM("reopened"), SUM("resolvedCount"), SUM("autoVerified"), SUM("handlingMs"), SUM("postponed"), SUM("onTime")
FROM "StatsRollup" WHERE "kind" IN ('createdByStatus', 'createdByPost', 'createdByMode', 'due', 'rating') AND "day" NOT LIKE 'b%'
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

INSERT INTO "StatsRollup" ("kind", "day", "streetId", "departmentId", "status", "post", "mode721", "score", "n", "reworkSum", "reopened", "resolvedCount", "autoVerified", "handlingMs", "postponed", "onTime")
SELECT "kind", 'b16:' || CAST(CAST(julianday("day") - 2440587.5 AS INTEGER) / 16 AS TEXT), "streetId", "departmentId", "status", "post", "mode721", "score", SUM("n"), SUM("reworkSum"), SUM("reopened"), SUM("resolvedCount"), SUM("autoVerified"), SUM("handlingMs"), SUM("postponed"), SUM("onTime")
FROM "StatsRollup" WHERE "kind" IN ('createdByStatus', 'createdByPost', 'createdByMode', 'due', 'rating') AND "day" NOT LIKE 'b%'
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

INSERT INTO "StatsRollup" ("kind", "day", "streetId", "departmentId", "status", "post", "mode721", "score", "n", "reworkSum", "reopened", "resolvedCount", "autoVerified", "handlingMs", "postponed", "onTime")
SELECT "kind", 'b64:' || CAST(CAST(julianday("day") - 2440587.5 AS INTEGER) / 64 AS TEXT), "streetId", "departmentId", "status", "post", "mode721", "score", SUM("n"), SUM("reworkSum"), SUM("reopened"), SUM("resolvedCount"), SUM("autoVerified"), SUM("handlingMs"), SUM("postponed"), SUM("onTime")
FROM "StatsRollup" WHERE "kind" IN ('createdByStatus', 'createdByPost', 'createdByMode', 'due', 'rating') AND "day" NOT LIKE 'b%'
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

INSERT INTO "StatsEventRollup" ("kind", "day", "ownerId", "streetId", "n", "onTime", "rework", "acceptedInTime")
SELECT "kind", 'b4:' || CAST(CAST(julianday("day") - 2440587.5 AS INTEGER) / 4 AS TEXT), "ownerId", "streetId", SUM("n"), SUM("onTime"), SUM("rework"), SUM("acceptedInTime")
FROM "StatsEventRollup" WHERE "kind" IN ('handled', 'assigned', 'referred', 'returned') AND "day" NOT LIKE 'b%'
GROUP BY 1, 2, 3, 4;

INSERT INTO "StatsEventRollup" ("kind", "day", "ownerId", "streetId", "n", "onTime", "rework", "acceptedInTime")
SELECT "kind", 'b16:' || CAST(CAST(julianday("day") - 2440587.5 AS INTEGER) / 16 AS TEXT), "ownerId", "streetId", SUM("n"), SUM("onTime"), SUM("rework"), SUM("acceptedInTime")
FROM "StatsEventRollup" WHERE "kind" IN ('handled', 'assigned', 'referred', 'returned') AND "day" NOT LIKE 'b%'
GROUP BY 1, 2, 3, 4;

INSERT INTO "StatsEventRollup" ("kind", "day", "ownerId", "streetId", "n", "onTime", "rework", "acceptedInTime")
SELECT "kind", 'b64:' || CAST(CAST(julianday("day") - 2440587.5 AS INTEGER) / 64 AS TEXT), "ownerId", "streetId", SUM("n"), SUM("onTime"), SUM("rework"), SUM("acceptedInTime")
FROM "StatsEventRollup" WHERE "kind" IN ('handled', 'assigned', 'referred', 'returned') AND "day" NOT LIKE 'b%'
GROUP BY 1, 2, 3, 4;
