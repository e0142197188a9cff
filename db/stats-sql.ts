// SQL pieces both statistics readers (stats-queries.ts from the cases, stats-event-queries.ts from
// the event facts) must spell alike, so an on-time case means the same in every figure.

/** COUNT and SUM come back as bigint (or null over no rows). */
export const num = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** A nullable id column (a case's street or department) as the rows give it. */
export const idOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** A list of fixed words (statuses, roles, event types) as an SQL `IN` list. */
export const list = (xs: readonly string[]) => `(${xs.map((x) => `'${x}'`).join(', ')})`;

/** closedByDeadline in core/stats/assessment-rules.ts. */
export const CLOSED_BY_DEADLINE = `(c."status" = 'closed' AND c."closedAt" IS NOT NULL AND c."dueAt" IS NOT NULL AND c."closedAt" <= c."dueAt")`;

/** isHandledOnTime in core/stats/assessment-rules.ts. */
export const HANDLED_ON_TIME = `(${CLOSED_BY_DEADLINE} AND c."postponed" = FALSE)`;
