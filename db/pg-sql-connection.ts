import { availableParallelism } from 'node:os';
import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Sql, SqlTx, SqlValue } from './sql-connection.ts';

const digit = (v: string, i: number): number => v.charCodeAt(i) - 48;

/**
 * A `timestamp` as PostgreSQL writes it (ISO DateStyle: `2026-11-20 04:00:00`, then up to six
 * digits of a second, trailing zeros left out) as the UTC instant it holds, to the millisecond as
 * Date's own parser takes it. Read from the digits' places: a search's matches (up to 201 rows,
 * two timestamps each) were parsed by rewriting each text to ISO form for Date's parser, twice the
 * CPU. Anything else (years before 100 or past 9999, BC, infinity) goes to Date's parser as before.
 */
export function utcTimestamp(v: string): Date {
  const n = v.length;
  const plain =
    n >= 19 &&
    n <= 26 &&
    v.charCodeAt(4) === 45 &&
    v.charCodeAt(7) === 45 &&
    v.charCodeAt(10) === 32 &&
    v.charCodeAt(13) === 58 &&
    v.charCodeAt(16) === 58 &&
    (n === 19 || (v.charCodeAt(19) === 46 && n > 20)) &&
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/.test(v);
  const year = plain ? digit(v, 0) * 1000 + digit(v, 1) * 100 + digit(v, 2) * 10 + digit(v, 3) : 0;
  const month = digit(v, 5) * 10 + digit(v, 6);
  const day = digit(v, 8) * 10 + digit(v, 9);
  const hour = digit(v, 11) * 10 + digit(v, 12);
  const minute = digit(v, 14) * 10 + digit(v, 15);
  const second = digit(v, 17) * 10 + digit(v, 18);
  // Date.UTC takes years 0-99 as 1900-1999, and rolls a month 13 over where the parser refuses it.
  if (year < 100 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
    return new Date(`${v.replace(' ', 'T')}Z`);
  const ms = n > 20 ? digit(v, 20) * 100 + (n > 21 ? digit(v, 21) * 10 : 0) + (n > 22 ? digit(v, 22) : 0) : 0;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
}

/**
 * Values as the store code reads them on SQLite too: timestamps (Prisma's `timestamp(3)`,
 * without time zone, holding UTC) as UTC instants rather than the process's local time, and
 * counts (int8) and numerics as numbers. Only this pool uses these parsers; Prisma's has its own.
 */
const parsers: Record<number, (v: string) => unknown> = {
  1114: utcTimestamp,
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
 *
 * No parallel workers either: a keyset page (LIMIT 21) of a text search was planned as a Gather
 * Merge over a parallel index walk, and starting the two workers cost more than the walk (噪声,
 * overdue first page at 1M cases: 33 ms with workers, 10-17 ms without, EXPLAIN ANALYZE). On
 * this 2-core machine 16 clients already keep every core busy, so a worker only queues behind
 * the other requests; Gridline's statements are short by design.
 *
 * Idle connections stay open for 10 minutes, not pg's 10 s: a new backend's first statements
 * load its catalog caches (the case detail planned in 8-17 ms there, ~1 ms on a warm one), and
 * with 10 s every lull in the traffic closed the pool, so the next burst's first requests were
 * the slowest of all (16 clients after 11 s quiet: p99 ~200 ms against ~45 ms warm, at 1M cases).
 * An idle connection does not keep the process alive (a command-line tool ends when its work does).
 */
export function tunePgSessions(config: pg.PoolConfig): pg.PoolConfig {
  return {
    idleTimeoutMillis: 600_000,
    allowExitOnIdle: true,
    ...config,
    // Run before the pool hands a new connection out; a refusal is no reason to drop it.
    onConnect: async (client) => {
      await client.query('SET jit = off').catch(() => {});
      await client.query('SET max_parallel_workers_per_gather = 0').catch(() => {});
    },
  };
}

/**
 * How many connections each of a process's two pools (the stores', below, and Prisma's) opens
 * when PG_POOL_SIZE does not say: twice the cores plus one, the rule of PostgreSQL's wiki
 * ("Number Of Database Connections") and Prisma's own default pool size, which its pg adapter
 * replaced by pg's 10. Gridline's statements are short and CPU-bound (rollups, keyset pages, an
 * index lookup): a connection per core keeps the cores busy, and more statements than that at
 * once only queue in the kernel, where every one of them (and /healthz's probe) waits its turn
 * for a core; past the pool's size a request waits in the pool's queue instead, first come first
 * served. At 1M cases, 16 clients, database and server on one 2-core machine (api bench, rows
 * overdue, detail, common word, never-asked statistic, 3 runs each, load average 5.6-8.8 from
 * other work): pools of 10: /healthz p99 43-224 ms while a row ran, never-asked p99 182-323 ms;
 * of 5: 22-122 and 155-279; of 3 (cores + 1): 6-39 and 73-102, but no clear gain over 5 in a
 * second series at load average 12. The rule counts the database server's cores: with the
 * database on a machine of its own, or several processes, set PG_POOL_SIZE (README, Running
 * city-wide).
 */
export const defaultPgPoolSize = (cores = availableParallelism()): number => 2 * cores + 1;

export interface PgSql extends Sql {
  /**
   * One statement on its own, outside a unit of work (readerOf's long reads): one round trip
   * instead of BEGIN, the statement and COMMIT, and the pooled connection is free again sooner.
   */
  read<T>(sql: string, ...params: SqlValue[]): Promise<T[]>;
  /**
   * The same, as a named prepared statement (prepared() above): for a fixed text whose plan does
   * not depend on its values (lookups by key: a token, a case detail), parsed and planned once per
   * connection instead of at every request; planning was ~1 ms of a detail's ~1.3 ms at 1M cases.
   */
  readPrepared<T>(sql: string, ...params: SqlValue[]): Promise<T[]>;
  close(): Promise<void>;
}

const WRITES = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

/** Most statement texts a process prepares by name; past this (texts built per call) they go unnamed. */
const MAX_NAMED = 2000;
const names = new Map<string, string>();

/**
 * The units' statements as named prepared statements: PostgreSQL parses and plans each text once
 * per connection rather than at every execution. Planning was most of PostgreSQL's CPU per
 * report (pg_stat_statements with track_planning: ~2.9 s planning against ~2.4 s executing,
 * lock waits included, for 330 reports); the case reads, whose joins take 1–1.5 ms to plan,
 * the most. After five executions PostgreSQL keeps a generic plan only when it costs no more
 * than the custom ones did. Long reads (read(), readerOf) stay unnamed: each plans for its values.
 */
function prepared(sql: string, values: SqlValue[]): pg.QueryConfig<unknown[]> {
  const text = toPg(sql);
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED) {
    name = `gridline_${names.size + 1}`;
    names.set(text, name);
  }
  return name === undefined ? { text, values } : { name, text, values };
}

/**
 * A statement that only reads and takes no lock: a SELECT without FOR UPDATE/SHARE and without
 * a function that locks or writes (advisory locks, sequences, NOTIFY). Data-modifying CTEs start
 * with WITH, so they never count. Such a statement may run before the unit's BEGIN (below).
 */
export function isPlainRead(sql: string): boolean {
  return (
    /^\s*SELECT\b/i.test(sql) &&
    !/\bFOR\s+(UPDATE|SHARE|NO\s+KEY\s+UPDATE|KEY\s+SHARE)\b|pg_advisory|nextval|setval|pg_notify/i.test(sql)
  );
}

/**
 * The units of work the stores run, on PostgreSQL: each a transaction on a connection of a `pg`
 * pool (public API), its statements prepared by name (prepared() above); long reads go through
 * Kysely (raw compiled queries) on the same pool. Parameters go untyped, so
 * PostgreSQL infers them from the column they meet: ISO text becomes a timestamp, 1/0 a boolean,
 * exactly as the SQLite statements pass them.
 *
 * BEGIN is sent only before the unit's first statement that writes or locks: the plain reads
 * before it run on their own. Units run at READ COMMITTED, where every statement takes a fresh
 * snapshot anyway, so a read just before BEGIN sees what it would have seen just after it; a unit
 * that only reads (a duplicate check, a chat's state, a known sender) costs one round trip instead
 * of three, and no transaction at all. Every chat message starts with such reads.
 */
export function createPgSql(databaseUrl: string, opts: { max?: number } = {}): PgSql {
  const pool = new pg.Pool(
    tunePgSessions({ connectionString: databaseUrl, types, max: opts.max ?? defaultPgPoolSize() }),
  );
  // An idle connection that breaks (the server restarted, a failover) is an 'error' event, which
  // unheard would end the process; the pool drops that connection and the next unit gets a new one.
  pool.on('error', () => {});
  const kysely = new Kysely<unknown>({ dialect: new PostgresDialect({ pool }) });

  async function unit<T>(client: pg.PoolClient, fn: (tx: SqlTx) => Promise<T> | T, alone: boolean): Promise<T> {
    let open = false;
    let ran = 0;
    const run = async <R extends pg.QueryResultRow>(sql: string, params: SqlValue[]) => {
      if (alone && ran++ > 0) throw new Error('a one-statement unit ran a second statement');
      if (!alone && !open && !isPlainRead(sql)) {
        await client.query('BEGIN');
        open = true;
      }
      return client.query<R>(prepared(sql, params));
    };
    const tx: SqlTx = {
      dialect: 'postgres',
      get: async <R>(sql: string, ...params: SqlValue[]) =>
        (await run<R & pg.QueryResultRow>(sql, params)).rows[0] as R | undefined,
      all: async <R>(sql: string, ...params: SqlValue[]) => (await run<R & pg.QueryResultRow>(sql, params)).rows as R[],
      run: async (sql, ...params) => {
        const r = await run(sql, params);
        // As Kysely counted them: rows changed by a write, none for a SELECT.
        return { changes: WRITES.has(r.command) ? (r.rowCount ?? 0) : 0 };
      },
    };
    let result: T;
    try {
      result = await fn(tx);
    } catch (err) {
      if (open) await client.query('ROLLBACK');
      throw err;
    }
    if (open) await client.query('COMMIT');
    return result;
  }

  async function onConnection<T>(fn: (tx: SqlTx) => Promise<T> | T, alone: boolean): Promise<T> {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      return await unit(client, fn, alone);
    } catch (err) {
      // A connection whose ROLLBACK failed, or that broke, is dropped rather than handed out again.
      if (!(err instanceof pg.DatabaseError)) broken = err instanceof Error ? err : new Error(String(err));
      throw err;
    } finally {
      client.release(broken);
    }
  }

  return {
    transaction: (fn) => onConnection(fn, false),
    statement: (fn) => onConnection(fn, true),
    read: async <T>(sql: string, ...params: SqlValue[]) =>
      (await kysely.executeQuery<T>(CompiledQuery.raw(toPg(sql), params as unknown[]))).rows,
    readPrepared: async <T>(sql: string, ...params: SqlValue[]) =>
      (await pool.query<T & pg.QueryResultRow>(prepared(sql, params))).rows as T[],
    close: () => kysely.destroy(),
  };
}
