// A reader (db/reader-pool.ts) that counts what goes through it on its way to the real one:
// trips (a statement alone, or a batch of them in one `many`) and statements, for the tests
// that pin how many trips a request costs (case detail, cold statistics).
import type { ReadQuery, ReadRequest } from '../../db/reader-pool.ts';
import type { SqlValue } from '../../db/sql-connection.ts';

export interface ReadCounts {
  trips: number;
  statements: number;
}

export function countingReader(real: ReadQuery): { reader: ReadQuery; counts: ReadCounts } {
  const counts: ReadCounts = { trips: 0, statements: 0 };
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
  return { reader, counts };
}
