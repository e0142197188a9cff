import { randomInt } from 'node:crypto';
import { caseNumber } from '../core/case/case-format-fns.ts';
import { CaseNumberError } from '../core/errors.ts';
import type { SqlTx, SqlValue } from './sql-connection.ts';

/**
 * Takes the day's next case number ("CaseCounter"). The upsert locks the day's counter row until
 * the unit commits: writers numbering at once take turns, so numbers stay unique and without gaps
 * (a rolled-back unit gives its number back with its increment).
 */
export async function allocateCaseNumber(tx: SqlTx, prefix: string, key: string): Promise<string> {
  const { last } = (await tx.get<{ last: number }>(`${TAKE} RETURNING "last"`, key))!;
  return numberAfter(tx, prefix, key, last);
}

const TAKE =
  'INSERT INTO "CaseCounter" ("day", "last") VALUES (?, 1) ON CONFLICT ("day") DO UPDATE SET "last" = "CaseCounter"."last" + 1';

/** The number the counter gave (`last`), or the next free one when the counter lagged behind. */
async function numberAfter(tx: SqlTx, prefix: string, key: string, last: number): Promise<string> {
  const number = caseNumber(prefix, key, last);
  if (!(await numberTaken(tx, number))) return number;
  // The counter row was missing or behind the numbers in use (cases imported or seeded
  // without it): continue after the highest number of the day, and keep the counter there.
  const dayPrefix = caseNumber(prefix, key, 0).slice(0, -4);
  const highest =
    tx.dialect === 'sqlite'
      ? await tx.get<{ n: number | null }>(
          'SELECT MAX(CAST(substr("number", ?) AS INTEGER)) AS "n" FROM "Case" WHERE "number" >= ? AND "number" < ?',
          dayPrefix.length + 1,
          dayPrefix,
          `${dayPrefix.slice(0, -1)}.`, // '.' sorts right after '-': the range is the day's numbers, on the unique index
        )
      : // A range on text depends on the database's collation there: match the prefix instead.
        // Only the day's real numbers count: a unit's pending placeholder (below) is not a number.
        await tx.get<{ n: number | null }>(
          `SELECT MAX(CAST(substr("number", ?) AS INTEGER)) AS "n" FROM "Case" WHERE starts_with("number", ?) AND substr("number", ?) ~ '^[0-9]+$'`,
          dayPrefix.length + 1,
          dayPrefix,
          dayPrefix.length + 1,
        );
  const next = Math.max(last, highest?.n ?? 0) + 1;
  await tx.run('UPDATE "CaseCounter" SET "last" = ? WHERE "day" = ?', next, key);
  const renumbered = caseNumber(prefix, key, next);
  if (await numberTaken(tx, renumbered)) throw new CaseNumberError();
  return renumbered;
}

const numberTaken = async (tx: SqlTx, number: string): Promise<boolean> =>
  (await tx.get('SELECT 1 FROM "Case" WHERE "number" = ?', number)) !== undefined;

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';
/** A placeholder's token: 'n' and this many of LETTERS. */
const TOKEN_LETTERS = 15;

/**
 * How a placeholder ends, as a PostgreSQL regular expression; a real number ends in digits. The
 * case search's GIN indexes leave out the rows whose number matches it (migrations-postgres/
 * *_case_search_settled, whose predicate spells it literally: the two must agree), so a
 * registration's placeholder row does not compute and insert every gram of its text only for the
 * numbered row to do it again.
 */
export const PLACEHOLDER_TAIL = `n[a-z]{${TOKEN_LETTERS}}$`;

