// Readers (db/reader-pool.ts) that watch what goes through them on the way to the real one:
// countingReader counts trips (a statement alone, or a batch of them in one `many`) and
// statements, for the tests that pin how many trips a request costs (case detail, cold
// statistics); recordingReader remembers each statement, for the tests that EXPLAIN them.
import {
  attachReaderPool,
  createReaderPool,
  readerOf,
  type ReadQuery,
  type ReadRequest,
} from '../../db/reader-pool.ts';
import type { SqlValue } from '../../db/sql-connection.ts';
import type { TestDb } from './test-db.ts';

export interface ReadCounts {
  trips: number;
  statements: number;
}

export function countingReader(
  real: ReadQuery,
  counts: ReadCounts = { trips: 0, statements: 0 },
): { reader: ReadQuery; counts: ReadCounts } {
  const reader: ReadQuery = Object.assign(
    <T>(sql: string, ...args: SqlValue[]) => {
      counts.trips += 1;
      counts.statements += 1;
      return real<T>(sql, ...args);
    },
    {
      dialect: real.dialect,
      ...(real.many
        ? {
            many: (batch: ReadonlyArray<Omit<ReadRequest, 'id'>>) => {
              counts.trips += 1;
              counts.statements += batch.length;
              return real.many!(batch);
            },
          }
        : {}),
    },
  );
  // Statements prepared by name (ReadQuery.prepared) count alike, into the same counts.
  if (real.prepared) Object.assign(reader, { prepared: countingReader(real.prepared, counts).reader });
  return { reader, counts };
}

/**
 * Counts every read the app sends from now on: through two reader threads of its own on SQLite
 * (as production reads), through the store's pool on PostgreSQL. `close` ends the threads.
 */
export function attachCountingReader(t: TestDb): { counts: ReadCounts; close(): Promise<void> } {
  const pool = t.engine === 'sqlite' ? createReaderPool(t.url, 2) : null;
  const counting = countingReader(pool ? pool.all : readerOf(t.db));
  attachReaderPool(t.db, { all: counting.reader, close: async () => {} });
  return { counts: counting.counts, close: async () => pool?.close() };
}

/** A statement as a reader was asked it. */
export interface RecordedRead {
  sql: string;
  args: SqlValue[];
  /** Asked of the reader's statements prepared by name (ReadQuery.prepared). */
  prepared?: boolean;
}

/**
 * Passes each statement on alone (no `many`: the caller then sends its reads one by one, each
 * seen with its own arguments) and appends it to `seen`.
 */
export function recordingReader(real: ReadQuery, seen: RecordedRead[]): ReadQuery {
  const reader: ReadQuery = Object.assign(
    <T>(sql: string, ...args: SqlValue[]) => {
      seen.push({ sql, args });
      return real<T>(sql, ...args);
    },
    { dialect: real.dialect },
  );
  // Statements prepared by name are recorded too, marked so.
  const named = real.prepared;
  if (named)
    Object.assign(reader, {
      prepared: Object.assign(
        <T>(sql: string, ...args: SqlValue[]) => {
          seen.push({ sql, args, prepared: true });
          return named<T>(sql, ...args);
        },
        { dialect: named.dialect },
      ),
    });
  return reader;
}
