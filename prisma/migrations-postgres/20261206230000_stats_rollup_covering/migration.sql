-- Written by hand (schema.prisma cannot describe INCLUDE columns): a period's whole days are
-- sums over a few rollup keys (core/stats/rollup-blocks.ts, db/stats-queries.ts), and the rows of
-- one key, written one case at a time, lie scattered over the heap: at 1M cases the created
-- marginals of 30 days were 1,428 rows on 485 heap pages (3.1 ms), the due rows 923 on 215
-- (1.7 ms), the department events 839 on 461 (1.3 ms). These indexes carry every column the sums
-- read, in key order, so the sums read the index alone (1.4, 0.5 and 0.4 ms) wherever vacuum has
-- marked the pages all-visible: the days of the past, which are what such periods read. The
-- primary keys stay (ON CONFLICT needs them). At 1M cases (191,000 and 122,000 rows) both build
-- in under 2 s.
CREATE INDEX "StatsRollup_kind_day_covering_idx" ON "StatsRollup" ("kind", "day", "streetId")
  INCLUDE ("departmentId", "status", "post", "mode721", "score", "n", "reworkSum", "reopened", "resolvedCount", "autoVerified", "handlingMs", "postponed", "onTime");

CREATE INDEX "StatsEventRollup_kind_day_covering_idx" ON "StatsEventRollup" ("kind", "day", "streetId")
  INCLUDE ("ownerId", "n", "onTime", "rework", "acceptedInTime");
