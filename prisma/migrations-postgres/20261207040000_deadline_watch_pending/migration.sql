-- Written by hand (schema.prisma cannot describe it): the deadline watch's 督办 and 超期上报 steps
-- (db/deadline-watch-store.ts overdueUnnotified, escalationDue) read the waiting cases past their
-- deadline and not yet told, oldest first. With the status list and the flag in the statement,
-- the planner walked the whole Case_dueAt index from the oldest case (every closed case of the
-- year is past its deadline too): 980,000 rows tested, 2.4-3.4 s of the server's CPU each, every
-- minute, with nothing reported (1M-case benchmark database). These hold only the cases each step
-- still has to do (a handful in a running deployment); the planner takes them where a statement's
-- conditions imply the predicate (Prisma's parameters are planned with their values).
CREATE INDEX "Case_overdue_pending_idx" ON "Case" ("dueAt")
  WHERE "status" IN ('triage', 'dispatched', 'accepted') AND "overdueNotifiedAt" IS NULL;

CREATE INDEX "Case_escalation_pending_idx" ON "Case" ("dueAt")
  WHERE "status" IN ('triage', 'dispatched', 'accepted') AND "handling" IN ('street', 'department')
    AND "overdueEscalatedAt" IS NULL;
