-- The deadline watch's 督办 and 超期上报 steps (db/deadline-watch-store.ts overdueUnnotified,
-- escalationDue) walked Case_dueAt from the oldest case through every case already told or
-- closed (all past their deadline too): at 1M cases 1.1-1.2 s a step, every minute, on the
-- connection intake writes through. These hold only the open cases not yet told (escalated):
-- the few past their deadline come first in deadline order, then those still within it.
-- Their cost at 1M cases: 4.3-4.9 s to create (13,314 and 14,290 entries), and a new case, which
-- enters both, commits 34.2-34.3 WAL pages against 31.4-31.5 without them (0.36-0.41 ms of
-- CPU per single-case insert against 0.34-0.37).
-- Declared in schema.prisma (preview feature partialIndexes; db/schema-engine.ts lets the engine
-- describe them on better-sqlite3).
CREATE INDEX "Case_overdue_pending_idx" ON "Case"("dueAt") WHERE "status" IN ('triage', 'dispatched', 'accepted') AND "overdueNotifiedAt" IS NULL;

CREATE INDEX "Case_escalation_pending_idx" ON "Case"("dueAt") WHERE "status" IN ('triage', 'dispatched', 'accepted') AND "handling" IN ('street', 'department') AND "overdueEscalatedAt" IS NULL;
