-- Coarser statistics rollup keys (core/stats/rollup-blocks.ts): every row of the summed kinds
-- is also kept under the aligned blocks of 4, 16 and 64 days containing its day (day b4:5179 for example),
-- so a period of whole days is a sum over a few keys instead of one per day, and opened rows
-- (cases created per day and street) carry the daily trend. No schema change: this fills the new
-- rows from the day rows already there (the same statements as npm run stats:rebuild).

-- Backfill
INSERT INTO "StatsRollup" ("kind", "day", "streetId", "departmentId", "status", "post", "mode721", "score", "n", "reworkSum", "reopened", "resolvedCount", "autoVerified", "handlingMs", "postponed", "onTime")
SELECT 'opened', date(c."createdAt", '+8 hours'), COALESCE(c."streetId", 0), 0, '', '', '', '', COUNT(*), 0, 0, 0, 0, 0, 0, 0
FROM "Case" c GROUP BY 2, 3;

INSERT INTO "StatsRollup" ("kind", "day", "streetId", "departmentId", "status", "post", "mode721", "score", "n", "reworkSum", "reopened", "resolvedCount", "autoVerified", "handlingMs", "postponed", "onTime")
SELECT "kind", 'b4:' || CAST(CAST(julianday("day") - 2440587.5 AS INTEGER) / 4 AS TEXT), "streetId", "departmentId", "status", "post", "mode721", "score", SUM("n"), SUM("reworkSum"), SUM("reopened"), SUM("resolvedCount"), SUM("autoVerified"), SUM("handlingMs"), SUM("postponed"), SUM("onTime")
FROM "StatsRollup" WHERE "kind" IN ('created', 'due', 'rating') AND "day" NOT LIKE 'b%'
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

INSERT INTO "StatsRollup" ("kind", "day", "streetId", "departmentId", "status", "post", "mode721", "score", "n", "reworkSum", "reopened", "resolvedCount", "autoVerified", "handlingMs", "postponed", "onTime")
SELECT "kind", 'b16:' || CAST(CAST(julianday("day") - 2440587.5 AS INTEGER) / 16 AS TEXT), "streetId", "departmentId", "status", "post", "mode721", "score", SUM("n"), SUM("reworkSum"), SUM("reopened"), SUM("resolvedCount"), SUM("autoVerified"), SUM("handlingMs"), SUM("postponed"), SUM("onTime")
FROM "StatsRollup" WHERE "kind" IN ('created', 'due', 'rating') AND "day" NOT LIKE 'b%'
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

INSERT INTO "StatsRollup" ("kind", "day", "streetId", "departmentId", "status", "post", "mode721", "score", "n", "reworkSum", "reopened", "resolvedCount", "autoVerified", "handlingMs", "postponed", "onTime")
SELECT "kind", 'b64:' || CAST(CAST(julianday("day") - 2440587.5 AS INTEGER) / 64 AS TEXT), "streetId", "departmentId", "status", "post", "mode721", "score", SUM("n"), SUM("reworkSum"), SUM("reopened"), SUM("resolvedCount"), SUM("autoVerified"), SUM("handlingMs"), SUM("postponed"), SUM("onTime")
FROM "StatsRollup" WHERE "kind" IN ('created', 'due', 'rating') AND "day" NOT LIKE 'b%'
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
