import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Sql, SqlTx, SqlValue } from './sql-connection.ts';

/**
 * Values as the store code reads them on SQLite too: timestamps (Prisma's `timestamp(3)`,
 * without time zone, holding UTC) as UTC instants rather than the process's local time, and
 * counts (int8) and numerics as numbers. Only this pool uses these parsers; Prisma's has its own.
 */
const parsers: Record<number, (v: string) => unknown> = {
  1114: (v) => new Date(`${v.replace(' ', 'T')}Z`),
  20: (v) => Number(v),
  1700: (v) => Number(v),
};
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    parsers[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** `?` placeholders (as SQLite takes them) to PostgreSQL's `$1, $2…`, leaving quoted text alone. */
export function numberedPlaceholders(sql: string): string {
  let n = 0;
  let out = '';
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '?') {
      out += `$${++n}`;
      continue;
    }
    out += ch;
  }
  return out;
}

const converted = new Map<string, string>();
const toPg = (sql: string): string => {
  let s = converted.get(sql);
  if (s === undefined) {
    s = numberedPlaceholders(sql);
    converted.set(sql, s);
  }
  return s;
};

/**
 * What every PostgreSQL session Gridline opens is set to (this pool's and Prisma's). JIT off:
 * past its cost threshold (met by statistics at 1M cases) PostgreSQL compiles a statement with
 * LLVM first, 0.4 s to 5 s per statement on this 2-core machine under load, which is more than
 * Gridline's statements take to run; they are short by design (rollups, keyset pages). A server
 * that does not know the setting (before PostgreSQL 11, some compatible engines) refuses the SET,
 * which changes nothing else: the error is dropped.
 */
export function tunePgSessions(config: pg.PoolConfig): pg.PoolConfig {
  return {
    ...config,
    // Run before the pool hands a new connection out; a refusal is no reason to drop it.
    onConnect: async (client) => {
      await client.query('SET jit = off').catch(() => {});
    },
  };
}

export interface PgSql extends Sql {
  /**
   * One statement on its own, outside a unit of work (readerOf's long reads): one round trip
   * instead of BEGIN, the statement and COMMIT, and the pooled connection is free again sooner.
   */
  read<T>(sql: string, ...params: SqlValue[]): Promise<T[]>;
  close(): Promise<void>;
}

/**
 * The units of work the stores run, on PostgreSQL: each a transaction on a pooled connection,
 * through Kysely (raw compiled queries, public API) over `pg`. Parameters go untyped, so
 * PostgreSQL infers them from the column they meet: ISO text becomes a timestamp, 1/0 a boolean,
 * exactly as the SQLite statements pass them.
 */
export function createPgSql(databaseUrl: string, opts: { max?: number } = {}): PgSql {
  const pool = new pg.Pool(tunePgSessions({ connectionString: databaseUrl, types, max: opts.max ?? 10 }));
  // An idle connection that breaks (the server restarted, a failover) is an 'error' event, which
  // unheard would end the process; the pool drops that connection and the next unit gets a new one.
  pool.on('error', () => {});
  const kysely = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });

  const txOf = (k: Pick<Kysely<unknown>, 'executeQuery'>): SqlTx => {
    const exec = <T>(sql: string, params: SqlValue[]) =>
      k.executeQuery<T>(CompiledQuery.raw(toPg(sql), params as unknown[]));
    return {
      dialect: 'postgres',
      get: async <T>(sql: string, ...params: SqlValue[]) => (await exec<T>(sql, params)).rows[0],
      all: async <T>(sql: string, ...params: SqlValue[]) => (await exec<T>(sql, params)).rows,
      run: async (sql, ...params) => ({ changes: Number((await exec(sql, params)).numAffectedRows ?? 0) }),
    };
  };

  return {
    transaction: (fn) => kysely.transaction().execute((trx) => Promise.resolve(fn(txOf(trx)))),
    read: async <T>(sql: string, ...params: SqlValue[]) =>
      (await kysely.executeQuery<T>(CompiledQuery.raw(toPg(sql), params as unknown[]))).rows,
    close: () => kysely.destroy(),
  };
}