/**
 * Case numbers taken at the very end of a PostgreSQL unit of work. The day's counter row, once
 * locked, stays locked until commit, and every registration in every process waits on it: taken
 * where the use-case asks for it, it serialised whole registrations (case, events, rollups,
 * outbox) across processes. So on PostgreSQL the use-case gets a placeholder, unique to its unit
 * and made of letters only (nothing escapes, encodes or redacts it, and no digit pattern can be
 * mistaken for a phone number), the unit writes everything with it, and just before COMMIT the
 * real number is taken and written over the placeholder in the case, in the events and in the
 * queued messages that carry it, in one statement (settleSql below). The lock then covers that
 * statement and the commit only.
 */
export function createPendingNumbers() {
  const pending: Array<{ placeholder: string; prefix: string; key: string }> = [];
  const eventIds = new Set<number>();
  const outboxCaseIds = new Set<number>();

  const mentions = (text: string) => pending.some((p) => text.includes(p.placeholder));

  return {
    /** A placeholder for the day's next number, in the number's own shape up to its sequence. */
    take(prefix: string, key: string): string {
      let token = 'n';
      for (let i = 0; i < TOKEN_LETTERS; i++) token += LETTERS[randomInt(LETTERS.length)];
      const placeholder = `${caseNumber(prefix, key, 0).slice(0, -4)}${token}`;
      pending.push({ placeholder, prefix, key });
      return placeholder;
    },
    /** An event was written: its note or data will need the number. */
    noteEvent(id: number, written: string): void {
      if (pending.length && mentions(written)) eventIds.add(id);
    },
    /** A message was queued for this case: its payload will need the number. */
    noteMessage(caseId: number, written: string): void {
      if (pending.length && mentions(written)) outboxCaseIds.add(caseId);
    },
    /**
     * The unit's last writes: each placeholder becomes the day's next number. Returns the
     * replacements made, so the unit's result can say the real numbers too. `first`: a write of
     * other shared rows (the unit's rollups) that goes in the same statement, before the counter
     * (so every unit locks them in that order), or alone when no number is pending.
     */
    async settle(
      tx: SqlTx,
      first: { sql: string; params: SqlValue[] } | null = null,
    ): Promise<Array<[string, string]>> {
      const done: Array<[string, string]> = [];
      const events = `{${[...eventIds].join(',')}}`;
      const outbox = `{${[...outboxCaseIds].join(',')}}`;
      if (first && !pending.length) await tx.run(first.sql, ...first.params);
      for (const [i, p] of pending.entries()) {
        const before = i === 0 ? first : null;
        // Usually one statement: from the counter's lock to COMMIT nothing else runs.
        const r = (await tx.get<{ last: number; number: string | null }>(
          before
            ? settleAfter(before.sql, eventIds.size, outboxCaseIds.size)
            : settleSql(eventIds.size, outboxCaseIds.size),
          ...(before?.params ?? []),
          p.key,
          caseNumber(p.prefix, p.key, 0).slice(0, -4),
          p.placeholder,
          p.placeholder,
          p.placeholder,
          ...eventIds,
          p.placeholder,
          ...outboxCaseIds,
          p.placeholder,
        ))!;
        if (r.number !== null) {
          done.push([p.placeholder, r.number]);
          continue;
        }
        // The counter's number was in use (a day imported without its counter), or no case
        // carries the placeholder: the careful way, a statement at a time.
        const number = await numberAfter(tx, p.prefix, p.key, r.last);
        await tx.run('UPDATE "Case" SET "number" = ? WHERE "number" = ?', number, p.placeholder);
        await tx.run(
          `UPDATE "CaseEvent" SET "note" = replace("note", ?, ?), "data" = replace("data", ?, ?) WHERE "id" = ANY (?::int[])`,
          p.placeholder,
          number,
          p.placeholder,
          number,
          events,
        );
        await tx.run(
          `UPDATE "OutboxMessage" SET "payload" = replace("payload", ?, ?) WHERE "caseId" = ANY (?::int[]) AND strpos("payload", ?) > 0`,
          p.placeholder,
          number,
          outbox,
          p.placeholder,
        );
        done.push([p.placeholder, number]);
      }
      return done;
    },
  };
}

