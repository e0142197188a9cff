-- Written by hand (schema.prisma cannot describe fillfactor or CLUSTER): rollup rows updated in
-- place. Every registration adds to ~17 "StatsRollup" rows (its day and blocks, the district's
-- own), and the covering index of *_stats_rollup_covering carried the counters: a counter change
-- changed an indexed column, so no update was HOT (0 of ~20,000 in 1,000 intake reports at 1M
-- cases, two runs), each a new heap tuple plus an entry in both indexes; the rollup write with
-- the day's case number read 570-1,362 buffers and wrote 157-167 WAL records a call. Without it,
-- and with room left on each page for the new versions (fillfactor; alone, with the counters
-- still indexed, it gave 0 HOT too), 91-99% are HOT: 269-346 buffers, 98-106 WAL records a call.
--
-- The statistics' sums then read the heap through the primary key, whose leading columns
-- ("kind", "day", "streetId") were the covering index's key. What made the heap slow to read was
-- the rows of one key scattered over it (written in the backfill's hash order); CLUSTER writes
-- them in key order once, and later rows of a day arrive together on that day. At 1M cases the
-- 30 days' sums read 207 buffers (index-only before: 239 all-visible, 411 after 1,000 reports
-- had cleared visibility bits), a year's 668 (1,215 and 1,496). The rewrite (191,000 rows) took
-- 1.8 s under an exclusive lock.
DROP INDEX "StatsRollup_kind_day_covering_idx";
ALTER TABLE "StatsRollup" SET (fillfactor = 80);
CLUSTER "StatsRollup" USING "StatsRollup_pkey";
ANALYZE "StatsRollup";
