// How Prisma's SQLite adapter stores values, so rows written with raw statements read back
// through Prisma unchanged (and compare correctly as text in SQL).

/**
 * DateTime columns hold ISO 8601 text with an explicit offset, e.g. 2026-11-29T23:15:52.000+00:00;
 * range conditions compare this text, so they stay indexed.
 */
export const sqlDate = (d: Date): string => d.toISOString().replace('Z', '+00:00');
export const sqlDateOrNull = (d: Date | null | undefined): string | null => (d ? sqlDate(d) : null);
/** A DateTime column read by a raw statement: text on SQLite, a Date on PostgreSQL (pg-sql-connection.ts). */
export const dateOrNull = (v: string | Date | null): Date | null => (v === null ? null : new Date(v));
/** Boolean columns hold 0 or 1. */
export const sqlBool = (b: boolean): number => (b ? 1 : 0);
