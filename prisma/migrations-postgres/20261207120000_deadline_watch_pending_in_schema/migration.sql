-- Nothing to do on PostgreSQL: schema.prisma now declares the deadline watch's partial indexes
-- (preview feature partialIndexes), which 20261207040000_deadline_watch_pending made by hand with
-- the same names, column and predicates (the drift test compares the two catalogs). This
-- migration moves schema.snapshot.prisma on, so the next one does not create them again.
SELECT 1;
