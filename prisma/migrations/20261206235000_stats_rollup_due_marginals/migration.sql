-- The cases due also by street alone ('dueByStreet') and by department alone ('dueByDepartment'),
-- beside the rows by street and department ('due'), which only one street's figures read now
-- (core/stats/rollup-fns.ts): the district's figures need the two marginals, and 30 days of the
-- rows by both were 923 rows at 1M cases for 84 and 70. No schema change: summed from the 'due'
-- rows already there, days and blocks alike, as npm run stats:rebuild does. At 1M cases
-- (64,000 'due' rows): under a second.

-- Backfill
INSERT INTO "StatsRollup" ("kind", "day", "streetId", "departmentId", "status", "post", "mode721", "score", "n", "reworkSum", "reopened", "resolvedCount", "autoVerified", "handlingMs", "postponed", "onTime")
SELECT 'dueByStreet', "day", "streetId", 0, '', '', '', '', SUM("n"), 0, 0, 0, 0, 0, SUM("postponed"), SUM("onTime")
FROM "StatsRollup" WHERE "kind" = 'due' GROUP BY 2, 3, 4;

INSERT INTO "StatsRollup" ("kind", "day", "streetId", "departmentId", "status", "post", "mode721", "score", "n", "reworkSum", "reopened", "resolvedCount", "autoVerified", "handlingMs", "postponed", "onTime")
SELECT 'dueByDepartment', "day", 0, "departmentId", '', '', '', '', SUM("n"), 0, 0, 0, 0, 0, SUM("postponed"), SUM("onTime")
FROM "StatsRollup" WHERE "kind" = 'due' GROUP BY 2, 3, 4;