/**
 * PostgreSQL: take the day's next number and write it over the placeholder in the case, the
 * unit's events and queued messages, in one statement. No case changes when the number is
 * already in use (then "number" is NULL and the caller repairs). lpad never shortens a number
 * of five digits or more, as caseNumber's padStart does not.
 *
 * The events' and messages' ids go as a list of values, one text per count, not as one array:
 * PostgreSQL keeps a prepared statement's generic plan only when its estimate costs no more than
 * the plans made for the values, and for an array it assumes 10 ids. At 1M cases that estimate
 * cost 208 against 38 (~13 queued messages a case, 10 times over), so every registration was
 * planned afresh: the statement took 0.8-1.1 ms in all against 0.6-0.75 with its generic plan.
 * A list of as many values as there are ids costs the same either way. In intake runs (1,000
 * photo reports, 1,100 registrations) the statement was planned 1,110 times, 0.35-0.39 ms each;
 * with the lists 70-81 times, each connection's first five executions of a text.
 */
const settleSql = (events: number, messages: number): string => `WITH "n" AS (${TAKE} RETURNING "last"),
"num" AS (SELECT "last", ? || lpad("last"::text, GREATEST(4, length("last"::text)), '0') AS "number" FROM "n"),
"c" AS (
  UPDATE "Case" SET "number" = "num"."number" FROM "num"
  WHERE "Case"."number" = ? AND NOT EXISTS (SELECT 1 FROM "Case" "x" WHERE "x"."number" = "num"."number")
  RETURNING "Case"."number"),
"e" AS (
  UPDATE "CaseEvent" SET "note" = replace("note", ?, "c"."number"), "data" = replace("data", ?, "c"."number") FROM "c"
  WHERE "CaseEvent"."id" IN (${parameters(events)}) RETURNING 1),
"o" AS (
  UPDATE "OutboxMessage" SET "payload" = replace("payload", ?, "c"."number") FROM "c"
  WHERE "OutboxMessage"."caseId" IN (${parameters(messages)}) AND strpos("OutboxMessage"."payload", ?) > 0 RETURNING 1)
SELECT "num"."last", (SELECT "c"."number" FROM "c") AS "number" FROM "num"`;

/** `n` parameters for an IN list; for none NULL, which matches nothing. */
const parameters = (n: number): string => (n ? Array<string>(n).fill('?').join(', ') : 'NULL');

/**
 * settleSql preceded by another write (`sql`, an INSERT without RETURNING) as its first CTE. The
 * counter's row is taken from a SELECT over that CTE's rows, so PostgreSQL runs the write to its
 * end before it locks the counter: the same order in every unit.
 */
const settleAfter = (sql: string, events: number, messages: number): string => {
  const take = `INSERT INTO "CaseCounter" ("day", "last") SELECT ?::text, 1 FROM (SELECT COUNT(*) FROM "w") "written"
  ON CONFLICT ("day") DO UPDATE SET "last" = "CaseCounter"."last" + 1`;
  const alone = settleSql(events, messages);
  const after = alone.replace(
    `WITH "n" AS (${TAKE} RETURNING "last")`,
    `WITH "w" AS (${sql} RETURNING 1),\n"n" AS (${take} RETURNING "last")`,
  );
  if (after === alone) throw new Error('settleSql changed: settleAfter no longer writes first');
  return after;
};

export type PendingNumbers = ReturnType<typeof createPendingNumbers>;

/** `value` with every string's placeholders replaced: plain objects and arrays are copied, anything else kept. */
export function withNumbers<T>(value: T, replacements: ReadonlyArray<[string, string]>): T {
  if (!replacements.length) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return replacements.reduce((s, [from, to]) => s.split(from).join(to), v);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === 'object') {
      const proto = Object.getPrototypeOf(v) as unknown;
      if (proto !== Object.prototype && proto !== null) return v;
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}
